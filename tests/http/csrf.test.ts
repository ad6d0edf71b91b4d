/**
 * Cross-site request forgery over real HTTP. A page on another site can make the browser send a
 * state-changing request that carries the session cookie; each case below first shows that the
 * same request without the cross-site marks goes through (so the refusal is the check, not some
 * other failure), then that the host refuses it with 403 CSRF_REJECTED. Bearer calls are exempt;
 * an allowed origin is accepted; the CSRF token guards routes that ask for it.
 */
import { csrfTokenFor, mintCsrfToken } from '../../runtime/http/csrf';
import { sendData } from '../../runtime/http/envelope';
import { rawRequest } from '../helpers/raw-http';
import { CookieJar } from '../helpers/cookie-jar';
import { ACME_LOGIN, corpA, fn, http, member, qrLogin, startTestHost, type TestHost, useTestHost } from './helpers';

const ECHO = 'services.echo';

const t = useTestHost();
let token: string;

beforeAll(async () => {
  token = (await qrLogin(t, ACME_LOGIN, member(corpA, 'zhangsan').unionid)).body.data.token;
});

const withCookie = (headers: Record<string, string> = {}) => ({ cookie: `jit_session=${token}`, ...headers });

function expectRefused(res: { status: number; body: any }): void {
  expect(res.status).toBe(403);
  expect(res.body).toEqual({ success: false, error: { code: 'CSRF_REJECTED', message: expect.any(String) } });
}

test('a cross-origin POST carrying the session cookie is refused; the same call from the host\'s own origin succeeds', async () => {
  const own = await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: withCookie({ origin: t.url }) });
  expect(own.body).toEqual({ success: true, data: { ok: true } });
  expectRefused(await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: withCookie({ origin: 'https://evil.example' }) }));
  // Logging out is a state change too.
  expectRefused(await http(t.url, 'POST', '/api/logout', { headers: withCookie({ origin: 'https://evil.example' }) }));
  expect((await http(t.url, 'GET', '/api/me', { headers: withCookie() })).status).toBe(200);
});

test('forged or opaque origins are refused: another host, another port, "null" (sandboxed frames), a look-alike', async () => {
  const { port, hostname } = new URL(t.url);
  for (const origin of ['http://localhost.evil.example', `http://${hostname}:${Number(port) + 1}`, 'null', `http://${hostname}:${port}.evil.example`, `http://${hostname}`]) {
    expectRefused(await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: withCookie({ origin }) }));
  }
});

test('without a public URL the scheme cannot be known behind an untrusted TLS proxy: the host and port decide', async () => {
  const { port, hostname } = new URL(t.url);
  expect((await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: withCookie({ origin: `https://${hostname}:${port}` }) })).status).toBe(200);
  // A proxy that passes the public Host on (fetch cannot set Host: a raw request): the browser's origin is https://hr.example.com.
  const viaProxy = (origin: string) =>
    rawRequest(t.url, { method: 'POST', path: fn(ECHO, 'whoami'), headers: withCookie({ origin, host: 'hr.example.com', 'content-type': 'application/json' }), body: '{}' });
  expect((await viaProxy('https://hr.example.com')).status).toBe(200);
  const sibling = await viaProxy('https://evil.example.com');
  expectRefused({ status: sibling.status, body: sibling.json });
});

test('without Origin, Sec-Fetch-Site decides: same-origin passes; same-site (a sibling subdomain) and cross-site are refused', async () => {
  expect((await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: withCookie({ 'sec-fetch-site': 'same-origin' }) })).status).toBe(200);
  for (const site of ['same-site', 'cross-site']) {
    expectRefused(await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: withCookie({ 'sec-fetch-site': site }) }));
  }
  // A client that is not a browser sends neither and cannot have been tricked.
  expect((await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: withCookie() })).status).toBe(200);
});

test('login CSRF: another site cannot make a browser sign in to someone else\'s account', async () => {
  const config = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
  const browser = new CookieJar().take(config.headers); // the state is bound to this browser's key
  const code = t.sim.mintQrCode(config.body.data.appKey, member(corpA, 'lisi').unionid);
  const args = { code, loginType: 'qr', platform: 'web', state: config.body.data.state };
  const refused = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginCode'), { json: args, headers: browser.headers({ origin: 'https://evil.example' }) });
  expectRefused(refused);
  expect(refused.headers.getSetCookie().find((c) => c.startsWith('jit_session='))).toBeUndefined();
  // The code was not spent by the refused call: the right origin signs in with it.
  const own = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginCode'), { json: args, headers: browser.headers({ origin: t.url }) });
  expect(own.body.data.status).toBe('LOGGED_IN');
});

