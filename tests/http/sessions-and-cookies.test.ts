/**
 * Sessions and cookies over real HTTP: the lifetime (`sessions.ttl`) and idle timeout
 * (`sessions.idleTimeout`) from app.json, a second login in one browser ending the first session,
 * the Secure attribute per `sessions.secureCookies` (auto: behind a trusted proxy that says https,
 * or a public URL that is https), and HSTS only when served over https.
 */
import { ACME_LOGIN, cookieAttributes, corpA, fn, http, member, qrLogin, sessionCookieOf, setCookieLine, startTestHost, type TestHost, useTestHost } from './helpers';

const t = useTestHost({ settings: { sessions: { ttl: 3600 } } });


test('sessions live sessions.ttl seconds (app.json): expiresAt and the cookie\'s Max-Age', async () => {
  const login = await qrLogin(t, ACME_LOGIN, member(corpA, 'zhangsan').unionid);
  const lifetime = (Date.parse(login.body.data.expiresAt) - Date.now()) / 1000;
  expect(lifetime).toBeGreaterThan(3000);
  expect(lifetime).toBeLessThanOrEqual(3600);
  const maxAge = Number(/Max-Age=(\d+)/i.exec(setCookieLine(login, 'jit_session')!)![1]);
  expect(maxAge).toBeGreaterThan(3000);
  expect(maxAge).toBeLessThanOrEqual(3600);
});

test('a second login in the same browser ends the first session; a login in another browser does not', async () => {
  const first = await qrLogin(t, ACME_LOGIN, member(corpA, 'lisi').unionid);
  const firstToken = first.body.data.token as string;
  const elsewhere = (await qrLogin(t, ACME_LOGIN, member(corpA, 'lisi').unionid)).body.data.token as string;
  // The same browser signs in again (as someone else, or the same person): it still sends the old cookie.
  const second = await qrLogin(t, ACME_LOGIN, member(corpA, 'wangwu').unionid, { cookie: `jit_session=${firstToken}` });
  expect(second.body.data.status).toBe('LOGGED_IN');
  expect(sessionCookieOf(second)).not.toBe(firstToken);
  expect((await http(t.url, 'GET', '/api/me', { headers: { authorization: `Bearer ${firstToken}` } })).status).toBe(401);
  expect((await http(t.url, 'GET', '/api/me', { headers: { authorization: `Bearer ${second.body.data.token}` } })).status).toBe(200);
  expect((await http(t.url, 'GET', '/api/me', { headers: { authorization: `Bearer ${elsewhere}` } })).status).toBe(200);
});

test('an idle session ends after sessions.idleTimeout seconds without a request', async () => {
  const idle = await startTestHost({ sim: t.sim, settings: { sessions: { idleTimeout: 3 } } });
  try {
    const login = await qrLogin(idle, ACME_LOGIN, member(corpA, 'zhaoliu').unionid);
    const token = login.body.data.token as string;
    const cookie = { cookie: `jit_session=${token}` };
    expect((await http(idle.url, 'GET', '/api/me', { headers: cookie })).status).toBe(200);
    // Then nothing for longer than the idle timeout (the last use is recorded to the minute, so
    // real idle timeouts are minutes; the rule is the same).
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await http(idle.url, 'GET', '/api/me', { headers: cookie })).status).toBe(401);
    expect((await http(idle.url, 'GET', '/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    // Its absolute lifetime (sessions.ttl, 7 days) is far off: it was the idle timeout that ended it.
    const [row] = await idle.app.sessions.listForUser(login.body.data.userId);
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 24 * 3600 * 1000);
  } finally {
    await idle.close();
  }
});

