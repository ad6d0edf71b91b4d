/**
 * `jit audit list|export` and the audit rows of `jit bindings unbind`, run in-process through the real
 * `jit` entry against a fixture app on SQLite and PostgreSQL. The events come from real logins
 * (library + simulator) and, for times in the past and bulk, from the store with a moved clock.
 */
import * as path from 'node:path';
import { DatabaseAuditLog, type AuditEvent, type AuditEventInput } from '../../runtime/audit';
import { withRequestContext } from '../../runtime/request-context';
import { runCli, STACK_TRACE, type CliRun } from '../cli/run-cli';
import { CORP_A } from '../helpers/demo-org';
import { ACME_LOGIN, useLoginApp } from '../helpers/login-app';
import { workbenchLogin, errorCode } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const APP = path.resolve(__dirname, '../fixtures/login/create-user');
const DAY = 24 * 60 * 60 * 1000;

const sim = useSimulator();

/** Runs `jit <args> --app <fixture>` with the database URL and the fixture's secrets in the environment. */
async function jit(databaseUrl: string, ...args: string[]): Promise<CliRun> {
  const saved = { ...process.env };
  Object.assign(process.env, { JIT_DATABASE_URL: databaseUrl, DD_APP_SECRET_A: 'x'.repeat(64), DD_APP_SECRET_B: 'y'.repeat(64) });
  try {
    return await runCli(...args, '--app', APP);
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

function parsed(run: CliRun): AuditEvent[] {
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as AuditEvent[];
}

describeEachDatabase('jit audit', (database) => {
  const env = useLoginApp({ sim, app: 'create-user', database });
  let patId = '';
  beforeAll(async () => {
    // Three days ago: an operator disabled pat.
    patId = (await env.app.users.create({ username: 'pat' })).id;
    const past = new DatabaseAuditLog(env.app.db, { now: () => new Date(Date.now() - 3 * DAY) });
    await past.record({ type: 'admin.user.disabled', userId: patId, details: { via: 'cli' } });
    // Now: a first login, and two failures from one address.
    await withRequestContext({ clientAddress: '203.0.113.5' }, () => workbenchLogin(env, sim, 'zhangsan'));
    const forged = () => env.auth().getLoginCode({ code: 'a'.repeat(32), loginType: 'qr', platform: 'web', state: 'forged.state' });
    await withRequestContext({ clientAddress: '198.51.100.23' }, async () => {
      expect(await errorCode(forged())).toBe('STATE_INVALID');
      expect(await errorCode(forged())).toBe('STATE_INVALID');
    });
  });

  test('list prints a table, newest first, with usernames, counts and addresses', async () => {
    const run = await jit(database.url, 'audit', 'list');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+TYPE\s+OUTCOME\s+COUNT\s+USER\s+DINGTALK\s+INSTANCE\s+ADDRESS\s+DETAILS$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/)[1])).toEqual(['login.failed', 'login.succeeded', 'binding.created', 'user.created', 'admin.user.disabled']);
    expect(lines[1]).toMatch(/login\.failed\s+STATE_INVALID\s+2\s+-\s+-\s+auths\.loginTypes\.acmeLogin\s+198\.51\.100\.23\s+flow=qr platform=web$/);
    expect(lines[2]).toMatch(/login\.succeeded\s+ok\s+1\s+zhangsan\s+zhangsan\s+auths\.loginTypes\.acmeLogin\s+203\.0\.113\.5/);
    expect(lines[5]).toMatch(/admin\.user\.disabled\s+ok\s+1\s+pat\s+-\s+-\s+-\s+via=cli$/);
  });

  test('--json prints the events', async () => {
    const events = parsed(await jit(database.url, 'audit', 'list', '--json'));
    expect(events).toHaveLength(5);
    expect(events[0]).toMatchObject({ type: 'login.failed', outcome: 'STATE_INVALID', count: 2, clientAddress: '198.51.100.23', instance: ACME_LOGIN, corpId: CORP_A.corpId });
    expect(new Date(events[0].time).toISOString()).toBe(events[0].time);
  });

  test('each filter: --since, --until, --user, --type, --instance', async () => {
    const types = async (...args: string[]) => parsed(await jit(database.url, 'audit', 'list', '--json', ...args)).map((e) => e.type);
    expect(await types('--since', '1d')).toEqual(['login.failed', 'login.succeeded', 'binding.created', 'user.created']);
    expect(await types('--since', new Date(Date.now() - DAY).toISOString().slice(0, 10))).toEqual(['login.failed', 'login.succeeded', 'binding.created', 'user.created']);
    expect(await types('--until', '2d')).toEqual(['admin.user.disabled']);
    expect(await types('--user', 'pat')).toEqual(['admin.user.disabled']);
    expect(await types('--user', patId)).toEqual(['admin.user.disabled']);
    expect(await types('--user', 'zhangsan')).toEqual(['login.succeeded', 'binding.created', 'user.created']);
    expect(await types('--type', 'login.failed')).toEqual(['login.failed']);
    expect(await types('--type', 'admin.*')).toEqual(['admin.user.disabled']);
    expect(await types('--type', 'login.*')).toEqual(['login.failed', 'login.succeeded']);
    expect(await types('--instance', ACME_LOGIN)).toEqual(['login.failed', 'login.succeeded', 'binding.created', 'user.created']);
    expect(await types('--instance', 'auths.loginTypes.nothing')).toEqual([]);
    expect((await jit(database.url, 'audit', 'list', '--type', 'user.enabled')).stdout).toBe('No audit events\n');
  });

  test('--limit pages, and says how to get the next page', async () => {
    const first = await jit(database.url, 'audit', 'list', '--limit', '2');
    expect(first.code).toBe(0);
    const cursor = /\(more: add --cursor (\d+)\)\n$/.exec(first.stdout)?.[1];
    expect(cursor).toBeDefined();
    const next = parsed(await jit(database.url, 'audit', 'list', '--json', '--limit', '2', '--cursor', cursor!));
    expect(next.map((e) => e.type)).toEqual(['binding.created', 'user.created']);
  });

  test('bad filters are usage errors (exit 2) that say what to write', async () => {
    const typo = await jit(database.url, 'audit', 'list', '--type', 'login.faild');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean login.failed?');
    const since = await jit(database.url, 'audit', 'list', '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('30s, 15m, 1h, 7d, 2w');
    expect((await jit(database.url, 'audit', 'list', '--limit', '0')).code).toBe(2);
    expect((await jit(database.url, 'audit', 'export', '--format', 'csv')).code).toBe(2);
    expect(since.stderr).not.toMatch(STACK_TRACE);
  });

  test('export --format jsonl streams every matching row, oldest first, one JSON object a line', async () => {
    const bulk = Array.from({ length: 4321 }, (_, i): AuditEventInput => ({ type: 'binding.left', memberId: `member${i}`, corpId: CORP_A.corpId }));
    await env.app.audit.recordMany(bulk);
    const run = await jit(database.url, 'audit', 'export', '--format', 'jsonl', '--type', 'binding.left');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(4321);
    const events = lines.map((line) => JSON.parse(line) as AuditEvent);
    expect(events[0].memberId).toBe('member0');
    expect(events[4320].memberId).toBe('member4320');
    expect(events.every((e, i) => i === 0 || BigInt(e.id) > BigInt(events[i - 1].id))).toBe(true);

    const everything = await jit(database.url, 'audit', 'export');
    expect(everything.stdout.trimEnd().split('\n')).toHaveLength(4321 + 5);
  });

  test('jit bindings unbind removes the binding, ends its sessions and records binding.removed and session.revoked', async () => {
    const login = await workbenchLogin(env, sim, 'lisi');
    if (login.status !== 'LOGGED_IN') throw new Error('expected a login');
    const [binding] = await env.model.findByUserId(login.userId, CORP_A.corpId);
    // The login's own session came through the binding; so does a second one.
    const { token } = await env.app.sessions.create(login.userId, { bindingId: binding.id });

    const run = await jit(database.url, 'bindings', 'unbind', binding.id);
    expect(run).toMatchObject({ code: 0, stdout: `Removed binding ${binding.id}; ended 2 session(s) that came through it\n` });
    expect(await env.app.sessions.verify(token)).toBeNull();
    expect(await env.app.sessions.verify(login.token)).toBeNull();

    const events = parsed(await jit(database.url, 'audit', 'list', '--json', '--user', 'lisi', '--limit', '2'));
    const who = { userId: login.userId, corpId: CORP_A.corpId, memberId: 'lisi', clientAddress: null, outcome: 'ok' };
    expect(events).toEqual([
      expect.objectContaining({ ...who, type: 'session.revoked', details: expect.objectContaining({ bindingId: binding.id, sessions: 2, reason: 'binding.removed', via: 'cli' }) }),
      expect.objectContaining({ ...who, type: 'binding.removed', details: expect.objectContaining({ bindingId: binding.id, via: 'cli' }) }),
    ]);
  });
});
