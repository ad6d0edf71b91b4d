/**
 * The unified app token: `POST /v1.0/oauth2/{corpId}/token` (docs/dingtalk-facts.md §2c). Body `client_id`,
 * `client_secret`, `grant_type` = `client_credentials` (snake_case); answer `access_token`,
 * `expires_in`. Errors as the doc lists them: 400 `invalid.client` (unknown client_id/secret),
 * 400 `unsupported.grant.type`, 401 `unauthorized.client` (here: the app is not one of that corp's,
 * which is how `jit doctor` tells a wrong corpId). The corpId is in the path, so the route is made
 * per request rather than looked up in the table.
 */
import type { ApiRoute } from '../api';
import { V1Failure } from '../failures';

const PATH = /^\/v1\.0\/oauth2\/([^/]+)\/token$/;

export function corpTokenRouteFor(method: string | undefined, pathname: string): ApiRoute | undefined {
  const match = method === 'POST' ? PATH.exec(pathname) : null;
  if (!match) return undefined;
  const corpId = decodeURIComponent(match[1]);
  return {
    endpoint: 'oauth2/corpToken',
    family: 'v1',
    method: 'POST',
    path: pathname,
    auth: 'credentials',
    appKeyParam: 'client_id',
    handle(ctx) {
      if (ctx.body.kind !== 'json') throw new V1Failure(400, 'Missingbody', 'body is mandatory for this action.');
      const { client_id: clientId, client_secret: clientSecret, grant_type: grantType } = ctx.params;
      if (grantType !== 'client_credentials') throw new V1Failure(400, 'unsupported.grant.type', 'grant_type must be client_credentials');
      const entry = ctx.sim.directory.appByCredentials(clientId, clientSecret);
      if (!entry) throw new V1Failure(400, 'invalid.client', 'invalid client_id or client_secret');
      if (entry.corp.corpId !== corpId) throw new V1Failure(401, 'unauthorized.client', 'the client is not authorized in this organization');
      const { token, expiresIn } = ctx.sim.tokens.issueAppToken(entry.app.appKey);
      return { access_token: token, expires_in: expiresIn };
    },
  };
}
