/**
 * Where the QR and workbench flows converge: both end with the corp's member record, and from there a
 * login is the same whichever way the person came in: one binding per (corpId, userid), one local user.
 */
import type { DDInnerClientApi, DDMember } from '../../../../dingtalk/client/types';
import type { DDInnerInstanceConfig } from './instance-config';
import { bindRequired } from '../../../../runtime';
import { bindingMemberView, openDingTalkSession, type DingTalkLoginResult } from './login-result';
import type { BindingContext } from '../../../../dingtalk/binding/binding-context';
import { issueBindTicket } from './binding/bind-ticket';
import { resolveBinding } from '../../../../dingtalk/binding/resolve-binding';
import type { LoginTrace } from './login-log';

/** Everything one login of one instance needs. */
export interface LoginContext extends BindingContext {
  config: DDInnerInstanceConfig;
  client: DDInnerClientApi;
}

/** Reads the member record (the only source of profile data), resolves the binding, opens the session. */
export async function loginMember(ctx: LoginContext, userid: string, trace: LoginTrace): Promise<DingTalkLoginResult> {
  trace.dingtalkUserId = userid;
  const member: DDMember = await ctx.client.getMember(userid);
  const outcome = await resolveBinding(ctx, member);
  if (outcome.kind === 'proofRequired') {
    const { ticket, clientKey } = await issueBindTicket(ctx, member);
    return bindRequired(ticket, bindingMemberView(member, ctx.corpId), clientKey);
  }
  return openDingTalkSession(ctx.app, outcome.user, { kind: outcome.binding, bindingId: outcome.bindingId }, { corpId: ctx.corpId, userId: member.userid, unionId: member.unionid ?? null });
}
