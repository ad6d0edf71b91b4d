/**
 * Login-free inside the DingTalk client (免登): the page's requestAuthCode gives a 5-minute, single-use
 * code; `topapi/v2/user/getuserinfo` turns it into the member's userid (AUTH_CODE_INVALID when it is
 * expired, used or unknown), and from there the login is the QR login's (member-login.ts). An
 * external contact (contact_type 1) is refused before the member record is read.
 */
import { refuseExternalContact } from './external-contact';
import { loginMember, type LoginContext } from './member-login';
import type { LoginTrace } from './login-log';
import type { DingTalkLoginResult } from './login-result';

export async function workbenchLogin(ctx: LoginContext, code: string, trace: LoginTrace): Promise<DingTalkLoginResult> {
  const info = await ctx.client.getUserInfoByWorkbenchCode(code);
  trace.dingtalkUserId = info.userid;
  refuseExternalContact(info, ctx.instance);
  return loginMember(ctx, info.userid, trace);
}
