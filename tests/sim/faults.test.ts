/** Fault injection (SimFault) and per-endpoint counters. */
import { startSimulator } from '../../sim';
import { appA, appToken, http, topapi, wrapped } from './helpers';
import { useSimulator } from '../helpers/simulator';

// Needs no throttle: tests fault injection (the QPS limit has its own suite, qps-limit.test.ts).
const sim = useSimulator({ seed: 42, qps: 'off' });
let token: string;
beforeAll(async () => {
  token = await appToken(sim.apiUrl);
});
afterEach(() => sim.clearFaults());

const userGet = () => topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' });
const tokenCall = () => http(sim.apiUrl, 'POST', '/v1.0/oauth2/accessToken', { json: { appKey: appA.appKey, appSecret: appA.appSecret } });

it('busy: oapi errcode -1 over HTTP 200; v1.0 HTTP 500 unknownError', async () => {
  sim.injectFault({ kind: 'busy' });
  const oapi = await userGet();
  expect(oapi.status).toBe(200);
  expect(oapi.body).toMatchObject({ errcode: -1, errmsg: expect.any(String) });
  const v1 = await tokenCall();
  expect(v1.status).toBe(500);
  expect(v1.body).toEqual({ code: 'unknownError', message: expect.any(String), requestid: expect.any(String) });
});

// §7a: 'per-app QPS exceeded: errcode 88 with sub_code "90018" (errmsg contains subcode=90018)';
// §7c: v1.0 '403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi'.
it('qps: oapi 88 / sub_code 90018 over HTTP 200; v1.0 403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', async () => {
  sim.injectFault({ kind: 'qps' });
  const oapi = await userGet();
  expect(oapi.status).toBe(200);
  expect(oapi.body).toEqual(wrapped('90018'));
  expect(oapi.body.errmsg).toContain('subcode=90018');
  const v1 = await tokenCall();
  expect(v1.status).toBe(403);
  expect(v1.body).toEqual({ code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: expect.any(String), requestid: expect.any(String) });
});

// §7a: 'the same wrapper carries other sub_codes: 90002 (global QPS)'; §7c: v1.0 403 QpsLimitForApi.
it('globalQps: oapi 88 / sub_code 90002; v1.0 403 Forbidden.AccessDenied.QpsLimitForApi', async () => {
  sim.injectFault({ kind: 'globalQps' });
  expect((await userGet()).body).toEqual(wrapped('90002'));
  const v1 = await tokenCall();
  expect(v1.status).toBe(403);
  expect(v1.body.code).toBe('Forbidden.AccessDenied.QpsLimitForApi');
});

