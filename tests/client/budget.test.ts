/**
 * The call budget (the pacer), over real HTTP through the gateway stand-in (tests/helpers/dingtalk-gateway.ts), which counts
 * arrivals per API per 1-second window on the server side and, like DingTalk, answers 88/90018 to
 * calls beyond 20 per second per API instead of queueing them:
 *   - a burst stays within 20 per second per API, with no throttle, where an unpaced burst is throttled;
 *   - lanes: a login queued after sync (and doctor, events) calls goes out first;
 *   - a call that would wait past its lane's deadline, or finds the queue full, fails at once, and one
 *     still waiting at its deadline fails then, as DINGTALK_RATE_LIMITED with retryAfter; a login within
 *     its deadline waits instead.
 */
import { createDingTalkRuntime, type DDInnerClient, type DingTalkLane, type DingTalkRuntimeOptions } from '../../dingtalk/client';
import { CORP_A, clientFor } from './helpers';
import { useGatewayOverSimulator } from '../helpers/gateway-over-simulator';

const USER_GET = '/topapi/v2/user/get';
const BY_UNIONID = '/topapi/user/getbyunionid';
const LISI_UNIONID = 'S02kgVDIp4tlQI58g5TlsjiE';

const { sim, gateway } = useGatewayOverSimulator({ freshEachTest: true });

/** A client through the gateway with a runtime of its own (options given), its token already fetched. */
async function pacedClient(options: { qps?: number; runtime?: DingTalkRuntimeOptions } = {}): Promise<DDInnerClient> {
  const runtime = createDingTalkRuntime(options.runtime);
  const { client } = clientFor(sim, { hosts: gateway.hosts(), runtime, qps: options.qps });
  await client.getAppAccessToken();
  gateway.reset();
  runtime.metrics.reset();
  return client;
}

/** The userids asked for by getMember calls, in the order they reached DingTalk. */
function userGetOrder(): string[] {
  return gateway.arrivals(USER_GET).map((a) => String(a.body?.userid));
}

