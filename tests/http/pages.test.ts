/**
 * The server side of the pages over real HTTP: what /login, /login/workbench, / and the redirect
 * callback render, their security headers, and the static files they load. (The scripts run in a
 * real browser in tests/e2e.)
 */
import { createHost } from '../../runtime/http/host';
import { DINGTALK_SCRIPT_PATHS } from '../../dingtalk/page-scripts';
import { standinIntegrity } from '../../sim/standin-scripts';
import { ACME_LOGIN, OTHER_LOGIN, STAFF_LOGIN, appA, appB, corpA, corpB, demo, http, member, sessionCookieOf, fn, useTestHost } from './helpers';
import { CookieJar } from '../helpers/cookie-jar';

const t = useTestHost();


/** These tests read the pages' English words: an English-speaking browser (the app's default language is zh-CN). */
const ENGLISH = { 'accept-language': 'en' };

function pageData(html: string): any {
  const match = /<script type="application\/json" id="jit-page-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no page data');
  return JSON.parse(match[1]);
}

function nonceOf(csp: string | null): string {
  const match = /'nonce-([^']+)'/.exec(csp ?? '');
  if (!match) throw new Error(`no nonce in ${csp}`);
  return match[1];
}

describe('/login', () => {
  test('lists every active login instance with its panel, loads the simulator\'s QR script under --sim, every script carrying the CSP nonce', async () => {
    const res = await http(t.url, 'GET', '/login', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    const nonce = nonceOf(csp);
    expect(csp).toContain(`frame-src ${t.sim.url}`);
    expect(csp).toMatch(new RegExp(`script-src 'self' 'nonce-[^']+' ${t.sim.url.replace(/[.]/g, '\\.')}`));
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');

    const scripts = [...res.text.matchAll(/<script defer nonce="([^"]+)" src="([^"]+)"([^>]*)><\/script>/g)];
    expect(scripts.map((m) => m[1])).toEqual(scripts.map(() => nonce));
    expect(scripts.map((m) => m[2])).toEqual(['/assets/jit/jit-dom.js', '/assets/jit/jit-login.js', `${t.sim.url}${DINGTALK_SCRIPT_PATHS.ddLogin}`, '/assets/elements/auths.loginTypes.DDInnerType/pages/login-panel.js']);
    // The DingTalk script alone carries its pinned hash (the test host pins the stand-ins', as --sim does).
    expect(scripts.map((m) => m[3])).toEqual(['', '', ` integrity="${standinIntegrity().ddLogin}" crossorigin="anonymous"`, '']);
    expect(res.text).not.toMatch(/<script(?![^>]*(nonce=|type="application\/json"))/);

    const data = pageData(res.text);
    expect(data.mode).toBe('login');
    expect(data.apiPrefix).toBe('/api/acme/hr');
    expect(data.instances.map((i: { fullName: string }) => i.fullName)).toEqual([ACME_LOGIN, OTHER_LOGIN, STAFF_LOGIN]);
    expect(data.instances[2]).toMatchObject({ title: 'Staff account', panel: { type: 'auths.loginTypes.PasswordType', script: null }, functions: { login: fn(STAFF_LOGIN, 'login') } });
    expect(data.instances[0]).toMatchObject({
      title: 'DingTalk: Acme Demo Corp',
      panel: { type: 'auths.loginTypes.DDInnerType' },
      functions: { getLoginConfig: fn(ACME_LOGIN, 'getLoginConfig'), getLoginCode: fn(ACME_LOGIN, 'getLoginCode') },
    });
    expect(res.text).toContain('<h2 id="jit-login-0-title">DingTalk: Acme Demo Corp</h2>');
    expect(res.text).not.toContain(appA.appSecret);
  });

  test('in production it loads DingTalk\'s real scripts and allows only DingTalk\'s hosts', async () => {
    const production = createHost(t.app, { logger: t.logger });
    const url = await production.listen(0, '127.0.0.1');
    try {
      const res = await http(url, 'GET', '/login');
      expect(res.text).toContain('src="https://g.alicdn.com/dingding/h5-dingtalk-login/0.21.0/ddlogin.js"');
      const csp = res.headers.get('content-security-policy')!;
      // Exactly the two scripts, never the whole CDN (issue #20 item 6).
      expect(csp).toContain('https://g.alicdn.com/dingding/h5-dingtalk-login/0.21.0/ddlogin.js');
      expect(/script-src ([^;]*)/.exec(csp)![1]).not.toMatch(/https:\/\/g\.alicdn\.com( |$)/);
      expect(csp).toContain(`frame-src ${t.sim.loginUrl}`); // the app's login host (the simulator here)
      const workbench = await http(url, 'GET', `/login/workbench?corpId=${corpA.corpId}`);
      expect(workbench.text).toContain('src="https://g.alicdn.com/dingding/dingtalk-jsapi/3.1.0/dingtalk.open.js"');
    } finally {
      await production.close();
    }
  });

  test('a signed-in visitor sees who they are', async () => {
    const code = t.sim.mintQrCode(appA.appKey, member(corpA, 'chenjing').unionid);
    // One browser: the state is bound to its browser key cookie.
    const browser = new CookieJar();
    const config = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
    browser.take(config.headers);
    const login = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginCode'), { json: { code, loginType: 'qr', state: config.body.data.state }, headers: browser.headers() });
    // The page's words are English for an English-speaking browser (app.json defaultLanguage is zh-CN).
    const res = await http(t.url, 'GET', '/login', { headers: { cookie: `jit_session=${sessionCookieOf(login)}`, 'accept-language': 'en' } });
    expect(res.text).toContain('You are signed in as <strong>陈静</strong>');
  });

  test('?next= keeps only same-origin paths', async () => {
    expect(pageData((await http(t.url, 'GET', '/login?next=%2Freports%3Fy%3D1')).text).next).toBe('/reports?y=1');
    for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      expect(pageData((await http(t.url, 'GET', `/login?next=${encodeURIComponent(next)}`)).text).next).toBeNull();
    }
  });
});