describe('Secure cookies and HSTS', () => {
  const loginWith = (h: TestHost, headers: Record<string, string>) => qrLogin(h, ACME_LOGIN, member(corpA, 'alice.chen').unionid, headers);
  const secure = (line: string | undefined) => cookieAttributes(line).includes('secure');

  test('behind one trusted proxy hop that says https: both cookies are Secure and HSTS is sent; over plain http neither', async () => {
    const proxied = await startTestHost({ sim: t.sim, host: { trustProxy: 1 } });
    try {
      const https = await loginWith(proxied, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' });
      expect(secure(setCookieLine(https, 'jit_session'))).toBe(true);
      // The browser key is set by the first login call of a browser with none (getLoginConfig).
      const firstCall = (headers: Record<string, string>) => http(proxied.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {}, headers });
      expect(secure(setCookieLine(await firstCall({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' }), 'jit_browser'))).toBe(true);
      expect(secure(setCookieLine(await firstCall({ 'x-forwarded-for': '198.51.100.7' }), 'jit_browser'))).toBe(false);
      expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const page = await http(proxied.url, 'GET', '/login', { headers: { accept: 'text/html', 'x-forwarded-proto': 'https' } });
      expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');

      const plain = await loginWith(proxied, { 'x-forwarded-for': '198.51.100.7' });
      expect(secure(setCookieLine(plain, 'jit_session'))).toBe(false);
      expect(plain.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.close();
    }
  });

  test('X-Forwarded-Proto from a peer that is not a trusted proxy is ignored', async () => {
    for (const trustProxy of [undefined, ['10.0.0.0/8']]) {
      const direct = await startTestHost({ sim: t.sim, host: { trustProxy } });
      try {
        const res = await loginWith(direct, { 'x-forwarded-proto': 'https' });
        expect(res.body.data.status).toBe('LOGGED_IN');
        expect(secure(setCookieLine(res, 'jit_session'))).toBe(false);
        expect(res.headers.get('strict-transport-security')).toBeNull();
      } finally {
        await direct.close();
      }
    }
  });

  test('an https public URL makes cookies Secure and sends HSTS, whatever the hop to the host', async () => {
    const h = await startTestHost({ sim: t.sim, settings: { publicUrl: 'https://hr.example.com' } });
    try {
      const res = await loginWith(h, {});
      expect(secure(setCookieLine(res, 'jit_session'))).toBe(true);
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect((await http(h.url, 'GET', '/healthz')).headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      await h.close();
    }
  });

  test('sessions.secureCookies forces the attribute either way; false under an https public URL is warned about at start', async () => {
    const forced = await startTestHost({ sim: t.sim, settings: { sessions: { secureCookies: true } } });
    try {
      expect(secure(setCookieLine(await loginWith(forced, {}), 'jit_session'))).toBe(true);
    } finally {
      await forced.close();
    }
    const off = await startTestHost({ sim: t.sim, settings: { publicUrl: 'https://hr.example.com', sessions: { secureCookies: false } } });
    try {
      expect(secure(setCookieLine(await loginWith(off, {}), 'jit_session'))).toBe(false);
      expect(off.logs.filter((l) => l.level === 'warn' && /secureCookies is false/.test(String(l.msg)))).toHaveLength(1);
    } finally {
      await off.close();
    }
  });

  test('logging out clears the cookie with the same attributes', async () => {
    const proxied = await startTestHost({ sim: t.sim, host: { trustProxy: 1 } });
    try {
      const token = (await loginWith(proxied, { 'x-forwarded-proto': 'https' })).body.data.token as string;
      const out = await http(proxied.url, 'POST', '/api/logout', { headers: { cookie: `jit_session=${token}`, 'x-forwarded-proto': 'https' } });
      const line = setCookieLine(out, 'jit_session');
      expect(line).toMatch(/^jit_session=;/);
      expect(cookieAttributes(line)).toEqual(expect.arrayContaining(['max-age=0', 'httponly', 'samesite=lax', 'path=/', 'secure']));
    } finally {
      await proxied.close();
    }
  });
});

test('the session cookie wins no argument with an unrelated cookie of the same browser; malformed cookies are no session', async () => {
  const token = (await qrLogin(t, ACME_LOGIN, member(corpA, 'bob.li').unionid)).body.data.token as string;
  expect((await http(t.url, 'POST', fn('services.echo', 'whoami'), { json: {}, headers: { cookie: `a=%%%; jit_session=${token}; b="q"` } })).status).toBe(200);
  expect((await http(t.url, 'GET', '/api/me', { headers: { cookie: 'jit_session=%E0%A4%A' } })).status).toBe(401);
});