/** Settles every promise (a refusal is an outcome here, not a failure of the test). */
function settle(promises: Array<Promise<unknown>>): Promise<unknown[]> {
  return Promise.all(promises.map((p) => p.catch((error: unknown) => error)));
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('pacing under DingTalk\'s 20 calls per second per API', () => {
  test('an unpaced burst (a budget above DingTalk\'s limit) is throttled by the gateway: the stand-in enforces the limit', async () => {
    const client = (await pacedClient({ qps: 60 })).inLane('sync');
    gateway.enforceQps(20);
    await settle(Array.from({ length: 80 }, () => client.getMember('lisi')));
    expect(gateway.arrivals(USER_GET).filter((a) => a.answer === 'throttled').length).toBeGreaterThan(0);
  }, 60_000);

  test('a burst of 200 calls of one API and 100 of another: every call succeeds, never more than 20 a second per API, no throttle', async () => {
    const client = (await pacedClient()).inLane('sync');
    gateway.enforceQps(20);
    const results = await Promise.all([
      ...Array.from({ length: 200 }, () => client.getMember('lisi')),
      ...Array.from({ length: 100 }, () => client.getUserIdByUnionId(LISI_UNIONID)),
    ]);
    expect(results).toHaveLength(300);
    // Counted where the calls arrive (the gateway stamps each request as it comes in).
    expect(gateway.arrivals().filter((a) => a.answer === 'throttled')).toEqual([]);
    expect(gateway.maxInWindow(USER_GET, 1000)).toBeLessThanOrEqual(20);
    expect(gateway.maxInWindow(BY_UNIONID, 1000)).toBeLessThanOrEqual(20);

    // The waiting is measured: most calls waited for their slot.
    const metrics = client.runtime.metrics.snapshot();
    expect(metrics.calls['topapi/v2/user/get']?.ok).toBe(200);
    expect(metrics.calls['topapi/user/getbyunionid']?.ok).toBe(100);
    expect(metrics.waitedCalls).toBeGreaterThan(250);
    expect(metrics.waitMsTotal).toBeGreaterThan(0);
  }, 90_000);
});

describe('lanes', () => {
  test('calls waiting together go out login first, then events, then sync, then doctor (FIFO within a lane)', async () => {
    const client = await pacedClient({ qps: 5 });
    const call = (lane: DingTalkLane, userid: string) => client.inLane(lane).getMember(userid);
    // The first call takes the free slot; the others wait for the next ones, in the order asked.
    const outcomes = settle([
      call('sync', 'first'),
      call('doctor', 'doctor-0'), call('sync', 'sync-0'), call('events', 'events-0'), call('login', 'login-0'),
      call('doctor', 'doctor-1'), call('sync', 'sync-1'), call('events', 'events-1'), call('login', 'login-1'),
    ]);
    await outcomes;
    expect(userGetOrder()).toEqual(['first', 'login-0', 'login-1', 'events-0', 'events-1', 'sync-0', 'sync-1', 'doctor-0', 'doctor-1']);
  }, 30_000);

  test('a login asked for while a sync\'s calls are queued goes out next, before the rest of the sync', async () => {
    const client = await pacedClient({ qps: 5 });
    const sync = client.inLane('sync');
    const syncCalls = settle(Array.from({ length: 12 }, (_, i) => sync.getMember(`sync-${i}`)));
    await until(() => gateway.arrivals(USER_GET).length >= 2, 'two sync calls to go out');
    const seenBefore = gateway.arrivals(USER_GET).length;
    const login = client.getMember('lisi');
    await expect(login).resolves.toMatchObject({ userid: 'lisi' });
    await syncCalls;

    const order = userGetOrder();
    const loginAt = order.indexOf('lisi');
    // At most one sync call already had its slot (in flight) when the login lined up.
    expect(loginAt).toBeGreaterThanOrEqual(seenBefore);
    expect(loginAt).toBeLessThanOrEqual(seenBefore + 1);
    expect(order.slice(loginAt + 1).filter((u) => u.startsWith('sync-')).length).toBeGreaterThanOrEqual(8);
  }, 30_000);
});

describe('deadline and depth: DINGTALK_RATE_LIMITED with retryAfter, no call made', () => {
  test('logins within their lane\'s deadline wait for a slot and succeed', async () => {
    const client = await pacedClient({ qps: 2 });
    const results = await Promise.all(Array.from({ length: 3 }, () => client.getMember('lisi')));
    expect(results.map((r) => r.userid)).toEqual(['lisi', 'lisi', 'lisi']);
    const metrics = client.runtime.metrics.snapshot();
    expect(metrics.waitedCalls).toBe(2);
    expect(metrics.refused).toEqual({});
  });

  test('calls that would wait past the deadline are refused at once', async () => {
    const client = await pacedClient({ qps: 2, runtime: { deadlinesMs: { login: 300 } } });
    const outcomes = await settle(Array.from({ length: 4 }, () => client.getMember('lisi')));
    const refused = outcomes.filter((o) => o instanceof Error) as Array<Error & { code: string; details: Record<string, unknown> }>;
    expect(refused).toHaveLength(3);
    for (const error of refused) {
      expect(error.code).toBe('DINGTALK_RATE_LIMITED');
      expect(error.details).toMatchObject({ call: 'topapi/v2/user/get', reason: 'BUDGET_EXHAUSTED', cause: 'depth', lane: 'login', qps: 2, share: 2, members: 1 });
      expect(Number.isInteger(error.details.retryAfter)).toBe(true);
      expect(error.details.retryAfter).toBeGreaterThanOrEqual(1);
      expect(error.message).toMatch(/Try again in \d+ s/);
    }
    expect(gateway.arrivals(USER_GET)).toHaveLength(1);
    expect(client.runtime.metrics.snapshot().refused).toEqual({ 'topapi/v2/user/get': 3 });
  });

  test('a sync call overtaken by logins is refused when its deadline passes', async () => {
    const client = await pacedClient({ qps: 2, runtime: { deadlinesMs: { sync: 800 } } });
    const outcomes = settle([
      client.getMember('lisi'), // takes the free slot
      client.inLane('sync').getMember('sync-0'), // next in ~525 ms: within 800 ms when asked
      client.getMember('wangwu'), // logins line up ahead of it
      client.getMember('zhangsan'),
    ]);
    const [, syncOutcome, ...logins] = await outcomes;
    expect(syncOutcome).toMatchObject({ code: 'DINGTALK_RATE_LIMITED', details: expect.objectContaining({ reason: 'BUDGET_EXHAUSTED', cause: 'deadline', lane: 'sync' }) });
    expect((syncOutcome as { details: { retryAfter: number } }).details.retryAfter).toBeGreaterThanOrEqual(1);
    expect(logins).toEqual([expect.objectContaining({ userid: 'wangwu' }), expect.objectContaining({ userid: 'zhangsan' })]);
    expect(userGetOrder()).toEqual(['lisi', 'wangwu', 'zhangsan']);
  });

  test('a full queue refuses the next call whatever its deadline', async () => {
    const client = (await pacedClient({ qps: 1, runtime: { maxQueue: 2 } })).inLane('sync');
    const outcomes = await settle(Array.from({ length: 4 }, () => client.getMember('lisi')));
    const refused = outcomes.filter((o) => o instanceof Error);
    expect(refused).toEqual([expect.objectContaining({ code: 'DINGTALK_RATE_LIMITED', details: expect.objectContaining({ reason: 'BUDGET_EXHAUSTED', cause: 'depth', queued: 2 }) })]);
    expect(gateway.arrivals(USER_GET)).toHaveLength(3);
  });
});

describe('options', () => {
  test('a budget outside 1..60 or an unknown lane is refused, naming the setting', () => {
    expect(() => clientFor(sim, { qps: 61 })).toThrow(/dingtalk\.qps must be an integer in 1\.\.60/);
    expect(() => clientFor(sim, { qps: 0 })).toThrow(/dingtalk\.qps/);
    expect(() => clientFor(sim, { lane: 'bulk' as DingTalkLane })).toThrow(/lane must be one of login, events, sync, doctor/);
    expect(() => createDingTalkRuntime({ deadlinesMs: { login: 0 } }).budgetFor(CORP_A.appKey)).toThrow(/deadlinesMs\.login/);
  });

  test('inLane keeps the credentials, the token cache and the budget', async () => {
    const client = await pacedClient();
    const sync = client.inLane('sync');
    expect(sync.lane).toBe('sync');
    expect(sync.runtime).toBe(client.runtime);
    expect(client.inLane('login')).toBe(client);
    await sync.getMember('lisi');
    expect(client.runtime.metrics.snapshot().tokenFetches.cold).toBe(0);
  });
});
