/**
 * What DingTalk's login adds to the result shapes every login Type shares (runtime/auth/login-result.ts,
 * through the runtime's surface): the member a login came through, how it was bound, and the
 * display-safe view of a DingTalk member on a bind form.
 */
import { type AppHandle, type BindingKind, type BindingMemberView, type BindRequiredResult, type CodeSentResult, type LocalUser, type LoggedInResult, openSession } from '../../../../runtime';
import type { DDMember } from '../../../../dingtalk/client/types';

export interface DingTalkLoggedInResult extends LoggedInResult {
  binding: BindingKind;
  dingtalk: { corpId: string; userId: string; unionId: string | null };
}

export type DingTalkLoginResult = DingTalkLoggedInResult | BindRequiredResult;
export type CompleteBindingResult = DingTalkLoggedInResult | CodeSentResult;

/** Opens the session of a DingTalk login (recording the binding it came through) and adds how the member was bound and who they are. */
export async function openDingTalkSession(
  app: AppHandle,
  user: LocalUser,
  binding: { kind: BindingKind; bindingId: string },
  dingtalk: DingTalkLoggedInResult['dingtalk'],
): Promise<DingTalkLoggedInResult> {
  return { ...(await openSession(app, user, { bindingId: binding.bindingId })), binding: binding.kind, dingtalk };
}

/** Longest name a bind form shows (DingTalk names are short; a hostile one is cut, not refused). */
const MAX_DISPLAY_NAME = 64;
const MAX_AVATAR_URL = 2048;

/** What a bind form may show of a DingTalk member (see BindingMemberView). */
export function bindingMemberView(member: DDMember, corpId: string, corpName: string | null = null): BindingMemberView {
  const name = typeof member.name === 'string' && member.name.trim() !== '' ? member.name.trim() : member.userid;
  return { name: [...name].slice(0, MAX_DISPLAY_NAME).join(''), avatar: displayableUrl(member.avatar), corpId, corpName };
}

function displayableUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_AVATAR_URL) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
