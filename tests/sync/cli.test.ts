/**
 * `jit org sync` as a person or a script uses it: the human summary, --dry-run, --json, exit codes
 * (0 done, 1 something failed or a user error, 2 bad usage), a login's fullName resolved to the
 * corp that names it (or a one-line answer naming the corp to create), `jit org status` and
 * `jit org restore`. The CLI runs in-process (main()), with
 * the database and the DingTalk hosts given through the environment as an operator would.
 */
import { main } from '../../cli/main';
import { generateOrg } from '../../sim';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { APP_ENV, CORP, FIXTURE_APP, INSTANCE, SYNC_CORP } from './org-fixture';
import { useSimulator } from '../helpers/simulator';
import { scratchDatabase, useScratchDatabase } from '../helpers/scratch-database';

interface JitRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function jit(...args: string[]): Promise<JitRun> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'jit', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.exitCode = undefined;
    out.mockRestore();
    err.mockRestore();
  }
}

describe('jit org sync', () => {
  const org = generateOrg({
    members: 60,
    depth: 2,
    breadth: 3,
    seed: 3,
    corpId: SYNC_CORP.corpId,
    app: { appKey: SYNC_CORP.appKey, appSecret: SYNC_CORP.appSecret, agentId: SYNC_CORP.agentId },
  });
  // The paid tier on both sides (the fixture's dingtalk.qps is 60): DingTalk's default 20 is paced in
  // tests/client and measured in npm run bench.
  const sim = useSimulator({ org, qps: 60 });
  const db = useScratchDatabase('sqlite');
  const saved = { ...process.env };
  const sync = (...args: string[]) => jit('org', 'sync', CORP, '--app', FIXTURE_APP, '--page-size', '4', ...args);

  beforeAll(async () => {
    Object.assign(process.env, APP_ENV, {
      JIT_DATABASE_URL: db.url,
      DINGTALK_OAPI_URL: sim.oapiUrl,
      DINGTALK_API_URL: sim.apiUrl,
      DINGTALK_LOGIN_URL: sim.loginUrl,
    });
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('--dry-run prints what would be added and writes nothing', async () => {
    const run = await sync('--dry-run');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Dry run of org sync of ${CORP} \\(corp ${SYNC_CORP.corpId}\\): complete, `));
    expect(lines[1]).toBe('  departments: 13 listed; would be added 13, updated 0, removed 0; unchanged 0');
    expect(lines[2]).toBe('  members:     60 listed; would be added 60, updated 0, disabled 0; unchanged 0, unbound 0, failed 0');
    expect(lines).toContain('Would add:');
    expect(lines).toContain(`  user01 (${org.corps[0].users[0].name}): new local user`);
    expect(lines).toContain('  ... and 40 more (--json lists all)');
    expect(lines).toContain('Nothing was written (dry run).');

    // Nothing was written: the real run still adds everyone.
    const json = JSON.parse((await sync('--json')).stdout);
    expect(json.members).toMatchObject({ listed: 60, added: 60 });
  });

  it('--json prints the whole summary for scripts, and a second run is all unchanged', async () => {
    const run = await sync('--json');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      corp: CORP,
      instance: CORP,
      corpId: SYNC_CORP.corpId,
      dryRun: false,
      complete: true,
      departments: { listed: 13, added: 0, updated: 0, removed: 0, unchanged: 13 },
      members: { listed: 60, added: 0, updated: 0, unchanged: 60, unbound: 0, offline: 0, failed: 0, left: 0, disabled: 0, leftKept: 0 },
      added: [],
      updated: [],
      disabled: [],
      failures: [],
    });
    expect(run.stdout).not.toContain(SYNC_CORP.appSecret);
  });

  it('exits 1 and says why when a fetch failed, and disables nobody', async () => {
    sim.injectFault({ endpoints: ['topapi/v2/department/listsub'], kind: 'busy' });
    try {
      const run = await sync();
      expect(run.code).toBe(1);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toMatch(/: INCOMPLETE, /);
      expect(lines).toContain('Failed:');
      expect(lines.find((l) => l.startsWith('  department 1, sub-departments: DINGTALK_UNAVAILABLE'))).toBeDefined();
      // Only the root was readable: its sub-departments' members look gone, but nobody is disabled.
      expect(lines[2]).toMatch(/disabled 0;/);
      expect(lines).toContain('Leavers not handled: 1 fetch failed, so the member list is incomplete: nobody is disabled in this run');

      const json = JSON.parse((await sync('--json')).stdout);
      expect(json.failures).toEqual([{ kind: 'subDepartments', deptId: 1, code: 'DINGTALK_UNAVAILABLE', message: expect.any(String) }]);
    } finally {
      sim.clearFaults();
    }
  }, 60_000);

  it('names a missing or wrong element as a user error (exit 1) and a bad page size as bad usage (exit 2)', async () => {
    const missing = await jit('org', 'sync', 'auths.loginTypes.nope', '--app', FIXTURE_APP);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error ELEMENT_NOT_FOUND: No element auths.loginTypes.nope');

    const notInstance = await jit('org', 'sync', 'auths.loginTypes.DDInnerType', '--app', FIXTURE_APP);
    expect(notInstance.code).toBe(1);
    expect(notInstance.stderr).toContain('auths.loginTypes.DDInnerType is a type, not a corp: name a corp (jit list --type corps.Meta)');

    const badSize = await jit('org', 'sync', CORP, '--app', FIXTURE_APP, '--page-size', '500');
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toContain('must be an integer from 1 to 100');
  });

  it("a login's fullName means the corp that names it, and says so", async () => {
    const run = await jit('org', 'sync', INSTANCE, '--app', FIXTURE_APP, '--page-size', '4', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`${INSTANCE} is a login: using ${CORP}, the corp that names it\n`);
    expect(JSON.parse(run.stdout)).toMatchObject({ corp: CORP, members: { listed: 60, unchanged: 60 } });
  });

  it('a login no corp names fails with the one command that makes its corp', async () => {
    const run = await jit('org', 'sync', 'auths.loginTypes.plainLogin', '--app', FIXTURE_APP);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'error BAD_REQUEST: auths.loginTypes.plainLogin is not a corp, and no corp names it: create one with jit create corps.plainLogin --type corps.DDInnerType --auth auths.loginTypes.plainLogin --app ' + FIXTURE_APP,
    ]);
  });

  it('a login still carrying sync (no corp yet) is synced through its implied corp, with the command that makes the real one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-implied-'));
    const app = path.join(dir, 'org-app');
    fs.cpSync(FIXTURE_APP, app, { recursive: true });
    fs.rmSync(path.join(app, 'corps'), { recursive: true });
    const loginFile = path.join(app, 'auths/loginTypes/orgLogin/orgLogin.json');
    fs.writeFileSync(loginFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(loginFile, 'utf8')), sync: { intervalMinutes: 60 } }, null, 2));
    const own = await scratchDatabase('sqlite');
    process.env.JIT_DATABASE_URL = own.url;
    try {
      const run = await jit('org', 'sync', INSTANCE, '--app', app, '--page-size', '4', '--json');
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`${INSTANCE} still carries "sync" and no corp names it: syncing it through an implied corp; make the real one with: jit create corps.orgLogin --type corps.DDInnerType --auth ${INSTANCE} --app ${app}`);
      // The implied corp keeps today's names: the summary is the login's, users are `sync:<login>`.
      const summary = JSON.parse(run.stdout);
      expect(summary).toMatchObject({ corp: INSTANCE, instance: INSTANCE, corpId: SYNC_CORP.corpId, members: { listed: 60, added: 60 } });
      const users = JSON.parse((await jit('users', 'list', '--app', app, '--json')).stdout) as Array<{ source: string }>;
      expect(new Set(users.map((u) => u.source))).toEqual(new Set([`sync:${INSTANCE}`]));
    } finally {
      process.env.JIT_DATABASE_URL = db.url;
      await own.remove();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('status shows the last run and the counts; restore needs an ended membership', async () => {
    const run = await jit('org', 'status', CORP, '--app', FIXTURE_APP, '--json');
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({ corp: CORP, orgId: SYNC_CORP.corpId, isActive: true, intervalMinutes: 60, members: { active: 60, left: 0, offline: 0 }, left: [], offline: [], unmanagedLeavers: [] });
    expect(status.lastRun).toMatchObject({ dryRun: false, outcome: 'complete', counts: { members: { listed: 60 } } });

    const lines = (await jit('org', 'status', CORP, '--app', FIXTURE_APP)).stdout.split('\n');
    expect(lines[0]).toBe(`Corp ${CORP} (corp ${SYNC_CORP.corpId}): active; synced every 60 min`);
    expect(lines[2]).toBe('  members:     60 active, 0 left, 0 offline');

    const restore = await jit('org', 'restore', CORP, org.corps[0].users[0].userid, '--app', FIXTURE_APP);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain(`is an active member of ${CORP}: there is nothing to restore`);
  });
});
