/**
 * Element functions over real HTTP: addresses, the envelope, named -> positional arguments, every
 * error status, loginRequired with cookie and Bearer sessions, body limits, malformed input, the
 * login rate limit, security headers, and that no secret reaches a response or a log line.
 */
import * as net from 'net';
import { appA, appB, ACME_LOGIN, STAFF_LOGIN, AUTH_SERVICE, API, corpA, fn, http, member, qrLogin, sessionCookieOf, startTestHost, useTestHost } from './helpers';
import { CookieJar } from '../helpers/cookie-jar';

const ECHO = 'services.echo';
const t = useTestHost();


describe('addresses and the envelope', () => {
  test('a function answers at /api/<org>/<app>/<fullName as path>/<name> with {success, data}', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'echo'), { json: { text: 'hello', count: 3, flag: true, data: { a: [1, 2] } } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({ success: true, data: { text: 'hello', count: 3, flag: true, data: { a: [1, 2] } } });
  });

  test('named arguments map to positions in functionList order; absent optional ones are undefined; extra fields are ignored', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'echo'), { json: { data: 'd', extra: 'ignored', text: 'x', flag: null } });
    expect(res.body).toEqual({ success: true, data: { text: 'x', count: null, flag: null, data: 'd' } });
  });

  test('an Instance inherits its Type\'s functions: getLoginConfig on a DDInnerType instance, with a fresh state each time', async () => {
    const first = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
    const second = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'));
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ appKey: appA.appKey, corpId: corpA.corpId, loginUrl: t.sim.loginUrl, redirectUri: `/login/callback/${ACME_LOGIN}` });
    expect(typeof first.body.data.state).toBe('string');
    expect(second.body.data.state).not.toBe(first.body.data.state);
    expect(first.text).not.toContain(appA.appSecret);
  });

  test.each([
    ['an unknown element', `${API}/services/nothing/echo`],
    ['an unknown function', fn(ECHO, 'nope')],
    ['another app\'s org/app', '/api/other/app/services/echo/echo'],
    ['a Type (functions run on Instances)', fn('auths.loginTypes.DDInnerType', 'getLoginConfig')],
    ['a path with a dotted segment', `${API}/services.echo/echo`],
    ['too short a path', `${API}/echo`],
  ])('%s is 404 NOT_FOUND in the envelope', async (_what, address) => {
    const res = await http(t.url, 'POST', address, { json: { text: 'x' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  test('GET on a function address is 404 with a hint to POST', async () => {
    const res = await http(t.url, 'GET', fn(ECHO, 'echo'));
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/POST/);
  });
});

describe('bad input is a 400, never a crash', () => {
  test('a missing required argument names it', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'echo'), { json: { count: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(res.body.error.message).toContain('"text"');
  });

  test.each([
    [{ text: 5 }, 'text'],
    [{ text: 'x', count: 1.5 }, 'count'],
    [{ text: 'x', count: '3' }, 'count'],
    [{ text: 'x', flag: 'yes' }, 'flag'],
  ])('a value of the wrong JSON type for its dataType (%j) names %s', async (body, name) => {
    const res = await http(t.url, 'POST', fn(ECHO, 'echo'), { json: body });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining(`"${name}"`) });
  });

  test.each([
    ['broken JSON', '{"text": '],
    ['a JSON array', '["text"]'],
    ['a JSON string', '"text"'],
    ['prototype poisoning', '{"text":"x","__proto__":{"admin":true}}'],
    ['constructor poisoning', '{"text":"x","constructor":{"prototype":{"admin":true}}}'],
  ])('%s is 400 BAD_REQUEST', async (_what, raw) => {
    const res = await http(t.url, 'POST', fn(ECHO, 'echo'), { raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ success: false, error: { code: 'BAD_REQUEST', message: expect.any(String) } });
  });

  test('a body that is not JSON (form, text) is 400 naming the content type to use', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await http(t.url, 'POST', fn(ECHO, 'echo'), { raw: 'text=x', headers: { 'content-type': type } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('application/json');
    }
  });

  test('an empty JSON body counts as no arguments', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'echo'), { raw: '', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"text"');
  });

  test('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'echo'), { json: { text: 'x'.repeat(70 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a malformed percent-encoding in the address is 400 or 404 in the envelope', async () => {
    const res = await http(t.url, 'POST', `${API}/services/%E0%A4%A/echo`, { json: { text: 'x' } });
    expect([400, 404]).toContain(res.status);
    expect(res.body.success).toBe(false);
  });

  test('raw garbage over TCP gets a 400 from the HTTP parser', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(t.url).port), '127.0.0.1', () => socket.write('\u0000\u00ffGARBAGE / HTTP/9.9\r\nX: \u0000\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += String(chunk)));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
  });

  test('the host still answers after all of that', async () => {
    expect((await http(t.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
  });
});

describe('errors from element code', () => {
  test('a JitError maps to its status and code with its message', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'refuse'), { json: {} });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ success: false, error: { code: 'CORP_MISMATCH', message: "The organisation chosen in DingTalk is not this app's" } });
  });

  test('any other error is 500 INTERNAL_ERROR with a generic message; the detail only in the log', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'explode'), { json: {} });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL_ERROR');
    expect(res.text).not.toContain('p4ssw0rd');
    const requestId = res.headers.get('x-request-id');
    expect(t.logs.some((l) => l.reqId === requestId && JSON.stringify(l).includes('p4ssw0rd'))).toBe(true);
  });

  test('a declared function without a method is 500, not a crash', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'notImplemented'), { json: {} });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL_ERROR');
  });

  test('DingTalk login errors keep their stable codes: a bad authCode is 400 AUTH_CODE_INVALID, a used state 400 STATE_INVALID', async () => {
    // One browser: the state is bound to its browser key cookie.
    const browser = new CookieJar();
    const config = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
    browser.take(config.headers);
    const bad = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginCode'), { json: { code: 'not-a-code', loginType: 'qr', state: config.body.data.state }, headers: browser.headers() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('AUTH_CODE_INVALID');
    const code = t.sim.mintQrCode(appA.appKey, member(corpA, 'lisi').unionid);
    const replay = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginCode'), { json: { code, loginType: 'qr', state: config.body.data.state }, headers: browser.headers() });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('STATE_INVALID');
  });

  test('an unknown corpId on loginByWorkbench is 404 CORP_NOT_CONFIGURED', async () => {
    const res = await http(t.url, 'POST', fn(AUTH_SERVICE, 'loginByWorkbench'), { json: { corpId: 'dingnope', authCode: 'x' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CORP_NOT_CONFIGURED');
  });
});

describe('sessions: loginRequired, cookie and Bearer', () => {
  test('loginRequired without a session is 401 LOGIN_REQUIRED (also when loginRequired is left to its default)', async () => {
    for (const name of ['whoami', 'guarded']) {
      const res = await http(t.url, 'POST', fn(ECHO, name), { json: {} });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('LOGIN_REQUIRED');
    }
    const forged = await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: { authorization: 'Bearer ' + 'A'.repeat(43) } });
    expect(forged.status).toBe(401);
  });

  test('a QR login sets the HttpOnly session cookie and returns the user; the cookie and the Bearer token both open loginRequired functions', async () => {
    const zhangsan = member(corpA, 'zhangsan');
    const login = await qrLogin(t, ACME_LOGIN, zhangsan.unionid);
    expect(login.status).toBe(200);
    expect(login.body.data).toMatchObject({ status: 'LOGGED_IN', user: { displayName: zhangsan.name } });
    const token = login.body.data.token as string;
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('jit_session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http here
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie!)![1]);
    const expected = (Date.parse(login.body.data.expiresAt) - Date.now()) / 1000;
    expect(Math.abs(maxAge - expected)).toBeLessThan(60);
    expect(sessionCookieOf(login)).toBe(token);

    const viaCookie = await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: { cookie: `other=1; jit_session=${token}` } });
    expect(viaCookie.body).toEqual({ success: true, data: { ok: true } });
    const viaBearer = await http(t.url, 'POST', fn(ECHO, 'whoami'), { json: {}, headers: { authorization: `Bearer ${token}` } });
    expect(viaBearer.body).toEqual({ success: true, data: { ok: true } });
  });

  test('a page that asks for cookie-only sessions gets no token in the body', async () => {
    const login = await qrLogin(t, ACME_LOGIN, member(corpA, 'wangwu').unionid, { 'x-jit-session': 'cookie' });
    expect(login.status).toBe(200);
    expect(login.body.data.status).toBe('LOGGED_IN');
    expect(login.body.data.token).toBeUndefined();
    expect(sessionCookieOf(login)).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  test('Secure is added when the request came over https (behind a trusted proxy)', async () => {
    const proxied = await startTestHost({ sim: t.sim, host: { trustProxy: true } });
    try {
      const login = await qrLogin(proxied, ACME_LOGIN, member(corpA, 'zhaoliu').unionid, { 'x-forwarded-proto': 'https' });
      expect(login.headers.getSetCookie().find((c) => c.startsWith('jit_session='))).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });
});

describe('a username/password login instance (PasswordType)', () => {
  test('the right password signs in with the session cookie; a wrong one is 401 CREDENTIALS_INVALID', async () => {
    await t.app.users.create({ username: 'hr.admin', displayName: 'HR Admin', password: 'a long passphrase', source: 'cli' });
    const wrong = await http(t.url, 'POST', fn(STAFF_LOGIN, 'login'), { json: { username: 'hr.admin', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('CREDENTIALS_INVALID');
    const right = await http(t.url, 'POST', fn(STAFF_LOGIN, 'login'), { json: { username: 'hr.admin', password: 'a long passphrase' } });
    expect(right.status).toBe(200);
    expect(right.body.data).toMatchObject({ status: 'LOGGED_IN', user: { username: 'hr.admin' } });
    expect(sessionCookieOf(right)).toBe(right.body.data.token);
    expect(right.text).not.toContain('a long passphrase');
    expect(t.rawLogs.join('\n')).not.toContain('a long passphrase');
  });
});

describe('the flood limit on login entry points', () => {
  test('past the limit, login functions answer 429 RATE_LIMITED with Retry-After; other routes are not limited', async () => {
    const limited = await startTestHost({ sim: t.sim, host: { floodPerAddress: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await http(limited.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await http(limited.url, 'POST', fn(AUTH_SERVICE, 'completeBinding'), { json: { bindTicket: 'x', proof: { username: 'a', password: 'b' } } });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await http(limited.url, 'GET', '/healthz')).status).toBe(200);
      expect((await http(limited.url, 'GET', '/api/me')).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe('Retry-After', () => {
  test('DINGTALK_RATE_LIMITED with details.retryAfter (seconds) is answered with a Retry-After header, rounded up', async () => {
    const res = await http(t.url, 'POST', fn(ECHO, 'busy'), { json: {} });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ success: false, error: { code: 'DINGTALK_RATE_LIMITED', message: expect.any(String) } });
    expect(res.headers.get('retry-after')).toBe('8');
  });

  test('errors without retryAfter carry no Retry-After', async () => {
    expect((await http(t.url, 'POST', fn(ECHO, 'refuse'), { json: {} })).headers.get('retry-after')).toBeNull();
  });
});

describe('headers and secrets', () => {
  test('every answer carries nosniff, DENY framing and its own request id; API answers a CSP that allows nothing', async () => {
    const requestIds = new Set<string | null>();
    for (const [method, address] of [['GET', '/healthz'], ['POST', fn(ECHO, 'echo')], ['GET', '/nope']] as const) {
      const res = await http(t.url, method, address, method === 'POST' ? { json: { text: 'x' } } : {});
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      // A per-process random prefix and a counter.
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
      requestIds.add(res.headers.get('x-request-id'));
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    expect(requestIds.size).toBe(3);
  });

  test('no response and no log line carries an appSecret, a session token, an authCode or a state', async () => {
    const login = await qrLogin(t, ACME_LOGIN, member(corpA, 'alice.chen').unionid);
    const token = login.body.data.token as string;
    const me = await http(t.url, 'GET', '/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.text).not.toContain(token);
    const all = t.rawLogs.join('\n');
    for (const secret of [appA.appSecret, appB.appSecret, token]) expect(all).not.toContain(secret);
    const browser = new CookieJar();
    const config = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
    browser.take(config.headers);
    const state = config.body.data.state as string;
    const code = t.sim.mintQrCode(appA.appKey, member(corpA, 'bob.li').unionid);
    const callback = await http(t.url, 'GET', `/login/callback/${ACME_LOGIN}?authCode=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, { headers: browser.headers() });
    expect(callback.status).toBe(302);
    const after = t.rawLogs.join('\n');
    expect(after).not.toContain(code);
    expect(after).not.toContain(state);
  });

  test('one request log line per request: method, route pattern, status, ms, request id; no query string', async () => {
    const before = t.logs.length;
    const res = await http(t.url, 'GET', '/healthz?token=abc');
    const lines = t.logs.slice(before).filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', route: '/healthz', status: 200, reqId: res.headers.get('x-request-id') });
    expect(typeof lines[0].ms).toBe('number');
    expect(JSON.stringify(lines[0])).not.toContain('abc');
    const call = await http(t.url, 'POST', fn(ECHO, 'echo'), { json: { text: 'x' } });
    const callLine = t.logs.find((l) => l.msg === 'request' && l.reqId === call.headers.get('x-request-id'));
    expect(callLine).toMatchObject({ method: 'POST', route: fn(ECHO, 'echo'), status: 200 });
  });
});
