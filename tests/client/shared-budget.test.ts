/**
 * Several processes on one database split an app's budget: two DingTalk runtimes, each with its own
 * connection to the same SQLite file or PostgreSQL database (as two hosts, or a host and `jit org
 * sync`, would have), register in the app's lease group and each take half. Their bursts together
 * stay within DingTalk's 20 per second per API at the gateway stand-in, which throttles beyond it;
 * without the shared registration the same bursts are throttled. When one leaves, the other takes all.
 */
import { coreModels, createLeaseStore, openDatabase, type Database } from '../../runtime/db';
import { budgetGroupOf, createDingTalkRuntime, type DingTalkRuntime, type DingTalkRuntimeOptions } from '../../dingtalk/client';
import { describeEachDatabase } from '../helpers/each-database';
import { CORP_A, clientFor } from './helpers';
import { useGatewayOverSimulator } from '../helpers/gateway-over-simulator';

const USER_GET = '/topapi/v2/user/get';
/** Short timings so a test sees registrations come and go without waiting seconds. */
const MEMBERSHIP = { renewMs: 200, ttlMs: 3_000, idleMs: 60_000 };

const { sim, gateway } = useGatewayOverSimulator();

/** Two bursts of `n` getMember calls, one per runtime, at the same time, through the gateway enforcing 20/s. */
async function twoBursts(runtimes: DingTalkRuntime[], n: number): Promise<void> {
  const clients = runtimes.map((runtime) => clientFor(sim, { hosts: gateway.hosts(), runtime }).client.inLane('sync'));
  for (const client of clients) await client.getAppAccessToken();
  gateway.reset();
  gateway.enforceQps(20);
  for (const runtime of runtimes) runtime.metrics.reset();
  await Promise.all(clients.flatMap((client) => Array.from({ length: n }, () => client.getMember('lisi').catch((error: unknown) => error))));
}

function throttledArrivals(): number {
  return gateway.arrivals(USER_GET).filter((a) => a.answer === 'throttled').length;
}

test('two runtimes that do not share a database each take the whole budget: together they are throttled', async () => {
  const runtimes = [createDingTalkRuntime(), createDingTalkRuntime()];
  await twoBursts(runtimes, 40);
  expect(throttledArrivals()).toBeGreaterThan(0);
}, 60_000);

describeEachDatabase('two processes on one database', (target) => {
  const databases: Database[] = [];
  const runtimes: DingTalkRuntime[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase(target.url, [coreModels]);
      databases.push(db);
      const options: DingTalkRuntimeOptions = { leases: createLeaseStore(db), membership: MEMBERSHIP, label: `test process ${i}` };
      runtimes.push(createDingTalkRuntime(options));
    }
  });
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.close();
    for (const db of databases) await db.close();
  });

  test('each registers and takes half; their bursts together stay within 20 a second, unthrottled; the one left takes all', async () => {
    // Registering happens on the first call (in the background); count again once both are in.
    for (const runtime of runtimes) await clientFor(sim, { hosts: gateway.hosts(), runtime }).client.getAppAccessToken();
    // Once both are registered, each one's next count sees both.
    for (const runtime of runtimes) await runtime.refreshShare(CORP_A.appKey);
    for (const runtime of runtimes) await runtime.refreshShare(CORP_A.appKey);
    for (const runtime of runtimes) {
      expect(runtime.status()).toEqual([expect.objectContaining({ appKey: CORP_A.appKey, qps: 20, members: 2, share: 10 })]);
    }
    const rows = await createLeaseStore(databases[0]).members(budgetGroupOf(CORP_A.appKey));
    expect(rows.map((r) => r.holder).sort()).toEqual(runtimes.map((r) => r.memberId).sort());
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining([expect.stringContaining(`pid ${process.pid} (test process 0)`)]));

    await twoBursts(runtimes, 40);
    expect(runtimes.map((r) => r.metrics.snapshot().calls['topapi/v2/user/get']?.ok)).toEqual([40, 40]);
    expect(throttledArrivals()).toBe(0);
    expect(gateway.maxInWindow(USER_GET, 1000)).toBeLessThanOrEqual(20);

    // One leaves (a command that finished): the other's next count gives it the whole budget.
    await runtimes[1].close();
    expect(await runtimes[0].refreshShare(CORP_A.appKey)).toBe(1);
    expect(runtimes[0].status()).toEqual([expect.objectContaining({ members: 1, share: 20 })]);
  }, 60_000);

  test('a process that stops renewing (it died) drops out when its registration expires', async () => {
    const store = createLeaseStore(databases[1]);
    const before = await runtimes[0].refreshShare(CORP_A.appKey);
    await store.join(budgetGroupOf(CORP_A.appKey), 'a-host-that-died', { ttlMs: 300 });
    expect(await runtimes[0].refreshShare(CORP_A.appKey)).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await runtimes[0].refreshShare(CORP_A.appKey)).toBe(before);
  });
});
