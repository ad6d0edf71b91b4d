/**
 * Crashes: a `jit serve` process is killed with SIGKILL in the middle of a burst of first logins
 * (logins in flight, transactions open), then started again on the same database. Read over a
 * second connection, the database must be consistent (no binding without its user, no user a login
 * provisioned without its binding, no half-written row, SQLite's integrity check clean); the
 * sessions handed out before the crash still work; and everyone whose login was cut off can log in.
 * Run on a SQLite file and on PostgreSQL.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateOrg, startSimulator } from '../../sim';
import type { SimulatorHandle } from '../../sim/types';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { describeWithPostgres } from '../helpers/requirements';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { inspectDatabase } from './support/db-inspector';
import { writeLoginApp, type LoginApp } from './support/login-app';
import { createLoginDriver, runPool, type LoginKind, type LoginOutcome } from './support/login-driver';
import { memberAddress } from './support/plan';

const MEMBERS = 120;
const INSTANCE = 'auths.loginTypes.corpLogin';
/** SIGKILL once this many logins have completed: well inside the burst. */
const KILL_AFTER = 40;

jest.setTimeout(300_000);

interface Target {
  url: string;
}

function crashSuite(kind: 'sqlite' | 'postgres', describeFn: (title: string, fn: () => void) => void): void {
  describeFn(`SIGKILL during a burst of logins [${kind}]`, () => {
    const org = generateOrg({ members: MEMBERS, seed: 33 });
    const corp = org.corps[0];
    const target: Target = { url: '' };
    let sim: SimulatorHandle;
    let app: LoginApp;
    let database: TestDatabase | undefined;
    let tempDir = '';
    let host: ServeProcess | undefined;
    let env: Record<string, string>;

    beforeAll(async () => {
      // Some latency keeps many logins in flight (inside DingTalk calls and transactions) at the kill.
      // Needs no throttle: tests a SIGKILL during a burst of logins, far over 20 calls a second.
      sim = await startSimulator({ org, latencyMs: 15, seed: 33, qps: 'off' });
      app = writeLoginApp([{ name: 'corpLogin', corp, whenNotAssociated: 'createUser' }]);
      if (kind === 'postgres') {
        database = await createTestDatabase();
        target.url = database.url;
      } else {
        tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-crash-'));
        target.url = `sqlite:${path.join(tempDir, 'app.db')}`;
      }
      env = { DINGTALK_OAPI_URL: sim.url, DINGTALK_API_URL: sim.url, DINGTALK_LOGIN_URL: sim.url, ...app.appEnv, JIT_DATABASE_URL: target.url };
    });

    afterAll(async () => {
      await host?.stop();
      await database?.drop();
      await sim?.close();
      app?.remove();
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    });

    test('the database stays consistent and the people cut off can log in again', async () => {
      const driver = createLoginDriver(sim, { corp, instance: INSTANCE }, { timeoutMs: 60_000 });
      const login = (h: ServeProcess, member: (typeof corp.users)[number], i: number) =>
        driver.login(h.url, member, (i % 2 === 0 ? 'workbench' : 'qr') as LoginKind, { 'x-forwarded-for': memberAddress(member) });

      const first = await startServeProcess({ appDir: app.dir, env, args: ['--trust-proxy'] });
      host = first;
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
      const afterCrash = await inspectDatabase(target.url);
      expect(afterCrash.problems).toEqual([]);
      for (const o of before) expect(afterCrash.bindings.find((b) => b.thirdUserId === o.userid)?.userId).toBe(o.userId);

      // Restart on the same database: the sessions from before still work; the cut-off log in again.
      host = await startServeProcess({ appDir: app.dir, env, args: ['--trust-proxy'] });
      for (const o of before.slice(0, 10)) {
        const me = await fetch(`${host.url}/api/me`, { headers: { authorization: `Bearer ${o.token}` } });
        expect(me.status).toBe(200);
      }
      const members = new Map(corp.users.map((u, i) => [u.userid, { member: u, i }]));
      const again = await runPool(cutOff, 16, (o) => {
        const { member, i } = members.get(o.userid)!;
        return login(host!, member, i);
      });
      expect(again.filter((o) => !o.ok)).toEqual([]);

      const final = await inspectDatabase(target.url);
      expect(final.problems).toEqual([]);
      expect(final.bindings).toHaveLength(MEMBERS);
      expect(final.users).toHaveLength(MEMBERS);
      for (const o of [...before, ...again]) expect(final.bindings.find((b) => b.thirdUserId === o.userid)?.userId).toBe(o.userId);
      process.stdout.write(
        `\ncrash [${kind}]: ${MEMBERS} first logins, SIGKILL after ${KILL_AFTER} completed with ${inFlightAtKill} in flight; ` +
          `${before.length} succeeded before, ${cutOff.length} cut off (bindings committed for ${afterCrash.bindings.length - before.length} of them), ` +
          `all ${again.length} logged in after restart; problems found: ${afterCrash.problems.length + final.problems.length}\n`,
      );
    });
  });
}

crashSuite('sqlite', describe);
crashSuite('postgres', describeWithPostgres);
