/**
 * The console's pages and actions over real HTTP (the browser runs them in tests/e2e/console.test.ts):
 * the user search, disabling (the session is refused at once), unbinding, ending sessions, each an
 * audited admin.* event with the admin's user id; a dry-run sync shown as a diff, then applied;
 * the audit trail with `jit audit list`'s filters, paged; the effective config with its sources
 * and no secret.
 */
import { CORP, consolePost, corpA, getPage, http, member, signedInBrowser, userOf, useConsoleHost } from './support';
import type { CookieJar } from '../helpers/cookie-jar';
import { appA } from '../http/helpers';

const t = useConsoleHost();
let admin: CookieJar;
let adminId: string;

beforeAll(async () => {
  admin = await signedInBrowser(t, 'zhangsan');
  adminId = (await userOf(t, 'zhangsan')).id;
});

/** Polls a console sync job until it is done (a generous deadline, no timing asserted). */
async function finishedJob(id: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await http(t.url, 'GET', `/admin/api/sync/jobs/${id}`, { headers: admin.headers() });
    expect(res.status).toBe(200);
    if (res.body.data.state !== 'running') return res.body.data;
    if (Date.now() > deadline) throw new Error('the sync job did not finish');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('users and bindings', () => {
  test('search by name, phone, username and DingTalk userid', async () => {
    const wangwu = member(corpA, 'wangwu');
    await signedInBrowser(t, 'wangwu');
    const local = await t.app.users.create({ username: 'finance.clerk', displayName: 'Fiona Clerk', phone: '+86 139-0000-1234', source: 'cli' });
    const search = async (q: string) => {
      const page = await getPage(t, admin, `/admin/users?q=${encodeURIComponent(q)}`);
      expect(page.status).toBe(200);
      return [...page.text.matchAll(/href="\/admin\/users\/([^"]+)" data-role="user-link"/g)].map((m) => decodeURIComponent(m[1]));
    };
    const wangwuId = (await userOf(t, 'wangwu')).id;
    expect(await search('fiona')).toEqual([local.id]);
    expect(await search('13900001234')).toEqual([local.id]);
    expect(await search('FINANCE.cl')).toEqual([local.id]);
    expect(await search(wangwu.name)).toContain(wangwuId);
    // The DingTalk userid is found through the DingTalk login's console contribution.
    expect(await search('wangwu')).toContain(wangwuId);
    expect(await search(wangwu.unionid)).toEqual([wangwuId]);
    expect(await search('%')).toEqual([]);
  });

  test('disable: the user\'s session is refused at once, and admin.user.disabled names the admin', async () => {
    const victim = await signedInBrowser(t, 'alice.chen');
    const { id } = await userOf(t, 'alice.chen');
    expect((await http(t.url, 'GET', '/api/me', { headers: victim.headers() })).status).toBe(200);
    const page = await getPage(t, admin, `/admin/users/${id}`);
    expect(page.text).toContain('data-role="disable"');
    const res = await consolePost(t, admin, `/admin/api/users/${id}/disable`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ disabled: true, revokedSessions: 1 });
    expect((await http(t.url, 'GET', '/api/me', { headers: victim.headers() })).status).toBe(401);
    const [event] = (await t.app.audit.list({ type: 'admin.user.disabled', user: id })).events;
    expect(event.details).toMatchObject({ via: 'console', adminUserId: adminId, revokedSessions: 1 });
    // Listed on the audit page, filtered by type.
    const audit = await getPage(t, admin, '/admin/audit?type=admin.*');
    expect(audit.text).toContain('admin.user.disabled');
    // And enabled again.
    expect((await consolePost(t, admin, `/admin/api/users/${id}/enable`)).body.data).toEqual({ disabled: false });
    expect((await t.app.users.findById(id))!.disabled).toBe(false);
  });

  test('an admin cannot disable their own account from the console', async () => {
    const res = await consolePost(t, admin, `/admin/api/users/${adminId}/disable`);
    expect(res.status).toBe(400);
    expect((await t.app.users.findById(adminId))!.disabled).toBe(false);
  });

  test('unbind: the binding goes, its sessions end, the user stays; binding.removed and admin.binding.removed are recorded', async () => {
    const browser = await signedInBrowser(t, 'bob.li');
    const { id } = await userOf(t, 'bob.li');
    const page = await getPage(t, admin, `/admin/users/${id}`);
    const bindingId = /\/admin\/api\/bindings\/([^/"]+)\/unbind/.exec(page.text)![1];
    const res = await consolePost(t, admin, `/admin/api/bindings/${bindingId}/unbind`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ userId: id, revokedSessions: 1 });
    expect((await http(t.url, 'GET', '/api/me', { headers: browser.headers() })).status).toBe(401);
    expect(await t.app.users.findById(id)).not.toBeNull();
    const types = (await t.app.audit.list({ user: id })).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['binding.removed', 'session.revoked', 'admin.binding.removed']));
    expect((await consolePost(t, admin, `/admin/api/bindings/${bindingId}/unbind`)).status).toBe(404);
  });

  test('end one session, or all of them', async () => {
    const first = await signedInBrowser(t, 'chenjing');
    const second = await signedInBrowser(t, 'chenjing');
    const { id } = await userOf(t, 'chenjing');
    const sessions = await t.app.sessions.listForUser(id);
    expect(sessions).toHaveLength(2);
    expect((await consolePost(t, admin, `/admin/api/users/${id}/sessions/${sessions[0].id}/revoke`)).body.data).toEqual({ revoked: true });
    const alive = await Promise.all([first, second].map(async (jar) => (await http(t.url, 'GET', '/api/me', { headers: jar.headers() })).status));
    expect(alive.sort()).toEqual([200, 401]);
    expect((await consolePost(t, admin, `/admin/api/users/${id}/revoke-sessions`)).body.data).toEqual({ revokedSessions: 1 });
    for (const jar of [first, second]) expect((await http(t.url, 'GET', '/api/me', { headers: jar.headers() })).status).toBe(401);
    expect((await t.app.audit.list({ user: id, type: 'admin.*' })).events.map((e) => e.type)).toEqual(['admin.sessions.revoked', 'admin.session.revoked']);
  });
});

