/**
 * A sync killed midway: `jit org sync` runs in a child process and is killed (SIGKILL, no chance to
 * clean up) once its first members are committed. The database must then hold whole members only
 * (each with its user, binding, org record and departments, or nothing), and a re-run must complete
 * the sync. Also: a run stopped through its AbortSignal, the library's way to interrupt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Database as SqliteDatabase } from 'sqlite3';
import type { AppHandle } from '../../runtime/app-types';
import type { SimulatorHandle } from '../../sim/types';
import { APP_ENV, FIXTURE_APP, CORP, SYNC_CORP, corpOf, countRows, generatedOrg, membershipCount, withSyncApp } from './org-fixture';
import { useSimulator } from '../helpers/simulator';
import { scratchDatabase, useScratchDatabase } from '../helpers/scratch-database';

const ROOT = path.resolve(__dirname, '../..');
const org = generatedOrg(1000);

/** Whole members only: every binding has its user, org record and departments, and nothing else exists. */
async function expectWholeMembers(app: AppHandle): Promise<number> {
  const bindings = await countRows(app, 'dd_inner_auth');
  expect(await countRows(app, 'users')).toBe(bindings);
  expect(await countRows(app, 'corp_members')).toBe(bindings);
  const rows: Array<{ userid: string; n: string | number }> = await app.db.dataSource.query(
    'SELECT b."thirdUserId" AS userid, COUNT(l.id) AS n FROM dd_inner_auth b LEFT JOIN corp_department_members l ON l.userid = b."thirdUserId" GROUP BY b."thirdUserId"',
  );
  const expected = new Map(corpOf(org).users.map((u) => [u.userid, new Set(u.dept_id_list).size]));
  for (const row of rows) expect([row.userid, Number(row.n)]).toEqual([row.userid, expected.get(row.userid)]);
  expect(await countRows(app, 'corp_department_members')).toBe(rows.reduce((sum, row) => sum + Number(row.n), 0));
  return bindings;
}

function runCli(sim: SimulatorHandle, databaseUrl: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'cli/main.ts'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...APP_ENV,
      JIT_DATABASE_URL: databaseUrl,
      DINGTALK_OAPI_URL: sim.oapiUrl,
      DINGTALK_API_URL: sim.apiUrl,
      DINGTALK_LOGIN_URL: sim.loginUrl,
      TS_NODE_TRANSPILE_ONLY: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Bindings committed so far, read through a connection of our own (as another process would). */
function committedBindings(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const db = new SqliteDatabase(file, 1 /* OPEN_READONLY */, (openErr) => {
      if (openErr) return resolve(0); // not created yet
      db.get('SELECT COUNT(*) AS n FROM dd_inner_auth', (err, row: { n: number } | undefined) => {
        db.close();
        if (err) return /no such table/.test(err.message) ? resolve(0) : reject(err);
        resolve(row?.n ?? 0);
      });
    });
  });
}

describe('an interrupted sync', () => {
  // The paid tier on both sides (the fixture's dingtalk.qps is 60): DingTalk's default 20 is paced in
  // tests/client and measured in npm run bench.
  const sim = useSimulator({ org, qps: 60 });
  const db = useScratchDatabase('sqlite');

  it('killed midway, leaves whole members only; a re-run completes it', async () => {
    const child = runCli(sim, db.url, ['org', 'sync', CORP, '--app', FIXTURE_APP, '--page-size', '5', '--json']);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

    // Kill it as soon as a first batch of members is committed.
    let atKill = 0;
    while (atKill === 0) {
      if (child.exitCode !== null) throw new Error(`the sync ended before it could be killed: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      atKill = await committedBindings(db.file!);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const written = await withSyncApp(sim, db.url, async ({ app }) => {
      expect(await countRows(app, 'corp_departments')).toBe(85); // written before any member
      return expectWholeMembers(app);
    });
    expect(written).toBeGreaterThanOrEqual(atKill);
    expect(written).toBeLessThan(1000); // it really was stopped midway

    const summary = await withSyncApp(sim, db.url, ({ corp }) => corp.syncCorp({ pageSize: 5 }));
    expect(summary.complete).toBe(true);
    expect(summary.members).toMatchObject({ listed: 1000, added: 1000 - written, unchanged: written, updated: 0, failed: 0, disabled: 0 });
    await withSyncApp(sim, db.url, async ({ app }) => {
      expect(await expectWholeMembers(app)).toBe(1000);
      expect(await countRows(app, 'corp_department_members')).toBe(membershipCount(org));
    });
  }, 120_000);

  it('stopped through its AbortSignal, it rejects between members and a re-run completes it', async () => {
    const other = await scratchDatabase('sqlite');
    try {
      const abort = new AbortController();
      const stopped = withSyncApp(sim, other.url, ({ corp }) =>
        corp.syncCorp({ pageSize: 50, signal: abort.signal, onProgress: (p) => p.phase === 'apply' && p.applied >= 100 && abort.abort(new Error('stop')) }),
      );
      await expect(stopped).rejects.toThrow('stop');
      const written = await withSyncApp(sim, other.url, ({ app }) => expectWholeMembers(app));
      expect(written).toBeGreaterThanOrEqual(100);
      expect(written).toBeLessThan(1000);

      const summary = await withSyncApp(sim, other.url, ({ corp }) => corp.syncCorp({ pageSize: 50 }));
      expect(summary.members).toMatchObject({ added: 1000 - written, unchanged: written });
      expect(summary.corpId).toBe(SYNC_CORP.corpId);
    } finally {
      await other.remove();
    }
  }, 120_000);
});
