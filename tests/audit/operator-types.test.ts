/**
 * The audit types of operator actions and back-off, each written by the action that causes it:
 * `jit users disable|enable|unlock` (user.disabled with session.revoked, user.enabled,
 * account.unlocked), a proof refused while an account backs off (account.locked, repeats folded),
 * and a hot reload (config.reloaded).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withRequestContext } from '../../runtime/request-context';
import { accountKey, withProofLimits } from '../../runtime/auth/proof-limits';
import { runCli, type CliRun } from '../cli/run-cli';
import { CORP_A, CORP_B } from '../helpers/demo-org';
import { openLoginApp, useLoginApp } from '../helpers/login-app';
import { workbenchLogin } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';

const APP = path.resolve(__dirname, '../fixtures/login/create-user');

describeEachDatabase('operator actions, back-off and reloads in the audit trail', (database) => {
  const sim = useSimulator();
  const env = useLoginApp({ sim, app: 'create-user', database });

  async function jit(...args: string[]): Promise<CliRun> {
    const saved = { ...process.env };
    Object.assign(process.env, { JIT_DATABASE_URL: database.url, DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret });
    try {
      return await runCli(...args, '--app', APP);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  }

  const typesOf = async (userId: string) => (await env.app.audit.list({ user: userId })).events.map((e) => e.type);

  test('jit users disable, enable and unlock write user.disabled (+ session.revoked), user.enabled and account.unlocked', async () => {
    const login = await workbenchLogin(env, sim, 'zhangsan');
    if (login.status !== 'LOGGED_IN') throw new Error('expected a login');
    const user = (await env.app.users.findById(login.userId))!;

    expect((await jit('users', 'disable', user.username)).code).toBe(0);
    expect(await typesOf(user.id)).toEqual(expect.arrayContaining(['user.disabled', 'session.revoked']));
    expect((await jit('users', 'enable', user.username)).code).toBe(0);
    expect((await jit('users', 'unlock', user.username)).code).toBe(0);
    const events = (await env.app.audit.list({ user: user.id })).events;
    // Newest first: the unlock, then the enable, then what the disable wrote.
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(['account.unlocked', 'user.enabled']);
    expect(events.find((e) => e.type === 'user.disabled')?.details).toMatchObject({ via: 'cli', username: user.username });
  });

  test('a proof refused while the account backs off is account.locked; repeats fold into one row', async () => {
    const key = accountKey(env.app, 'nobody.here');
    const fail = () => withProofLimits(env.app, [key], async () => null);
    await withRequestContext({ clientAddress: '192.0.2.9' }, async () => {
      for (let i = 0; i < env.app.settings.limits.failures.perAccount; i++) await fail();
      for (let i = 0; i < 3; i++) await expect(fail()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    });
    const locked = (await env.app.audit.list({ type: 'account.locked' })).events;
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ outcome: 'RATE_LIMITED', count: 3, details: expect.objectContaining({ scope: key.scope }) });
  });

  test('a hot reload that changed an element is config.reloaded', async () => {
    const copy = await openLoginApp({ sim, app: APP, copy: true, logs: 'silent' });
    try {
      const eJson = path.join(copy.dir, 'auths/loginTypes/acmeLogin/e.json');
      fs.writeFileSync(eJson, JSON.stringify({ ...JSON.parse(fs.readFileSync(eJson, 'utf8')), title: 'Renamed login' }));
      const result = await copy.app.reload();
      expect(result.changed).toContain('auths.loginTypes.acmeLogin');
      const [row] = (await copy.app.audit.list({ type: 'config.reloaded' })).events;
      expect(row).toMatchObject({ outcome: 'ok', details: expect.objectContaining({ changed: expect.arrayContaining(['auths.loginTypes.acmeLogin']) }) });
    } finally {
      await copy.close();
    }
  });

});
