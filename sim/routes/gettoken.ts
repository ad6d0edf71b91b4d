/**
 * Legacy app token: `GET /gettoken?appkey=&appsecret=` (dingtalk-api.md §2b). Lowercase query
 * names, snake_case answer, bad credentials as HTTP 200 errcode 40089. Shares the app's live token
 * with `/v1.0/oauth2/accessToken`.
 */
import { type ApiRoute, requirePermission } from '../api';
import { OapiFailure } from '../failures';

const gettoken: ApiRoute = {
  endpoint: 'gettoken',
  family: 'oapi',
  method: 'GET',
  path: '/gettoken',
  auth: 'credentials',
  handle(ctx) {
    const entry = ctx.sim.directory.appByCredentials(ctx.query.get('appkey'), ctx.query.get('appsecret'));
    if (!entry) throw new OapiFailure(40089);
    requirePermission(entry, this);
    const { token, expiresIn } = ctx.sim.tokens.issueAppToken(entry.app.appKey);
    return { access_token: token, expires_in: expiresIn };
  },
};

export const gettokenRoutes: ApiRoute[] = [gettoken];
