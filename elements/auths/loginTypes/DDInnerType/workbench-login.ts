/**
 * Login-free inside the DingTalk client (免登): the page's requestAuthCode gives a 5-minute, single-use
 * code; `topapi/v2/user/getuserinfo` turns it into the member's userid (AUTH_CODE_INVALID when it is
 * expired, used or unknown), and from there the login is the QR login's (member-login.ts).
 */
import { loginMember, type LoginContext } from './member-login';
import type { LoginTrace } from './login-log';
import type { DingTalkLoginResult } from './login-result';

export async function workbenchLogin(ctx: LoginContext, code: string, trace: LoginTrace): Promise<DingTalkLoginResult> {
  const { userid } = await ctx.client.getUserInfoByWorkbenchCode(code);
  return loginMember(ctx, userid, trace);
}
