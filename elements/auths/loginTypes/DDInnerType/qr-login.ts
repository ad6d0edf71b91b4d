/**
 * QR login on a PC (DTFrameLogin or the /oauth2/auth redirect), in the order the checks must run:
 *   1. the server-issued state: single use, unexpired, for this instance, from the
 *      browser it was issued to                                                   STATE_INVALID
 *   2. authCode -> user access token                                              AUTH_CODE_INVALID
 *   3. user token -> the person (`/me`: only its unionId is used)
 *   4. unionId -> the corp's userid; an external contact is refused at once         NOT_CORP_MEMBER
 *   5. the organisation picked (required under scope `openid corpid`) is this corp CORP_MISMATCH
 *   6. the member record, the binding, the session (member-login.ts)
 */
import { JitError } from '../../../../runtime';
import { DINGTALK_ERRORS } from '../../../../dingtalk/error-codes';
import { refuseExternalContact, useridOf } from './external-contact';
import { consumeLoginState } from './login-state';
import { loginMember, type LoginContext } from './member-login';
import type { LoginTrace } from './login-log';
import type { DingTalkLoginResult } from './login-result';

export async function qrLogin(ctx: LoginContext, code: string, state: unknown, trace: LoginTrace, clientKey?: string): Promise<DingTalkLoginResult> {
  await consumeLoginState(state, ctx.instance, ctx.config.authConfig.appSecret, ctx.app.tickets, clientKey);
  const userToken = await ctx.client.getUserAccessToken(code);
  // The person's own profile (personal email, nickname) is not used: only the member record is.
  const { unionId } = await ctx.client.getCurrentUser(userToken.accessToken);
  // The client may hand back the bare userid or the whole result; contact_type is read either way.
  const found: unknown = await ctx.client.getUserIdByUnionId(unionId);
  refuseExternalContact(found, ctx.instance);
  const userid = useridOf(found);
  trace.dingtalkUserId = userid;
  // Under `openid corpid` DingTalk must say which organisation was picked; a corpId it sends
  // unasked must match too.
  const picked = userToken.corpId;
  if (picked !== undefined && picked !== '' ? picked !== ctx.corpId : ctx.config.scope === 'openid corpid') {
    throw DINGTALK_ERRORS.error('CORP_MISMATCH', 'The organisation chosen in DingTalk is not the one this login is for; log in again and pick it', {
      instance: ctx.instance,
    });
  }
  return loginMember(ctx, userid, trace);
}
