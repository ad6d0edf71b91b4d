/**
 * Error classification by DingTalk's real code, over real HTTP: the gateway stand-in (tests/helpers/dingtalk-gateway.ts)
 * answers with the exact shapes of docs/dingtalk-facts.md §7a in front of the simulator. The topapi gateway
 * wraps token and throttling errors as errcode 88 with the real code in `sub_code` (or only in
 * errmsg): token errors drop the app token and re-fetch it once; throttles wait out the window and
 * never touch the token; 60011/60020 fail at once with their typed reasons and fixes; 40096/40089,
 * 40035 and 22 are named; an 88 naming no code is an unknown error, not a token problem.
 */
import { DINGTALK_FAILURE_REASONS, createDingTalkRuntime } from '../../dingtalk/client';
import { clientFor, counts, rejectionOf } from './helpers';
import { SHAPES } from '../helpers/dingtalk-gateway';
import { useGatewayOverSimulator } from '../helpers/gateway-over-simulator';

const USER_GET = '/topapi/v2/user/get';
const LISTSUB = '/topapi/v2/department/listsub';
const TOKEN = '/v1.0/oauth2/accessToken';

const { sim, gateway } = useGatewayOverSimulator({ freshEachTest: true });

/** A client through the gateway, with a warm token (so counters start after it). */
async function warmClient(options: Parameters<typeof clientFor>[1] = {}) {
  const made = clientFor(sim, { hosts: gateway.hosts(), ...options });
  await made.client.getAppAccessToken();
  sim.resetCounters();
  gateway.reset();
  made.client.runtime.metrics.reset();
  return made;
}

describe('token errors (wrapped in 88 or not): drop the token, fetch a new one once, retry once', () => {
  test.each([
    ['88/40014 in sub_code', () => SHAPES.badToken()],
    ['88/40000 (blank token)', () => SHAPES.blankToken()],
    ['88 with subcode=40014 only in errmsg', () => SHAPES.wrappedInMessageOnly('40014', '不合法的access_token')],
    ['unwrapped 42001', () => ({ body: { errcode: 42001, errmsg: 'access_token超时' } })],
  ])('%s: one refetch, one retry, success', async (_name, shape) => {
    const { client } = await warmClient();
    gateway.script(USER_GET, shape());
    await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
    expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 1 });
    expect(gateway.arrivals(USER_GET).map((a) => a.answer)).toEqual(['scripted', 'forwarded']);
    expect(client.runtime.metrics.snapshot().tokenFetches).toMatchObject({ rejected: 1 });
  });

  test('the fresh token refused too: TOKEN_REJECTED after exactly one refetch', async () => {
    const { client } = await warmClient();
    gateway.script(USER_GET, SHAPES.badToken(), 2);
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_API_ERROR');
    expect(error.details).toMatchObject({ reason: 'TOKEN_REJECTED', errcode: 88, subCode: '40014', attempts: 2 });
    expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 1 });
    expect(gateway.arrivals(USER_GET)).toHaveLength(2);
  });

  test('an 88 that names no real code is an unknown DingTalk error: no refetch, no retry', async () => {
    const { client, delays } = await warmClient();
    gateway.script(USER_GET, { body: { errcode: 88, errmsg: 'ding talk error', request_id: 'x' } });
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_API_ERROR');
    expect(error.details).toMatchObject({ reason: 'API_ERROR', errcode: 88 });
    expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 0 });
    expect(gateway.arrivals(USER_GET)).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});

