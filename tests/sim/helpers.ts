/**
 * Shared helpers for the simulator tests: the demo org's ids and real HTTP calls (fetch) that
 * return status, headers and the parsed body.
 */
import { loadDemoOrg } from '../../sim';
import type { SimOrgUser } from '../../sim/types';

export const demo = loadDemoOrg();
export const corpA = demo.corps[0];
export const corpB = demo.corps[1];
export const appA = corpA.apps[0];
export const appB = corpB.apps[0];
export const outsider = demo.outsiders![0];

export function memberOf(corp: typeof corpA, userid: string): SimOrgUser {
  const user = corp.users.find((u) => u.userid === userid);
  if (!user) throw new Error(`demo org has no ${userid} in ${corp.name}`);
  return user;
}

import { http, type HttpOptions, type HttpResult } from '../helpers/http';

export { http, type HttpResult };

/** A call to the admin routes (/__sim/) with the simulator's admin token, as another process makes it. */
export function admin(sim: { url: string; adminToken: string }, method: string, path: string, options: HttpOptions = {}): Promise<HttpResult> {
  return http(sim.url, method, path, { ...options, headers: { authorization: `Bearer ${sim.adminToken}`, ...options.headers } });
}

/**
 * The gateway's errcode-88 wrapper (docs/dingtalk-facts.md §7a), exactly: for `toEqual`, so no field more or
 * less. `subMsg` omitted = any message.
 */
export function wrapped(subCode: string, subMsg?: string): Record<string, unknown> {
  return {
    errcode: 88,
    sub_code: subCode,
    sub_msg: subMsg ?? expect.any(String),
    errmsg: subMsg === undefined ? expect.stringMatching(new RegExp(`^ding talk error\\[subcode=${subCode},submsg=.*\\]$`)) : `ding talk error[subcode=${subCode},submsg=${subMsg}]`,
    request_id: expect.any(String),
  };
}

/** POST a topapi call with the app token in the query, JSON body by default. */
export function topapi(base: string, path: string, token: string, params: Record<string, unknown>, as: 'json' | 'form' = 'json'): Promise<HttpResult> {
  const url = `${path}?access_token=${encodeURIComponent(token)}`;
  return as === 'json'
    ? http(base, 'POST', url, { json: params })
    : http(base, 'POST', url, { form: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
}

export async function appToken(base: string, app = appA): Promise<string> {
  const res = await http(base, 'POST', '/v1.0/oauth2/accessToken', { json: { appKey: app.appKey, appSecret: app.appSecret } });
  if (res.status !== 200) throw new Error(`accessToken failed: ${res.text}`);
  return res.body.accessToken;
}

export async function userToken(base: string, code: string, app = appA): Promise<HttpResult> {
  return http(base, 'POST', '/v1.0/oauth2/userAccessToken', {
    json: { clientId: app.appKey, clientSecret: app.appSecret, code, grantType: 'authorization_code' },
  });
}

export const HOUR2_MS = 7200 * 1000;
export const MIN5_MS = 5 * 60 * 1000;