test('Bearer calls are exempt: no browser attaches an Authorization header on its own', async () => {
  const res = await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' } });
  expect(res.body).toEqual({ success: true, data: { ok: true } });
});

test('reads are not checked: GET /api/me from another origin still answers (CORS keeps the body from that site)', async () => {
  expect((await http(t.url, 'GET', '/api/me', { headers: withCookie({ origin: 'https://evil.example' }) })).status).toBe(200);
});

describe('with a public URL and allowed origins', () => {
  let h: TestHost;
  let hToken: string;
  beforeAll(async () => {
    h = await startTestHost({
      sim: t.sim,
      settings: { publicUrl: 'https://hr.example.com', security: { allowedOrigins: ['https://portal.example.com'] } },
    });
    hToken = (await qrLogin(h, ACME_LOGIN, member(corpA, 'wangwu').unionid)).body.data.token;
  });
  afterAll(() => h?.close());

  const post = (origin: string) => http(h.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: { cookie: `jit_session=${hToken}`, origin } });

  test('the public URL and the allowed origins pass', async () => {
    expect((await post('https://hr.example.com')).status).toBe(200);
    expect((await post('https://portal.example.com')).status).toBe(200);
  });

  test('a sibling subdomain, the parent domain, http instead of https and the host\'s raw address are cross-origin', async () => {
    for (const origin of ['https://evil.example.com', 'https://example.com', 'http://hr.example.com', 'https://hr.example.com:8443', h.url]) {
      expectRefused(await post(origin));
    }
  });
});

describe('the CSRF token (forms, the console)', () => {
  let g: TestHost;
  beforeAll(async () => {
    g = await startTestHost({
      sim: t.sim,
      beforeListen: (host) => {
        host.fastify.post('/api/test/guarded', { config: { csrfToken: true } }, async (_request, reply) => sendData(reply, { changed: true }));
        host.fastify.get('/api/test/token', async (request, reply) => sendData(reply, { token: await mintCsrfToken(g.app, request) }));
      },
    });
  });
  afterAll(() => g?.close());

  async function signIn(): Promise<{ session: string; key: string; sessionId: string }> {
    const page = await http(g.url, 'GET', '/login', { headers: { accept: 'text/html' } });
    const key = /jit_browser=([^;]+)/.exec(page.headers.getSetCookie().join('\n'))![1];
    const login = await qrLogin(g, ACME_LOGIN, member(corpA, 'zhaoliu').unionid, { cookie: `jit_browser=${key}` });
    const sessions = await g.app.sessions.listForUser(login.body.data.userId);
    return { session: login.body.data.token, key, sessionId: sessions[0].id };
  }

  test('a page mints the token; the guarded route wants it from cookie callers, the right one only', async () => {
    const { session, key, sessionId } = await signIn();
    const cookie = `jit_session=${session}; jit_browser=${key}`;
    const minted = await http(g.url, 'GET', '/api/test/token', { headers: { cookie } });
    expect(minted.body.data.token).toBe(csrfTokenFor(key, sessionId));

    expectRefused(await http(g.url, 'POST', '/api/test/guarded', { json: {}, headers: { cookie } }));
    expectRefused(await http(g.url, 'POST', '/api/test/guarded', { json: {}, headers: { cookie, 'x-csrf-token': 'guess' } }));
    // A token for another session (or minted for a key an attacker planted) does not fit this one.
    expectRefused(await http(g.url, 'POST', '/api/test/guarded', { json: {}, headers: { cookie, 'x-csrf-token': csrfTokenFor(key, 'another-session') } }));
    expectRefused(await http(g.url, 'POST', '/api/test/guarded', { json: {}, headers: { cookie, 'x-csrf-token': csrfTokenFor('A'.repeat(43), sessionId) } }));
    const ok = await http(g.url, 'POST', '/api/test/guarded', { json: {}, headers: { cookie, 'x-csrf-token': minted.body.data.token } });
    expect(ok.body).toEqual({ success: true, data: { changed: true } });
    // Bearer callers are exempt, as from the Origin check.
    expect((await http(g.url, 'POST', '/api/test/guarded', { json: {}, headers: { authorization: `Bearer ${session}` } })).status).toBe(200);
  });

  test('without a session there is no token to mint', async () => {
    expect((await http(g.url, 'GET', '/api/test/token')).body.data.token).toBeNull();
  });
});
