/**
 * `GET /v1.0/contact/users/me` with a user token (docs/dingtalk-facts.md §3d): the person behind the
 * token, as DingTalk knows them across orgs. `email` is the person's own mailbox, never the org
 * email; `openId` is stable per app and person.
 */
import { createHash } from 'node:crypto';
import { type ApiRoute, hasPermission } from '../api';
import { MOBILE_PERMISSION } from '../endpoints';
import { V1Failure } from '../failures';

const me: ApiRoute = {
  endpoint: 'contact/users/me',
  family: 'v1',
  method: 'GET',
  path: '/v1.0/contact/users/me',
  auth: 'userToken',
  handle(ctx) {
    const token = ctx.userToken!;
    const person = ctx.sim.directory.person(token.unionid);
    if (!person) throw new V1Failure(404, 'invalidParameter.user.notFound', '用户不存在');
    const body: Record<string, unknown> = {
      nick: person.name,
      unionId: person.unionid,
      openId: openIdFor(token.appKey, person.unionid),
    };
    if (person.avatar) body.avatarUrl = person.avatar;
    if (person.mobile && hasPermission(ctx.caller!, MOBILE_PERMISSION)) {
      body.mobile = person.mobile;
      body.stateCode = '86';
    }
    body.email = person.email;
    return body;
  },
};

/** Stable per (app, person), and different across apps, like DingTalk's openId. */
export function openIdFor(appKey: string, unionid: string): string {
  return createHash('sha256').update(`openid:${appKey}:${unionid}`).digest('base64url').slice(0, 27) + 'iE';
}

export const contactRoutes: ApiRoute[] = [me];
