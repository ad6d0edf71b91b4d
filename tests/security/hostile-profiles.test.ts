/**
 * Hostile input from the other side: DingTalk members whose own names, titles, job numbers and
 * mailboxes are injection-looking or odd strings (markup, SQL, templates, RTL, lone surrogates, NUL,
 * very long). Each logs in through a real `jit serve` process by both flows; every login works,
 * nothing answers 5xx, the pages that show the person (`/`, `/login`) escape what DingTalk said, and
 * the database holds one user and one binding per member. On a SQLite file and on PostgreSQL.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateOrg, startSimulator } from '../../sim';
import type { SimulatorHandle } from '../../sim/types';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { describeWithPostgres } from '../helpers/requirements';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process';
import { inspectDatabase } from '../reliability/support/db-inspector';
import { writeLoginApp, type LoginApp } from '../reliability/support/login-app';
import { createLoginDriver, type LoginKind } from '../reliability/support/login-driver';
import { memberAddress } from '../reliability/support/plan';
import { HOSTILE_STRINGS } from './support/fuzz-cases';
import { rawRequest } from './support/raw-http';

jest.setTimeout(180_000);

const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror'];

function hostileProfilesSuite(database: 'sqlite' | 'postgres', describeFn: (title: string, fn: () => void) => void): void {
  describeFn(`DingTalk members with hostile profiles log in safely [${database}]`, () => {
    // One member per hostile string: it is their name, title and job number; every other one also
    // gets it as a mailbox local part.
    const org = generateOrg({ members: HOSTILE_STRINGS.length, seed: 44 });
    const corp = org.corps[0];
    corp.users.forEach((user, i) => {
      // The simulator (like DingTalk) keeps names and job numbers non-empty.
      const value = HOSTILE_STRINGS[i][1].trim() === '' ? `blank${HOSTILE_STRINGS[i][1]}` : HOSTILE_STRINGS[i][1];
      user.name = value;
      user.title = value;
      user.job_number = value.slice(0, 64);
      if (i % 2 === 0) user.email = `${value.slice(0, 40)}@corp.example.com`;
    });
    let sim: SimulatorHandle;
    let app: LoginApp;
    let host: ServeProcess;
    let db: TestDatabase | undefined;
    let tempDir = '';
    let databaseUrl = '';

    beforeAll(async () => {
      // Needs no throttle: tests hostile profiles; every member logs in by both flows as fast as it can.
      sim = await startSimulator({ org, seed: 44, qps: 'off' });
      app = writeLoginApp([{ name: 'corpLogin', corp, whenNotAssociated: 'createUser' }]);
      if (database === 'postgres') {
        db = await createTestDatabase();
        databaseUrl = db.url;
      } else {
        tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-hostile-'));
        databaseUrl = `sqlite:${path.join(tempDir, 'app.db')}`;
      }
      host = await startServeProcess({
        appDir: app.dir,
        env: { DINGTALK_OAPI_URL: sim.url, DINGTALK_API_URL: sim.url, DINGTALK_LOGIN_URL: sim.url, ...app.appEnv, JIT_DATABASE_URL: databaseUrl },
        args: ['--trust-proxy'],
      });
    });

    afterAll(async () => {
      await host?.stop();
      await db?.drop();
      await sim?.close();
      app?.remove();
      if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    });

    test('every member logs in by both flows, pages escape their profile, one user and binding each', async () => {
      const driver = createLoginDriver(sim, { corp, instance: 'auths.loginTypes.corpLogin' }, { timeoutMs: 60_000 });
      const problems: string[] = [];
      for (const [i, member] of corp.users.entries()) {
        const label = HOSTILE_STRINGS[i][0];
        for (const kind of ['workbench', 'qr'] as LoginKind[]) {
          const outcome = await driver.login(host.url, member, kind, { 'x-forwarded-for': memberAddress(member) });
          if (!outcome.ok) {
            problems.push(`${label} (${kind}): ${outcome.status} ${outcome.code}`);
            continue;
          }
          for (const page of ['/', '/login']) {
            const res = await rawRequest(host.url, { method: 'GET', path: page, headers: { cookie: `jit_session=${outcome.token}`, accept: 'text/html' } });
            if (res.status !== 200) problems.push(`${label}: GET ${page} answered ${res.status}`);
            for (const markup of MARKUP) if (res.body.includes(markup)) problems.push(`${label}: GET ${page} shows ${markup} unescaped`);
          }
          const me = await rawRequest(host.url, { method: 'GET', path: '/api/me', headers: { authorization: `Bearer ${outcome.token}` } });
          if (me.status !== 200) problems.push(`${label}: /api/me answered ${me.status}`);
        }
      }
      expect(problems).toEqual([]);
      expect(host.running()).toBe(true);
      expect(host.output().split('\n').filter((line) => line.includes('"level":"error"'))).toEqual([]);

      const snapshot = await inspectDatabase(databaseUrl);
      expect(snapshot.problems).toEqual([]);
      expect(snapshot.bindings).toHaveLength(corp.users.length);
      expect(snapshot.users).toHaveLength(corp.users.length);
    });
  });
}

hostileProfilesSuite('sqlite', describe);
hostileProfilesSuite('postgres', describeWithPostgres);
