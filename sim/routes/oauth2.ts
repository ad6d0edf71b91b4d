/**
 * v1.0 token endpoints (api.dingtalk.com): the app token (docs/dingtalk-facts.md §2a) and the user token
 * from a QR/OAuth authCode (§3c). JSON bodies only; camelCase; errors as HTTP 400 + {code, message}.
 */
import { type ApiContext, type ApiRoute, requirePermission } from '../api';
import { v1Failures } from '../failures';

const accessToken: ApiRoute = {
  endpoint: 'oauth2/accessToken',
  family: 'v1',
  method: 'POST',
  path: '/v1.0/oauth2/accessToken',
  auth: 'credentials',
  appKeyParam: 'appKey',
  handle(ctx) {
    const { appKey, appSecret } = jsonFields(ctx, ['appKey', 'appSecret']);
    const entry = ctx.sim.directory.appByCredentials(appKey, appSecret);
    if (!entry) throw v1Failures.invalidClient();
    requirePermission(entry, this);
    const { token, expiresIn } = ctx.sim.tokens.issueAppToken(entry.app.appKey);
    return { accessToken: token, expireIn: expiresIn };
  },
};

const userAccessToken: ApiRoute = {
  endpoint: 'oauth2/userAccessToken',
  family: 'v1',
  method: 'POST',
  path: '/v1.0/oauth2/userAccessToken',
  auth: 'credentials',
  appKeyParam: 'clientId',
  handle(ctx) {
    const { clientId, clientSecret, grantType } = jsonFields(ctx, ['clientId', 'clientSecret', 'grantType']);
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token')
      throw v1Failures.invalidParameter('grantType', 'must be authorization_code or refresh_token');
    const entry = ctx.sim.directory.appByCredentials(clientId, clientSecret);
    if (!entry) throw v1Failures.invalidClient();
    requirePermission(entry, this);
    const appKey = entry.app.appKey;

    if (grantType === 'refresh_token') {
      const { refreshToken } = jsonFields(ctx, ['refreshToken']);
      const renewed = ctx.sim.tokens.refreshUserToken(appKey, refreshToken);
      if (!renewed) throw v1Failures.invalidParameter('refreshToken', 'is invalid or expired');
      return withCorp({ accessToken: renewed.accessToken, refreshToken: renewed.refreshToken, expireIn: renewed.expireIn }, renewed.corpId);
    }
    const { code } = jsonFields(ctx, ['code']);
    // Which code DingTalk returns for a used or expired authCode is undocumented (§11.2);
    // the global table's candidate is 400 invalidCode, used for every bad code here.
    const scanned = ctx.sim.codes.consumeQr(code, appKey);
    if (!scanned) throw v1Failures.invalidCode();
    const issued = ctx.sim.tokens.issueUserToken(appKey, scanned.unionid, scanned.corpId);
    return withCorp({ ...issued }, scanned.corpId);
  },
};

/** `corpId` is returned only when the person picked an org (scope `openid corpid`). */
function withCorp(body: Record<string, unknown>, corpId?: string): Record<string, unknown> {
  return corpId ? { ...body, corpId } : body;
}

/** v1.0 wants a JSON body (a form body is 400 Missingbody) with each named string field present. */
function jsonFields<K extends string>(ctx: ApiContext, names: K[]): Record<K, string> {
  if (ctx.body.kind !== 'json') throw v1Failures.missingBody();
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = ctx.params[name];
    if (typeof value !== 'string' || value === '') throw v1Failures.missingParameter(name);
    out[name] = value;
  }
  return out;
}

export const oauth2Routes: ApiRoute[] = [accessToken, userAccessToken];