describe('/login/workbench', () => {
  test('for a configured corpId: the instance, the JSAPI stand-in and the corpId for requestAuthCode', async () => {
    const res = await http(t.url, 'GET', `/login/workbench?corpId=${corpA.corpId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`src="${t.sim.url}${DINGTALK_SCRIPT_PATHS.dingtalkJsapi}" integrity="${standinIntegrity().dingtalkJsapi}" crossorigin="anonymous"`);
    const data = pageData(res.text);
    expect(data).toMatchObject({ mode: 'workbench', corpId: corpA.corpId });
    expect(data.instances.map((i: { fullName: string }) => i.fullName)).toEqual([ACME_LOGIN]);
    expect(nonceOf(res.headers.get('content-security-policy'))).toBeTruthy();
  });

  test('without a corpId: 400 in plain words; an unknown corpId: 404 in plain words', async () => {
    const missing = await http(t.url, 'GET', '/login/workbench', { headers: ENGLISH });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('opened from the DingTalk workbench');
    const unknown = await http(t.url, 'GET', '/login/workbench?corpId=dingunknown', { headers: ENGLISH });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('not set up for this organisation');
  });
});

describe('/login/callback/<instance> (the full-page redirect flow)', () => {
  /** The browser of each test: the state is bound to its browser key cookie, which the callback must carry. */
  let browser: CookieJar;
  beforeEach(() => {
    browser = new CookieJar();
  });
  async function freshState(instance = ACME_LOGIN): Promise<string> {
    const config = await http(t.url, 'POST', fn(instance, 'getLoginConfig'), { json: {}, headers: browser.headers() });
    browser.take(config.headers);
    return config.body.data.state;
  }
  const callback = (path: string) => http(t.url, 'GET', path, { headers: browser.headers(ENGLISH) });

  test('success: sets the session cookie and redirects to /, which shows the user', async () => {
    const state = await freshState();
    const code = t.sim.mintQrCode(appA.appKey, member(corpA, 'wangwu').unionid);
    const res = await callback(`/login/callback/${ACME_LOGIN}?authCode=${code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    const token = sessionCookieOf(res);
    expect(token).toBeTruthy();
    const home = await http(t.url, 'GET', '/', { headers: { cookie: `jit_session=${token}` } });
    expect(home.text).toContain('<strong data-role="user-name">王五</strong>');
  });

  test('DingTalk\'s `code` parameter works like `authCode`', async () => {
    const state = await freshState();
    const code = t.sim.mintQrCode(appA.appKey, member(corpA, 'alice.chen').unionid);
    const res = await callback(`/login/callback/${ACME_LOGIN}?code=${code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(302);
    expect(sessionCookieOf(res)).toBeTruthy();
  });

  test('BIND_REQUIRED: the answer is the login page with the bind form\'s data (who is being linked); the ticket is in no URL', async () => {
    const state = await freshState(OTHER_LOGIN);
    const sunqi = member(corpB, 'sunqi');
    const code = t.sim.mintQrCode(appB.appKey, sunqi.unionid);
    const res = await callback(`/login/callback/${OTHER_LOGIN}?authCode=${code}&state=${encodeURIComponent(state)}`);
    // Issue #16: no redirect, so no URL (query or fragment) ever carries the ticket.
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const data = pageData(res.text);
    expect(data.pendingBind).toEqual({
      instance: OTHER_LOGIN,
      status: 'BIND_REQUIRED',
      bindTicket: expect.any(String),
      expiresAt: expect.any(String),
      member: { name: sunqi.name, avatar: null, corpId: corpB.corpId, corpName: null },
    });
    expect(res.text).not.toMatch(/#bind=|[?&]bind=/);
    expect(sessionCookieOf(res)).toBeNull();
  });

  test.each([
    ['a used or unknown code', () => `authCode=nope&state=STATE`, 400, 'expired or was already used'],
    ['a forged state', () => `authCode=CODE&state=forged`, 400, 'This sign-in page has expired'],
    ['the person cancelled at DingTalk', () => `error=access_denied&state=STATE`, 400, 'cancelled'],
  ])('failure (%s): an HTML page in plain words with the error\'s status', async (_what, query, status, words) => {
    const state = await freshState();
    const code = t.sim.mintQrCode(appA.appKey, member(corpA, 'zhangsan').unionid);
    const res = await callback(`/login/callback/${ACME_LOGIN}?${query().replace('STATE', encodeURIComponent(state)).replace('CODE', code)}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain(words);
    expect(res.text).toContain('href="/login"');
    expect(sessionCookieOf(res)).toBeNull();
  });

  test('someone outside the organisation: 403 "not a member of <app>"', async () => {
    const state = await freshState();
    const code = t.sim.mintQrCode(appA.appKey, demo.outsiders![0].unionid);
    const res = await callback(`/login/callback/${ACME_LOGIN}?authCode=${code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('This DingTalk account is not a member of Acme HR');
  });

  test('an unknown instance is 404 in plain words', async () => {
    const res = await callback('/login/callback/auths.loginTypes.nothing?authCode=x&state=y');
    expect(res.status).toBe(404);
    expect(res.text).toContain('does not belong to a login of this app');
  });
});

describe('/ and static files', () => {
  test('/ without a session links to /login', async () => {
    const res = await http(t.url, 'GET', '/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/login"');
  });

  test('the host\'s assets and each login Type\'s declared panel are served; nothing else of an element folder is', async () => {
    const css = await http(t.url, 'GET', '/assets/jit/jit.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const panel = await http(t.url, 'GET', '/assets/elements/auths.loginTypes.DDInnerType/pages/login-panel.js');
    expect(panel.status).toBe(200);
    expect(panel.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(panel.text).toContain("register('auths.loginTypes.DDInnerType'");
    for (const address of [
      '/assets/elements/auths.loginTypes.DDInnerType/e.json',
      '/assets/elements/auths.loginTypes.DDInnerType/DDInnerType.ts',
      '/assets/elements/auths.loginTypes.DDInnerType/pages/../DDInnerType.ts',
      '/assets/elements/auths.loginTypes.DDInnerType/pages/%2e%2e/DDInnerType.ts',
      '/assets/elements/auths.loginTypes.acmeLogin/acmeLogin.json',
      '/assets/jit/..%2fhost.ts',
      '/assets/jit/nope.js',
    ]) {
      const res = await http(t.url, 'GET', address);
      expect([400, 404]).toContain(res.status);
      expect(res.text).not.toContain('appSecret');
    }
  });

  test('an unknown page is a 404 page for browsers and a 404 envelope otherwise', async () => {
    const page = await http(t.url, 'GET', '/nowhere', { headers: { accept: 'text/html', ...ENGLISH } });
    expect(page.status).toBe(404);
    expect(page.text).toContain('Page not found');
    const api = await http(t.url, 'GET', '/nowhere');
    expect(api.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});