// §7a: '60011 (no permission, sub_msg lists the required scopes)'; §7c: v1.0 403 AccessTokenPermissionDenied.
it('permission: oapi 88 / sub_code 60011 naming the scope the API needs; v1.0 403 AccessTokenPermissionDenied', async () => {
  sim.injectFault({ kind: 'permission' });
  const oapi = await userGet();
  expect(oapi.body).toEqual(wrapped('60011'));
  expect(oapi.body.sub_msg).toContain('qyapi_get_member');
  expect(oapi.body.errmsg).toContain('qyapi_get_member');
  const v1 = await tokenCall();
  expect(v1.status).toBe(403);
  expect(v1.body.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
  expect(v1.body.accessdenieddetail).toEqual({ requiredScopes: ['qyapi_base'] });
});

// §7a: '60020 (IP not in the whitelist)'; §7c: v1.0 403 Forbidden.AccessDenied.IpNotInWhiteList.
it('ipWhitelist: oapi 88 / sub_code 60020 naming the address; v1.0 403 Forbidden.AccessDenied.IpNotInWhiteList', async () => {
  sim.injectFault({ kind: 'ipWhitelist' });
  const oapi = await userGet();
  expect(oapi.body).toEqual(wrapped('60020'));
  expect(oapi.body.sub_msg).toMatch(/^访问ip不在白名单之中/);
  expect(oapi.body.sub_msg).toContain('127.0.0.1');
  const v1 = await tokenCall();
  expect(v1.status).toBe(403);
  expect(v1.body.code).toBe('Forbidden.AccessDenied.IpNotInWhiteList');
});

// §7a: 'plain business errors (60121, 40078, 60003, 40035 …) come unwrapped, as their own errcode'.
it('business errors stay unwrapped: 60121, 40078, 60003, 40035', async () => {
  const plain = (body: Record<string, unknown>) => {
    expect(body).not.toHaveProperty('sub_code');
    return body.errcode;
  };
  expect(plain((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'nobody' })).body)).toBe(60121);
  expect(plain((await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', token, { code: 'f'.repeat(32) })).body)).toBe(40078);
  expect(plain((await topapi(sim.oapiUrl, '/topapi/v2/department/listsub', token, { dept_id: 999 })).body)).toBe(60003);
  expect(plain((await topapi(sim.oapiUrl, '/topapi/v2/user/list', token, { dept_id: 1, cursor: 0, size: 500 })).body)).toBe(40035);
});

it('http500: a bare HTTP 500 that is not an API body', async () => {
  sim.injectFault({ kind: 'http500' });
  const res = await userGet();
  expect(res.status).toBe(500);
  expect(res.body).toBeUndefined();
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
});

it('count: affects the next N matching calls, then retires', async () => {
  sim.injectFault({ kind: 'busy', count: 2 });
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push((await userGet()).body.errcode);
  expect(codes).toEqual([-1, -1, 0, 0]);
});

it('endpoints: only the listed endpoints fail', async () => {
  sim.injectFault({ kind: 'qps', endpoints: ['topapi/v2/user/list'] });
  expect((await userGet()).body.errcode).toBe(0);
  expect((await topapi(sim.oapiUrl, '/topapi/v2/user/list', token, { dept_id: 1, cursor: 0, size: 10 })).body.sub_code).toBe('90018');
});

it('rate: a seeded simulator fails the same calls every run', async () => {
  const pattern = async (seed: number) => {
    // Needs no throttle: tests seeded fault randomness over 24 quick calls.
    const s = await startSimulator({ seed, qps: 'off' });
    try {
      const t = await appToken(s.apiUrl);
      s.injectFault({ kind: 'busy', rate: 0.5, endpoints: ['topapi/v2/user/get'] });
      const out: number[] = [];
      for (let i = 0; i < 24; i++) out.push((await topapi(s.oapiUrl, '/topapi/v2/user/get', t, { userid: 'zhangsan' })).body.errcode);
      return out;
    } finally {
      await s.close();
    }
  };
  const first = await pattern(1234);
  expect(await pattern(1234)).toEqual(first);
  // A rate of 0.5 over 24 calls: some fail, some pass.
  expect(first).toContain(-1);
  expect(first).toContain(0);
});

it('latency: a latency fault delays but does not fail the call', async () => {
  sim.injectFault({ kind: 'latency', latencyMs: 5, count: 1 });
  expect((await userGet()).body.errcode).toBe(0);
});

it('rejects a malformed fault with a message naming the field', () => {
  expect(() => sim.injectFault({ kind: 'nope' as 'busy' })).toThrow(/fault\.kind/);
  expect(() => sim.injectFault({ kind: 'busy', rate: 2 })).toThrow(/fault\.rate/);
  expect(() => sim.injectFault({ kind: 'busy', endpoints: ['topapi/nope' as 'gettoken'] })).toThrow(/fault\.endpoints/);
  expect(() => sim.injectFault({ kind: 'busy', count: 0 })).toThrow(/fault\.count/);
});

it('counts calls per endpoint (failed ones too) and resets', async () => {
  sim.resetCounters();
  await userGet();
  await userGet();
  sim.injectFault({ kind: 'busy', count: 1 });
  await tokenCall();
  await http(sim.oapiUrl, 'GET', `/gettoken?appkey=${appA.appKey}&appsecret=bad`);
  await http(sim.oapiUrl, 'POST', '/topapi/not/an/endpoint', { json: {} });
  const counts = sim.counters();
  expect(counts).toMatchObject({ 'topapi/v2/user/get': 2, 'oauth2/accessToken': 1, gettoken: 1, 'topapi/v2/user/list': 0 });
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(4);
  sim.resetCounters();
  expect(Object.values(sim.counters()).every((n) => n === 0)).toBe(true);
});