describe('throttles: wait out the window, never touch the token', () => {
  test.each([
    ['88/90018 (per app per API)', () => SHAPES.appQps()],
    ['88/90002 (global per API)', () => SHAPES.globalQps()],
    ['88 with subcode=90018 only in errmsg', () => SHAPES.wrappedInMessageOnly('90018', '并发量已经超过系统设置的阈值')],
  ])('%s once: no refetch, one jittered wait of at least the window, then success', async (_name, shape) => {
    const { client, delays } = await warmClient({ retry: { rateLimitDelayMs: 50 } });
    gateway.script(USER_GET, shape());
    await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
    expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 0 });
    expect(client.runtime.metrics.snapshot().tokenFetches).toEqual({ cold: 0, refresh: 0, rejected: 0, forced: 0 });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(75);
    expect(client.runtime.metrics.snapshot().throttled).toEqual({ 'topapi/v2/user/get': 1 });
  });

  test('the budget holds the throttled API for the window: the retry goes out no sooner than 1 s later', async () => {
    // Production's window (1 s) with the retry's own sleep returning at once: only the budget's pause waits.
    const { client } = await warmClient({ retry: { rateLimitDelayMs: 1000, maxDelayMs: 3000, totalBudgetMs: 10_000 } });
    gateway.script(USER_GET, SHAPES.appQps());
    await expect(client.getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
    const [throttled, retried] = gateway.arrivals(USER_GET);
    expect(throttled.answer).toBe('scripted');
    expect(retried.at - throttled.at).toBeGreaterThanOrEqual(990);
  });

  test('a throttle that stays: DINGTALK_RATE_LIMITED with retryAfter, still no refetch', async () => {
    const { client } = await warmClient({ retry: { maxAttempts: 3, rateLimitDelayMs: 20 } });
    gateway.script(USER_GET, SHAPES.appQps(), 3);
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_RATE_LIMITED');
    expect(error.details).toMatchObject({ reason: 'RATE_LIMITED', subCode: '90018', attempts: 3, retryAfter: 1 });
    expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 0 });
  });

  test.each([
    ['v1.0 403 QpsLimitForAppkeyAndApi', () => SHAPES.v1QpsLimit()],
    ['v1.0 403 QpmLimitForAppkeyAndApi', () => SHAPES.v1QpmLimit()],
    ['v1.0 429 systemBusy', () => SHAPES.v1SystemBusy()],
  ])('%s on the token endpoint: waited out and retried', async (_name, shape) => {
    const { client, delays } = clientFor(sim, { hosts: gateway.hosts(), retry: { rateLimitDelayMs: 20 } });
    gateway.script(TOKEN, shape());
    await expect(client.getAppAccessToken()).resolves.toEqual(expect.any(String));
    expect(gateway.arrivals(TOKEN).map((a) => a.answer)).toEqual(['scripted', 'forwarded']);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(20);
  });
});

describe('60011 and 60020: fail at once with typed reasons and the fix', () => {
  test('88/60011 naming the scope in sub_msg: PERMISSION_MISSING, that permission in the message', async () => {
    const { client, delays } = await warmClient();
    gateway.script(USER_GET, SHAPES.permission('应用尚未开通所需的权限：[qyapi_get_member]'));
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_PERMISSION_DENIED');
    expect(error.details).toMatchObject({ reason: 'PERMISSION_MISSING', permission: 'qyapi_get_member', permissionSource: 'dingtalk', subCode: '60011', attempts: 1 });
    expect(error.message).toContain('needs the permission qyapi_get_member');
    expect(error.message).toContain('权限管理');
    expect(gateway.arrivals(USER_GET)).toHaveLength(1);
    expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 0 });
    expect(delays).toEqual([]);
  });

  test('a sub_msg that lists the required scopes bare: each named', async () => {
    const { client } = await warmClient();
    gateway.script(LISTSUB, SHAPES.permission('requiredScopes: qyapi_get_department_list,qyapi_get_member'));
    const error = await rejectionOf(client.listSubDepartments(1));
    expect(error.details).toMatchObject({ reason: 'PERMISSION_MISSING', permission: 'qyapi_get_department_list,qyapi_get_member', permissionSource: 'dingtalk' });
  });

  test('a 60011 naming nothing: the documented permission of the call, marked as such', async () => {
    const { client } = await warmClient();
    gateway.script(LISTSUB, SHAPES.permission('没有调用该接口的权限'));
    const error = await rejectionOf(client.listSubDepartments(1));
    expect(error.details).toMatchObject({ reason: 'PERMISSION_MISSING', permission: 'qyapi_get_department_list', permissionSource: 'documented' });
  });

  test('88/60020 naming the address: IP_NOT_WHITELISTED, the IP to add in the message', async () => {
    const { client, delays } = await warmClient();
    gateway.script(USER_GET, SHAPES.ipWhitelist('访问ip不在白名单之中,request ip=203.0.113.7 appKey(dinga1b2c3d4e5f6g7h8)'));
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_PERMISSION_DENIED');
    expect(error.details).toMatchObject({ reason: 'IP_NOT_WHITELISTED', ip: '203.0.113.7', attempts: 1 });
    expect(error.message).toContain('Add 203.0.113.7');
    expect(error.message).toContain('IP whitelist');
    expect(error.message).not.toContain('needs the permission');
    expect(gateway.arrivals(USER_GET)).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  test('a 60020 naming no address: the message says to add the server\'s egress IP', async () => {
    const { client } = await warmClient();
    gateway.script(USER_GET, SHAPES.ipWhitelist('访问ip不在白名单之中'));
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.details).toMatchObject({ reason: 'IP_NOT_WHITELISTED' });
    expect(error.details).not.toHaveProperty('ip');
    expect(error.message).toMatch(/public egress IP \(DingTalk did not name it\)/);
  });
});

