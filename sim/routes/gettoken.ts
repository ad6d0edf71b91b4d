/**
 * Legacy app token: `GET /gettoken?appkey=&appsecret=` (docs/dingtalk-facts.md §2b). Lowercase query
 * names, snake_case answer. Errors as HTTP 200, as a probe of DingTalk answered them: bad credentials
 * errcode 40096 "不合法的appKey或appSecret", a missing appkey or appsecret 40035 "缺少参数 corpid or
 * appkey". Shares the app's live token with `/v1.0/oauth2/accessToken`.
 */
import { type ApiRoute, requirePermission } from '../api';
import { OapiFailure } from '../failures';

const gettoken: ApiRoute = {
  endpoint: 'gettoken',
  family: 'oapi',
  method: 'GET',
  path: '/gettoken',
  auth: 'credentials',
  appKeyParam: 'appkey',
  handle(ctx) {
    const appkey = ctx.query.get('appkey');
    const appsecret = ctx.query.get('appsecret');
    if (!appkey || !appsecret) throw new OapiFailure(40035, '缺少参数 corpid or appkey');
    const entry = ctx.sim.directory.appByCredentials(appkey, appsecret);
    if (!entry) throw new OapiFailure(40096);
    requirePermission(entry, this);
    const { token, expiresIn } = ctx.sim.tokens.issueAppToken(entry.app.appKey);
    return { access_token: token, expires_in: expiresIn };
  },
};

export const gettokenRoutes: ApiRoute[] = [gettoken];
