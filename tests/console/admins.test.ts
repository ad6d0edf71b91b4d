/**
 * The admin decision on real SQLite and PostgreSQL databases, without a host: env.app.json usernames
 * match only users no login or sync provisioned; `dingtalk:<corpId>:<userid>` names the user of that
 * member's active binding (through the resolver the DingTalk login Type contributes), nobody once
 * the binding is marked left; grants from `jit users grant-admin|revoke-admin` (audited); a disabled
 * user is none. And the console's user search, whose SQL differs between the two.
 */
import { decideAdmin } from '../../runtime/auth/admins';
import { adminResolvers } from '../../runtime/contributions';
import { DDBindingStore } from '../../dingtalk/binding/binding-store';
import { runCli } from '../cli/run-cli';
import { searchUsers } from '../../runtime/console/user-search';
import { useLoginApp } from '../helpers/login-app';
import { describeEachDatabase } from '../helpers/each-database';
import { corpA } from '../http/helpers';
import { CONSOLE_FIXTURE } from './support';

describeEachDatabase('admins', (target) => {
  // No DingTalk call here: the app without a simulator.
  const env = useLoginApp({ app: CONSOLE_FIXTURE, copy: true, database: target, logs: 'silent', env: { DD_APP_SECRET: 'x'.repeat(64) }, load: { passwordCost: { N: 1024 } } });

  /** The CLI on the same database, as another process would open it. */
  async function cli(...args: string[]) {
    process.env.JIT_DATABASE_URL = target.url;
    try {
      return await runCli(...args);
    } finally {
      delete process.env.JIT_DATABASE_URL;
    }
  }

  const isAdmin = async (userId: string) => (await decideAdmin(env.app, (await env.app.users.findById(userId))!, adminResolvers(env.app))).admin;

  test('the DingTalk login Type contributes the dingtalk: resolver; the runtime names no family', () => {
    expect([...adminResolvers(env.app).keys()]).toEqual(['dingtalk']);
  });

  test('a username in env.app.json: only a user no login or sync provisioned', async () => {
    const local = await env.app.users.create({ username: 'opsadmin', source: 'cli' });
    expect(await decideAdmin(env.app, local, adminResolvers(env.app))).toEqual({ admin: true, via: 'opsadmin' });
    for (const source of ['login:auths.loginTypes.acmeLogin', 'sync:corps.acme']) {
      const provisioned = await env.app.users.create({ username: `lisi-${source.slice(0, 4)}`, source });
      // The same rule whatever the name: a provisioned "lisi" is not the env.app.json "lisi".
      expect(await isAdmin(provisioned.id)).toBe(false);
    }
    const lisi = await env.app.users.create({ username: 'lisi', source: 'login:auths.loginTypes.acmeLogin' });
    expect(await isAdmin(lisi.id)).toBe(false);
  });

  test('dingtalk:<corpId>:<userid>: the user of the member\'s active binding, nobody once it is marked left', async () => {
    const zhangsan = await env.app.users.create({ username: 'zhangsan', source: 'login:auths.loginTypes.acmeLogin' });
    expect(await isAdmin(zhangsan.id)).toBe(false);
    const store = new DDBindingStore(env.app.db);
    const binding = await store.insert({ userId: zhangsan.id, thirdCorpId: corpA.corpId, thirdUserId: 'zhangsan' });
    expect(await decideAdmin(env.app, zhangsan, adminResolvers(env.app))).toEqual({ admin: true, via: `dingtalk:${corpA.corpId}:zhangsan` });
    await store.setLeftAt(binding.id, new Date());
    expect(await isAdmin(zhangsan.id)).toBe(false);
    await store.setLeftAt(binding.id, null);
    expect(await isAdmin(zhangsan.id)).toBe(true);
    // Another organisation's member of the same userid is not that admin.
    const other = await env.app.users.create({ username: 'zhangsan-other', source: 'login:x' });
    await store.insert({ userId: other.id, thirdCorpId: 'dingotherotherotherother', thirdUserId: 'zhangsan' });
    expect(await isAdmin(other.id)).toBe(false);
  });

  test('jit users grant-admin and revoke-admin: in the database, audited, and a disabled user is never an admin', async () => {
    const ann = await env.app.users.create({ username: 'ann', source: 'cli' });
    expect(await isAdmin(ann.id)).toBe(false);
    const grant = await cli('users', 'grant-admin', 'ann', '--app', env.dir, '--json');
    expect(grant.code).toBe(0);
    expect(JSON.parse(grant.stdout)).toMatchObject({ username: 'ann', admin: true, changed: true });
    expect(await decideAdmin(env.app, ann, adminResolvers(env.app))).toEqual({ admin: true, via: 'grant' });
    expect(JSON.parse((await cli('users', 'grant-admin', 'ann', '--app', env.dir, '--json')).stdout).changed).toBe(false);

    await env.app.users.update(ann.id, { disabled: true });
    expect(await isAdmin(ann.id)).toBe(false);
    await env.app.users.update(ann.id, { disabled: false });

    const revoke = await cli('users', 'revoke-admin', 'ann', '--app', env.dir);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain("Took back ann's console grant");
    expect(await isAdmin(ann.id)).toBe(false);
    const events = (await env.app.audit.list({ user: ann.id })).events;
    expect(events.map((e) => e.type)).toEqual(['admin.revoke', 'admin.grant']);
    expect(events[0].details).toMatchObject({ via: 'cli', username: 'ann' });

    const unknown = await cli('users', 'grant-admin', 'nobody-here', '--app', env.dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No local user "nobody-here"');
  });

  test('the console\'s user search: part of a name, username or email in any case, a phone written any way, a DingTalk userid; LIKE wildcards are text', async () => {
    const fiona = await env.app.users.create({ username: 'Finance.Clerk', displayName: 'Fiona 王', phone: '+86 139-0000-1234', email: 'Fiona@Example.com', source: 'cli' });
    const percent = await env.app.users.create({ username: 'one_percent%', source: 'cli' });
    const bound = await env.app.users.create({ username: 'wangwu', source: 'login:x' });
    await new DDBindingStore(env.app.db).insert({ userId: bound.id, thirdCorpId: corpA.corpId, thirdUserId: 'ww-001', unionId: 'union-ww-001' });
    const ids = async (term: string) => (await searchUsers(env.app, term)).map((u) => u.id);
    expect(await ids('finance.cl')).toEqual([fiona.id]);
    expect(await ids('王')).toEqual([fiona.id]);
    expect(await ids('example.COM')).toEqual([fiona.id]);
    expect(await ids('139 0000 1234')).toEqual([fiona.id]);
    expect(await ids('ww-001')).toEqual([bound.id]);
    expect(await ids('union-ww-001')).toEqual([bound.id]);
    expect(await ids('%')).toEqual([percent.id]);
    expect(await ids('_')).toEqual([percent.id]);
  });
});
