/**
 * `jit db migrate`, `jit users create|list|disable|enable|unlock|failures`, `jit bindings list|unbind`, run in-process through the
 * real `jit` entry (cli/main.ts) against a fixture app on SQLite and PostgreSQL, with a DingTalk login
 * in between (library + simulator) so there is a binding to list and unbind.
 */
import { Readable } from 'node:stream';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { CORP_A, CORP_B } from '../helpers/demo-org';
import { openLoginApp, type LoginApp } from '../helpers/login-app';
import { workbenchLogin } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const APP = path.resolve(__dirname, '../fixtures/login/create-user');

const sim = useSimulator();

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs `jit <args> --app <fixture>` with the database URL and secrets in the environment. */
async function jit(databaseUrl: string, args: string[], stdin?: string): Promise<Run> {
  let out = '';
  let err = '';
  const saved = { ...process.env };
  const savedStdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  Object.assign(process.env, { JIT_DATABASE_URL: databaseUrl, DD_APP_SECRET_A: 'x'.repeat(64), DD_APP_SECRET_B: 'y'.repeat(64) });
  if (stdin !== undefined) Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(stdin)]), configurable: true });
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    process.exitCode = undefined;
    const code = await main(['node', 'jit', ...args, '--app', APP]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    Object.defineProperty(process, 'stdin', savedStdin);
    process.exitCode = undefined;
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describeEachDatabase('jit users, bindings, db', (database) => {
  let env: LoginApp | undefined;
  afterAll(async () => {
    await env?.close();
  });

  test('jit db migrate applies the migrations on a new database, then says it is up to date', async () => {
    const first = await jit(database.url, ['db', 'migrate']);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toMatch(/Applied \d+ migration\(s\) to /);
    expect(first.out).toContain('CoreModels1760000000000');
    expect(first.out).toContain('DDInnerAuth1760000001000');
    const second = await jit(database.url, ['db', 'migrate', '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ applied: [] });
  });

  test('jit users create (password from an option or stdin), list never shows a hash', async () => {
    const created = await jit(database.url, ['users', 'create', '--username', 'ann', '--password', 'ann-pass-1', '--phone', '13800138001', '--display-name', 'Ann']);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^Created user ann \([\w-]+\)\n$/);
    const fromStdin = await jit(database.url, ['users', 'create', '--username', 'ben', '--password-stdin', '--employee-no', 'A0002', '--json'], 'ben-pass-2\n');
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.out)).toMatchObject({ username: 'ben', employeeNo: 'A0002', source: 'cli' });

    const listed = await jit(database.url, ['users', 'list', '--json']);
    expect(listed.code).toBe(0);
    const users = JSON.parse(listed.out);
    expect(users.map((u: { username: string }) => u.username)).toEqual(['ann', 'ben']);
    expect(listed.out).not.toMatch(/passwordHash|scrypt|ann-pass-1|ben-pass-2/);
    expect((await jit(database.url, ['users', 'list'])).out).toContain('ann  Ann  (13800138001)  source=cli');

    // The password from stdin is the one stored (trailing newline dropped).
    env = await openLoginApp({ sim, app: 'create-user', database });
    const passwords = env.app.getElement<{ login(u: string, p: string): Promise<{ status: string }> }>('auths.loginTypes.PasswordType');
    expect(await passwords.login('ben', 'ben-pass-2')).toMatchObject({ status: 'LOGGED_IN' });
  });

  test('jit users create refuses a taken username (exit 1) and bad usage (exit 2)', async () => {
    const taken = await jit(database.url, ['users', 'create', '--username', 'ann', '--password', 'whatever']);
    expect(taken.code).toBe(1);
    expect(taken.err).toBe('error BAD_REQUEST: A user named "ann" already exists\n');
    expect((await jit(database.url, ['users', 'create', '--password', 'x'])).code).toBe(2);
    expect((await jit(database.url, ['users', 'create', '--username', 'cy', '--password', 'x', '--password-stdin'], 'y')).code).toBe(1);
  });

  test('jit bindings list and unbind; unbinding ends the sessions that came through the binding; the next login binds again', async () => {
    const login = await workbenchLogin(env!, sim, 'zhangsan');
    expect(login).toMatchObject({ status: 'LOGGED_IN', binding: 'autoBound', user: { username: 'ann' } });
    if (login.status !== 'LOGGED_IN') throw new Error('not logged in');
    const ann = (await env!.app.users.findByUsername('ann'))!;
    // A password session of the same user came through no binding: it stays.
    const byPassword = await env!.app.sessions.create(ann.id);
    expect((await env!.app.sessions.verify(login.token))?.bindingId).toEqual(expect.any(String));

    const listed = await jit(database.url, ['bindings', 'list', '--json']);
    expect(listed.code).toBe(0);
    const [binding] = JSON.parse(listed.out);
    expect(binding).toMatchObject({ thirdCorpId: CORP_A.corpId, thirdUserId: 'zhangsan', jobNumber: 'A0001' });
    expect((await jit(database.url, ['bindings', 'list', '--corp-id', CORP_B.corpId])).out).toBe('No bindings\n');
    expect((await jit(database.url, ['bindings', 'list', '--corp-id', CORP_A.corpId])).out).toContain(`<- DingTalk ${CORP_A.corpId}/zhangsan`);

    expect((await env!.app.sessions.verify(login.token))?.bindingId).toBe(binding.id);
    expect(await jit(database.url, ['bindings', 'unbind', binding.id])).toMatchObject({ code: 0, out: `Removed binding ${binding.id}; ended 1 session(s) that came through it\n` });
    expect(await env!.app.sessions.verify(login.token)).toBeNull();
    expect(await env!.app.sessions.verify(byPassword.token)).not.toBeNull();
    const again = await jit(database.url, ['bindings', 'unbind', binding.id]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('NOT_FOUND');
    expect((await jit(database.url, ['bindings', 'list'])).out).toBe('No bindings\n');

    expect(await workbenchLogin(env!, sim, 'zhangsan')).toMatchObject({ status: 'LOGGED_IN', binding: 'autoBound', user: { username: 'ann' } });
  });

  test('jit users disable ends every session of the user at once; enable lets them back in', async () => {
    const passwords = env!.app.getElement<{ login(u: string, p: string): Promise<{ status: string; token: string }> }>('auths.loginTypes.PasswordType');
    const first = await passwords.login('ben', 'ben-pass-2');
    const second = await passwords.login('ben', 'ben-pass-2');
    const other = await passwords.login('ann', 'ann-pass-1');
    const ben = (await env!.app.users.findByUsername('ben'))!;
    // Two here, and the one of the test before.
    expect(await env!.app.sessions.listForUser(ben.id)).toHaveLength(3);

    expect(await jit(database.url, ['users', 'disable', 'ben'])).toMatchObject({ code: 0, out: 'Disabled ben; ended 3 session(s)\n' });
    expect(await env!.app.sessions.listForUser(ben.id)).toEqual([]);
    expect(await env!.app.sessions.verify(first.token)).toBeNull();
    expect(await env!.app.sessions.verify(second.token)).toBeNull();
    expect(await env!.app.sessions.verify(other.token)).not.toBeNull();
    expect((await jit(database.url, ['users', 'list'])).out).toMatch(/ben .*DISABLED/);
    await expect(passwords.login('ben', 'ben-pass-2')).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });

    expect(JSON.parse((await jit(database.url, ['users', 'enable', ben.id, '--json'])).out)).toEqual({ userId: ben.id, username: 'ben', disabled: false });
    await env!.app.db.run((m) => m.clear('failure_counters'));
    expect(await passwords.login('ben', 'ben-pass-2')).toMatchObject({ status: 'LOGGED_IN' });
    const unknown = await jit(database.url, ['users', 'disable', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('NOT_FOUND');
  });

  test('jit users failures shows a back-off and jit users unlock clears it', async () => {
    const passwords = env!.app.getElement<{ login(u: string, p: string): Promise<{ status: string }> }>('auths.loginTypes.PasswordType');
    for (let i = 1; i <= 5; i++) await expect(passwords.login('ann', `guess-${i}`)).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
    await expect(passwords.login('ann', 'ann-pass-1')).rejects.toMatchObject({ code: 'RATE_LIMITED' });

    const shown = await jit(database.url, ['users', 'failures']);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^account {2}ann {2}5 {2}last \S+ {2}BACKING OFF \d+s \(until \S+\)$/m);
    expect(JSON.parse((await jit(database.url, ['users', 'failures', '--json'])).out)).toEqual([expect.objectContaining({ scope: 'account', subject: 'ann', count: 5 })]);

    expect(await jit(database.url, ['users', 'unlock', 'ann'])).toMatchObject({ code: 0, out: expect.stringMatching(/^Cleared 1 failure counter\(s\) of account ann, phone 13800138001\n$/) });
    expect(await passwords.login('ann', 'ann-pass-1')).toMatchObject({ status: 'LOGGED_IN' });
    expect((await jit(database.url, ['users', 'failures'])).out).toBe('No failures counted in the last hour\n');

    // An address, a DingTalk member or a phone can be cleared too; naming nothing is bad usage.
    expect((await jit(database.url, ['users', 'unlock', '--address', '2001:db8:1:2::7', '--member', `${CORP_A.corpId}:zhangsan`, '--json'])).out).toContain('2001:db8:1:2::/64');
    expect((await jit(database.url, ['users', 'unlock'])).code).toBe(1);
  });
});
