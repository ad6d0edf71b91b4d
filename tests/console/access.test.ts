/**
 * Who may enter the console, over real HTTP against the host and the simulator: anonymous visitors
 * are sent to sign in and come back, signed-in non-admins get 403, admins (app.json `admins` and
 * grants, decided per request) get in; `sessions.adminIdleTimeout` applies to /admin only;
 * every state-changing console call needs the session's CSRF token and the host's own origin.
 */
import { IsNull } from 'typeorm';
import { grantAdmin, revokeAdmin } from '../../runtime/auth/admin-grants';
import { SessionEntity } from '../../runtime/db/core-models';
import { CookieJar } from '../helpers/cookie-jar';
import { cookieOf } from '../http/helpers';
import { ACME_LOGIN, consolePost, fn, getPage, http, pageData, signedInBrowser, userOf, useConsoleHost } from './support';

const t = useConsoleHost();
let admin: CookieJar;

beforeAll(async () => {
  admin = await signedInBrowser(t, 'zhangsan');
});

describe('who may enter', () => {
  test('anonymous: a console page sends the browser to sign in and back (the return path is validated); the API says 401', async () => {
    const page = await getPage(t, new CookieJar(), '/admin/users?q=li');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/admin/users?q=li')}`);
    const api = await http(t.url, 'POST', '/admin/api/users/x/disable', { json: {}, headers: { origin: t.url } });
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('LOGIN_REQUIRED');
    const job = await http(t.url, 'GET', '/admin/api/sync/jobs/x');
    expect(job.status).toBe(401);
  });

  test('a member app.json names as dingtalk:<corpId>:<userid> gets in: the console, its CSP nonce and its CSRF token', async () => {
    const page = await getPage(t, admin, '/admin');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toMatch(/<script defer nonce="[^"]+" src="\/assets\/jit\/admin\.js"><\/script>/);
    expect(pageData(page.text).csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // Each login instance and the corp, with "not run yet" for doctor.
    expect(page.text).toContain('auths.loginTypes.acmeLogin');
    expect(page.text).toContain('corps.acme');
    expect(page.text).toContain('Not run yet');
  });

  test('a provisioned user named like an app.json username entry is not an admin; a local account of that name is', async () => {
    // app.json names "lisi": the user a DingTalk login provisions for lisi is not that admin.
    const lisi = await signedInBrowser(t, 'lisi');
    expect((await userOf(t, 'lisi')).username).toBe('lisi');
    const page = await getPage(t, lisi, '/admin');
    expect(page.status).toBe(403);
    expect(page.text).toContain('Only the administrators of Acme HR may use the console');
    const api = await consolePost(t, lisi, '/admin/api/users/x/enable', {}, null);
    expect(api.status).toBe(403);
    expect(['ADMIN_REQUIRED', 'CSRF_REJECTED']).toContain(api.body.error.code);

    // "opsadmin", created by an operator (source cli), is.
    await t.app.users.create({ username: 'opsadmin', password: 'a long local password', source: 'cli' });
    const ops = new CookieJar();
    const config = await http(t.url, 'POST', fn('auths.loginTypes.staffPassword', 'login'), { json: { username: 'opsadmin', password: 'a long local password' }, headers: { origin: t.url } });
    expect(config.status).toBe(200);
    ops.take(config.headers);
    expect((await getPage(t, ops, '/admin')).status).toBe(200);
  });

  test('a grant lets a user in at once, and revoking it shuts them out at once (never stored on the session)', async () => {
    const wangwu = await signedInBrowser(t, 'wangwu');
    expect((await getPage(t, wangwu, '/admin')).status).toBe(403);
    const user = (await t.app.users.findById((await userOf(t, 'wangwu')).id))!;
    await grantAdmin(t.app, user, { via: 'test' });
    expect((await getPage(t, wangwu, '/admin')).status).toBe(200);
    await revokeAdmin(t.app, user, { via: 'test' });
    expect((await getPage(t, wangwu, '/admin')).status).toBe(403);
    const events = await t.app.audit.list({ user: user.id, type: 'admin.*' });
    expect(events.events.map((e) => e.type)).toEqual(['admin.revoke', 'admin.grant']);
  });

  test('a disabled admin is no admin', async () => {
    const zhaoliu = await signedInBrowser(t, 'zhaoliu');
    const user = (await t.app.users.findById((await userOf(t, 'zhaoliu')).id))!;
    await grantAdmin(t.app, user, { via: 'test' });
    expect((await getPage(t, zhaoliu, '/admin')).status).toBe(200);
    await t.app.users.update(user.id, { disabled: true });
    const page = await getPage(t, zhaoliu, '/admin');
    expect(page.status).toBe(302);
  });
});

describe('sessions.adminIdleTimeout', () => {
  test('a session idle longer than the admin timeout (15 minutes) is refused by /admin only; the rest of the app still knows it', async () => {
    const browser = await signedInBrowser(t, 'zhangsan');
    expect((await getPage(t, browser, '/admin')).status).toBe(200);
    const token = browser.get('jit_session')!;
    // 20 minutes without a request: past adminIdleTimeout (900 s), well within idleTimeout (8 h).
    const twentyMinutesAgo = new Date(Date.now() - 20 * 60 * 1000);
    const { hashToken } = await import('../../runtime/auth/tokens');
    await t.app.db.run((m) => m.update(SessionEntity, { tokenHash: hashToken(token), revokedAt: IsNull() }, { lastSeenAt: twentyMinutesAgo, createTime: twentyMinutesAgo }));
    const page = await getPage(t, browser, '/admin');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fadmin');
    const api = await consolePost(t, browser, '/admin/api/users/x/enable', {}, 'any');
    expect(api.status).toBe(401);
    // The same session outside the console: alive (and that request counts as its use).
    const me = await http(t.url, 'GET', '/api/me', { headers: browser.headers() });
    expect(me.status).toBe(200);
  });
});

describe('CSRF', () => {
  test('a console POST from another origin is refused before anything happens, even with the token', async () => {
    const lisi = await userOf(t, 'lisi');
    const token = pageData((await getPage(t, admin, '/admin')).text).csrfToken as string;
    const forged = await http(t.url, 'POST', `/admin/api/users/${lisi.id}/disable`, { json: {}, headers: admin.headers({ origin: 'https://evil.example', 'x-csrf-token': token }) });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CSRF_REJECTED');
    const viaFetchMetadata = await http(t.url, 'POST', `/admin/api/users/${lisi.id}/disable`, { json: {}, headers: admin.headers({ 'sec-fetch-site': 'cross-site', 'x-csrf-token': token }) });
    expect(viaFetchMetadata.status).toBe(403);
    expect((await t.app.users.findById(lisi.id))!.disabled).toBe(false);
  });

  test('a same-origin console POST without the session\'s token (or with another session\'s) is refused', async () => {
    const lisi = await userOf(t, 'lisi');
    const without = await consolePost(t, admin, `/admin/api/users/${lisi.id}/disable`, {}, null);
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('CSRF_REJECTED');
    const other = await signedInBrowser(t, 'zhangsan');
    const othersToken = pageData((await getPage(t, other, '/admin')).text).csrfToken as string;
    const wrong = await consolePost(t, admin, `/admin/api/users/${lisi.id}/disable`, {}, othersToken);
    expect(wrong.status).toBe(403);
    // A form post (not JSON) never reaches the handler either, even with the right token.
    const token = pageData((await getPage(t, admin, '/admin')).text).csrfToken as string;
    const form = await http(t.url, 'POST', `/admin/api/users/${lisi.id}/disable`, { form: { a: 'b' }, headers: admin.headers({ origin: t.url, 'x-csrf-token': token }) });
    expect([400, 415]).toContain(form.status);
    expect((await t.app.users.findById(lisi.id))!.disabled).toBe(false);
  });
});

describe('the return path', () => {
  test('/login?next= is remembered for the redirect flow, which comes back there; a path only, never another site', async () => {
    const jar = new CookieJar();
    const login = await http(t.url, 'GET', '/login?next=%2Fadmin', { headers: jar.headers() });
    expect(cookieOf(login, 'jit_next')).toBe(encodeURIComponent('/admin'));
    jar.take(login.headers);
    const config = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {}, headers: jar.headers() });
    jar.take(config.headers);
    const code = t.sim.mintQrCode(config.body.data.appKey, (await import('./support')).member((await import('./support')).corpA, 'zhangsan').unionid);
    const back = await http(t.url, 'GET', `/login/callback/${ACME_LOGIN}?authCode=${code}&state=${encodeURIComponent(config.body.data.state)}`, { headers: jar.headers() });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/admin');
    expect(cookieOf(back, 'jit_next')).toBe('');

    for (const next of ['//evil.example', 'https://evil.example/admin', '/\\evil.example', '/a\\..\\evil', 'javascript:alert(1)']) {
      const page = await http(t.url, 'GET', `/login?next=${encodeURIComponent(next)}`);
      expect(pageData(page.text).next).toBeNull();
      expect(cookieOf(page, 'jit_next')).toBeNull();
    }
  });
});