describe('named refusals', () => {
  test.each([
    ['40096 (gettoken today)', () => SHAPES.badCredentials()],
    ['40089 (gettoken, corpId era)', () => SHAPES.badCorpCredentials()],
  ])('%s: APP_CREDENTIALS_REJECTED, telling the operator to check appKey/appSecret; no retry', async (_name, shape) => {
    // The client fetches its token from v1.0 (400 invalidClientIdOrSecret, tests/client/calls.test.ts);
    // gettoken's codes are classified the same wherever an oapi answer carries them.
    const { client, delays } = await warmClient();
    gateway.script(USER_GET, shape());
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_API_ERROR');
    expect(error.details).toMatchObject({ reason: 'APP_CREDENTIALS_REJECTED', attempts: 1 });
    expect(error.message).toMatch(/appKey and appSecret/);
    expect(delays).toEqual([]);
  });

  test('40035: PARAMETER_MISSING', async () => {
    const { client } = await warmClient();
    gateway.script(USER_GET, SHAPES.missingParameter());
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error).toMatchObject({ code: 'DINGTALK_API_ERROR', details: expect.objectContaining({ reason: 'PARAMETER_MISSING', errcode: 40035 }) });
  });

  test('errcode 22: UNKNOWN_METHOD naming the method', async () => {
    const { client, delays } = await warmClient();
    gateway.script(USER_GET, SHAPES.unknownMethod('dingtalk.oapi.v2.user.get'));
    const error = await rejectionOf(client.getMember('lisi'));
    expect(error.code).toBe('DINGTALK_API_ERROR');
    expect(error.details).toMatchObject({ reason: 'UNKNOWN_METHOD', errcode: 22, method: 'dingtalk.oapi.v2.user.get' });
    expect(error.message).toContain('does not know the method dingtalk.oapi.v2.user.get (POST /topapi/v2/user/get)');
    expect(delays).toEqual([]);
  });

  test('every reason a failure carries is one of the exported reasons', async () => {
    const runtime = createDingTalkRuntime();
    const { client } = clientFor(sim, { hosts: gateway.hosts(), runtime });
    const reasons = new Set<string>();
    for (const shape of [SHAPES.badToken(), SHAPES.appQps(), SHAPES.permission('x'), SHAPES.ipWhitelist('y'), SHAPES.unknownMethod('m'), SHAPES.missingParameter()]) {
      gateway.script(USER_GET, shape, 4);
      reasons.add(String((await rejectionOf(client.getMember('lisi'))).details?.reason));
      gateway.reset();
    }
    for (const reason of reasons) expect(DINGTALK_FAILURE_REASONS).toContain(reason);
    expect(Object.keys(runtime.metrics.snapshot().calls['topapi/v2/user/get'] ?? {}).every((o) => o === 'ok' || (DINGTALK_FAILURE_REASONS as readonly string[]).includes(o))).toBe(true);
  });
});
