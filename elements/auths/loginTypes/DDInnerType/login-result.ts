/**
 * The result shapes of a login (CONTRACT §3), shared by every login Type: a LOGGED_IN result opens a
 * session and carries its token once; a bindExisting login answers BIND_REQUIRED (then CODE_SENT on
 * the phone proof) instead. Failures are JitErrors, never results.
 */
import type { AppHandle } from '../../../../runtime/app-types';
import type { LocalUser } from '../../../../runtime/auth/types';
import { JitError } from '../../../../runtime/errors';

/** How the DingTalk member came to be bound to the local user on this login. */
export type BindingKind = 'existing' | 'autoBound' | 'created';

/** A local user as results show it (JSON-ready: times as ISO strings); never a password hash. */
export type PublicUser = Omit<LocalUser, 'createTime' | 'updateTime'> & { createTime: string; updateTime: string };

export interface LoggedInResult {
  success: true;
  status: 'LOGGED_IN';
  userId: string;
  /** The session token, returned once; only its hash is stored. */
  token: string;
  /** ISO 8601. */
  expiresAt: string;
  user: PublicUser;
}

export interface DingTalkLoggedInResult extends LoggedInResult {
  binding: BindingKind;
  dingtalk: { corpId: string; userId: string; unionId: string | null };
}

export interface BindRequiredResult {
  success: false;
  status: 'BIND_REQUIRED';
  /** Single use: pass it to completeBinding with a proof of a local account. */
  bindTicket: string;
  expiresAt: string;
}

export interface CodeSentResult {
  success: false;
  status: 'CODE_SENT';
  /** When the bind ticket (and so the code) stops being accepted. */
  expiresAt: string;
}

export type DingTalkLoginResult = DingTalkLoggedInResult | BindRequiredResult;
export type CompleteBindingResult = DingTalkLoggedInResult | CodeSentResult;

export function publicUser(user: LocalUser): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    phone: user.phone ?? null,
    email: user.email ?? null,
    employeeNo: user.employeeNo ?? null,
    disabled: user.disabled,
    source: user.source,
    createTime: toIso(user.createTime),
    updateTime: toIso(user.updateTime),
  };
}

/** USER_DISABLED when the local account is switched off. */
export function assertUserEnabled(user: LocalUser): void {
  if (user.disabled) throw new JitError('USER_DISABLED', 'This local account is disabled; ask an administrator to enable it');
}

/**
 * Opens a session for a local user; USER_DISABLED when the account is switched off. `bindingId`: the
 * binding the login came through, so ending that binding (a corp's leaver) ends this session.
 */
export async function openSession(app: AppHandle, user: LocalUser, bindingId?: string): Promise<LoggedInResult> {
  assertUserEnabled(user);
  const { token, session } = await app.sessions.create(user.id, { bindingId: bindingId ?? null });
  return { success: true, status: 'LOGGED_IN', userId: user.id, token, expiresAt: toIso(session.expiresAt), user: publicUser(user) };
}

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** Opens the session of a DingTalk login and adds how the member was bound and who they are. */
export async function openDingTalkSession(
  app: AppHandle,
  user: LocalUser,
  binding: BindingKind,
  dingtalk: DingTalkLoggedInResult['dingtalk'],
  bindingId?: string,
): Promise<DingTalkLoggedInResult> {
  return { ...(await openSession(app, user, bindingId)), binding, dingtalk };
}

export function bindRequired(ticket: { id: string; expiresAt: Date }): BindRequiredResult {
  return { success: false, status: 'BIND_REQUIRED', bindTicket: ticket.id, expiresAt: toIso(ticket.expiresAt) };
}