describe('sync', () => {
  test('a dry run shows who would be added and writes nothing; apply runs the real sync', async () => {
    const page = await getPage(t, admin, '/admin/sync');
    expect(page.text).toContain(`data-corp="${CORP}"`);
    const before = await t.app.users.list();
    const dry = await consolePost(t, admin, '/admin/api/sync/start', { corp: CORP, dryRun: true });
    expect(dry.status).toBe(200);
    const planned = await finishedJob(dry.body.data.id);
    expect(planned.state).toBe('done');
    expect(planned.summary.dryRun).toBe(true);
    const wouldAdd = planned.summary.added.map((a: { userid: string }) => a.userid);
    expect(wouldAdd).toEqual(expect.arrayContaining(['wangfang01', 'wangfang02']));
    expect(await t.app.users.list()).toHaveLength(before.length);

    const real = await consolePost(t, admin, '/admin/api/sync/start', { corp: CORP, dryRun: false });
    const applied = await finishedJob(real.body.data.id);
    expect(applied.state).toBe('done');
    expect(applied.summary.dryRun).toBe(false);
    expect(applied.summary.members.added).toBe(planned.summary.members.added);
    const created = planned.summary.added.filter((a: { binding: string }) => a.binding === 'created').length;
    expect((await t.app.users.list()).length).toBe(before.length + created);
    const [run] = (await t.app.audit.list({ type: 'admin.sync.run' })).events;
    expect(run.details).toMatchObject({ adminUserId: adminId, corp: CORP });
    // The corp's status now reports the run on the sync page.
    expect((await getPage(t, admin, '/admin/sync')).text).toMatch(/<table class="jit-table" data-role="sync-runs">[\s\S]*?<td>ok<\/td>/);
  });

  test('an unknown corp is 404; a non-admin cannot start a sync', async () => {
    expect((await consolePost(t, admin, '/admin/api/sync/start', { corp: 'corps.nothing', dryRun: true })).status).toBe(404);
    const lisi = await signedInBrowser(t, 'lisi');
    const refused = await http(t.url, 'POST', '/admin/api/sync/start', { json: { corp: CORP, dryRun: false }, headers: lisi.headers({ origin: t.url, 'x-csrf-token': 'x' }) });
    expect(refused.status).toBe(403);
  });
});

describe('audit', () => {
  test('the filters of jit audit list, and pages that continue where the last one ended', async () => {
    const all = (await t.app.audit.list({ limit: 4 })).events.map((e) => e.type);
    const first = await getPage(t, admin, '/admin/audit?limit=2');
    const types = (html: string) => [...html.matchAll(/data-role="event-type">([^<]+)</g)].map((m) => m[1]);
    expect(types(first.text)).toHaveLength(2);
    const older = /href="([^"]*cursor=[^"]+)" data-role="older"/.exec(first.text)![1].replace(/&#38;/g, '&');
    const second = await getPage(t, admin, older);
    expect(types(second.text)).toHaveLength(2);
    expect([...types(first.text), ...types(second.text)]).toEqual(all);

    const byUser = await getPage(t, admin, `/admin/audit?user=${encodeURIComponent((await userOf(t, 'chenjing')).username)}&type=login.*`);
    expect(new Set(types(byUser.text))).toEqual(new Set(['login.succeeded']));
    const bad = await getPage(t, admin, '/admin/audit?type=login.failled');
    expect(bad.text).toContain('did you mean login.failed?');
    const since = await getPage(t, admin, '/admin/audit?since=nonsense');
    expect(since.text).toContain('data-role="audit-problem"');
  });
});

describe('config', () => {
  test('the effective config with each value\'s source; secrets only as set / not set', async () => {
    const page = await getPage(t, admin, '/admin/config');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(appA.appSecret);
    const acme = page.text.slice(page.text.indexOf('data-instance="auths.loginTypes.acmeLogin"'));
    expect(acme).toMatch(/authConfig\.appSecret<\/code><\/td><td><span class="jit-badge" data-role="secret">set<\/span><\/td><td>environment variable DD_APP_SECRET/);
    expect(acme).toMatch(/authConfig\.appKey<\/code><\/td><td><code>&#34;dinga1b2c3d4e5f6g7h8&#34;<\/code><\/td><td>auths\/loginTypes\/acmeLogin\/acmeLogin\.json/);
    // binding.autoBind is written in the file; the corp's sync settings come from the schema's defaults.
    expect(page.text).toMatch(/data-instance="corps.acme"[\s\S]*?leavers\.disableUnmanaged[\s\S]*?corps\/acme\/acme\.json/);
    expect(page.text).toMatch(/app\.json/);
  });
});
