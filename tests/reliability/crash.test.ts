/**
 * Crashes: a `jit serve` process is killed with SIGKILL in the middle of a burst of first logins
 * (logins in flight, transactions open), then started again on the same database. Read over a
 * second connection, the database must be consistent (no binding without its user, no user a login
 * provisioned without its binding, no half-written row, SQLite's integrity check clean); the
 * sessions handed out before the crash still work; and everyone whose login was cut off can log in.
 * Run on a SQLite file and on PostgreSQL.
 */
import { generateOrg } from '../../sim';
import { inspectDatabase } from '../helpers/db-inspector';
import { createLoginDriver, runPool, type LoginKind, type LoginOutcome } from '../helpers/login-driver';
import { memberAddress } from '../helpers/load-plan';
import { useLoginApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const MEMBERS = 120;
const INSTANCE = 'auths.loginTypes.corpLogin';
/** SIGKILL once this many logins have completed: well inside the burst. */
const KILL_AFTER = 40;

jest.setTimeout(300_000);

describeEachDatabase('SIGKILL during a burst of logins', (db) => {
  const org = generateOrg({ members: MEMBERS, seed: 33 });
  const corp = org.corps[0];
  // Some latency keeps many logins in flight (inside DingTalk calls and transactions) at the kill.
  // Needs no throttle: tests a SIGKILL during a burst of logins, far over 20 calls a second.
  const sim = useSimulator({ org, latencyMs: 15, seed: 33, qps: 'off' });
  const env = useLoginApp({ sim, app: { instances: [{ name: 'corpLogin', corp, whenNotAssociated: 'createUser' }] }, database: db, load: false });

  test('the database stays consistent and the people cut off can log in again', async () => {
    const driver = createLoginDriver(sim, { corp, instance: INSTANCE }, { timeoutMs: 60_000 });
    const login = (h: { url: string }, member: (typeof corp.users)[number], i: number) =>
      driver.login(h.url, member, (i % 2 === 0 ? 'workbench' : 'qr') as LoginKind, { 'x-forwarded-for': memberAddress(member) });

    const first = await env.startServe({ args: ['--trust-proxy'] });
    let completed = 0;
    let inFlightAtKill = 0;
    let inFlight = 0;
    let killed: Promise<{ signal: string | null }> | null = null;
    const burst: LoginOutcome[] = await runPool(corp.users, 32, async (member, i) => {
      inFlight += 1;
      const outcome = await login(first, member, i);
      inFlight -= 1;
      if (++completed === KILL_AFTER) {
        inFlightAtKill = inFlight;
        killed = first.kill('SIGKILL');
      }
      return outcome;
    });
    expect(killed).not.toBeNull();
    expect((await killed!).signal).toBe('SIGKILL');
    // The kill really cut logins off mid-way, and the ones cut off failed on the wire, not typed.
    expect(inFlightAtKill).toBeGreaterThan(0);
    const cutOff = burst.filter((o) => !o.ok);
    expect(cutOff.length).toBeGreaterThanOrEqual(inFlightAtKill);
    expect(cutOff.every((o) => o.code === 'NETWORK_ERROR')).toBe(true);
    const before = burst.filter((o) => o.ok);
    expect(before.length).toBeGreaterThanOrEqual(KILL_AFTER - 1);

    // Consistent after the crash: nothing half-written, every success committed.
    const afterCrash = await inspectDatabase(env.databaseUrl);
    expect(afterCrash.problems).toEqual([]);
    for (const o of before) expect(afterCrash.bindings.find((b) => b.thirdUserId === o.userid)?.userId).toBe(o.userId);

    // Restart on the same database: the sessions from before still work; the cut-off log in again.
    const host = await env.startServe({ args: ['--trust-proxy'] });
    for (const o of before.slice(0, 10)) {
      const me = await fetch(`${host.url}/api/me`, { headers: { authorization: `Bearer ${o.token}` } });
      expect(me.status).toBe(200);
    }
    const members = new Map(corp.users.map((u, i) => [u.userid, { member: u, i }]));
    const again = await runPool(cutOff, 16, (o) => {
      const { member, i } = members.get(o.userid)!;
      return login(host, member, i);
    });
    expect(again.filter((o) => !o.ok)).toEqual([]);

    const final = await inspectDatabase(env.databaseUrl);
    expect(final.problems).toEqual([]);
    expect(final.bindings).toHaveLength(MEMBERS);
    expect(final.users).toHaveLength(MEMBERS);
    for (const o of [...before, ...again]) expect(final.bindings.find((b) => b.thirdUserId === o.userid)?.userId).toBe(o.userId);
    process.stdout.write(
      `\ncrash [${db.kind}]: ${MEMBERS} first logins, SIGKILL after ${KILL_AFTER} completed with ${inFlightAtKill} in flight; ` +
        `${before.length} succeeded before, ${cutOff.length} cut off (bindings committed for ${afterCrash.bindings.length - before.length} of them), ` +
        `all ${again.length} logged in after restart; problems found: ${afterCrash.problems.length + final.problems.length}\n`,
    );
  });
});

