/**
 * The set-up the security suites share: the demo org in the simulator (behind the counting tap, so
 * every token DingTalk hands out is known), an app with three login instances (corp A creates
 * users, corp B requires proving a local account, a password login for that proof), its database
 * (a SQLite file, or a fresh PostgreSQL database) and `jit serve` running it as a child process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApp } from '../../../runtime/load-app';
import { silentLogger } from '../../../runtime/logger';
import { loadDemoOrg, startSimulator } from '../../../sim';
import type { SimCorp, SimulatorHandle } from '../../../sim/types';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres';
import { startServeProcess, type ServeProcess } from '../../helpers/serve-process';
import { startDingTalkTap, type DingTalkTap } from '../../reliability/support/dingtalk-tap';
import { writeLoginApp, type LoginApp } from '../../reliability/support/login-app';

export const ACME_LOGIN = 'auths.loginTypes.acmeLogin';
export const OTHER_LOGIN = 'auths.loginTypes.otherLogin';

export interface SecurityHost {
  sim: SimulatorHandle;
  tap: DingTalkTap;
  app: LoginApp;
  host: ServeProcess;
  databaseUrl: string;
  corpA: SimCorp;
  corpB: SimCorp;
  /** Every secret the run must never show: the app secrets (DingTalk tokens: `tap.tokens()`). */
  secrets: string[];
  close(): Promise<void>;
}

export interface SecurityHostOptions {
  database?: 'sqlite' | 'postgres';
  /** Pass --trust-proxy (true: the bare flag, one hop; a string: its value, e.g. '1' or '10.0.0.0/8'). */
  trustProxy?: boolean | string;
  /** More `jit serve` arguments (e.g. ['--flood-per-address', '50']). */
  args?: string[];
  /** Extra environment for the host (JIT_LOG_LEVEL, ...). */
  env?: Record<string, string>;
  /** The simulator's QPS limit (default DingTalk's 20); `'off'` only for a suite that needs no throttle. */
  qps?: number | 'off';
}

export async function startSecurityHost(options: SecurityHostOptions = {}): Promise<SecurityHost> {
  const org = loadDemoOrg();
  const [corpA, corpB] = org.corps;
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  };
  try {
    const sim = await startSimulator({ org, seed: 5, qps: options.qps });
    cleanups.push(() => sim.close());
    const tap = await startDingTalkTap(sim.url);
    cleanups.push(() => tap.close());
    const app = writeLoginApp(
      [
        { name: 'acmeLogin', corp: corpA, whenNotAssociated: 'createUser' },
        { name: 'otherLogin', corp: corpB, whenNotAssociated: 'bindExisting' },
      ],
      { withPasswordLogin: true },
    );
    cleanups.push(() => app.remove());
    let databaseUrl: string;
    if (options.database === 'postgres') {
      const database: TestDatabase = await createTestDatabase();
      cleanups.push(() => database.drop());
      databaseUrl = database.url;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-sec-db-'));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      databaseUrl = `sqlite:${path.join(dir, 'app.db')}`;
    }
    const host = await startServeProcess({
      appDir: app.dir,
      env: { ...tap.env(), ...app.appEnv, JIT_DATABASE_URL: databaseUrl, ...options.env },
      args: [...(options.trustProxy === true ? ['--trust-proxy'] : typeof options.trustProxy === 'string' ? ['--trust-proxy', options.trustProxy] : []), ...(options.args ?? [])],
    });
    cleanups.push(async () => void (await host.stop()));
    return { sim, tap, app, host, databaseUrl, corpA, corpB, secrets: app.secrets, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A local account with a password, written straight into the host's database through the library
 * (as `jit users create` does), for the bindExisting proof.
 */
export async function createLocalUser(t: SecurityHost, user: { username: string; password: string; phone?: string }): Promise<string> {
  const app = await loadApp(t.app.dir, { databaseUrl: t.databaseUrl, env: { ...process.env, ...t.app.appEnv }, logger: silentLogger });
  try {
    return (await app.users.create({ username: user.username, password: user.password, phone: user.phone ?? null, source: 'test' })).id;
  } finally {
    await app.close();
  }
}
