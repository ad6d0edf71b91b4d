/**
 * The request context over real HTTP: code deep in a function route (after awaiting the user store,
 * a timer and a nested async function) sees the client address, user agent, request id, browser
 * key, session and public origin of its own request, never another's; the browser key cookie is
 * set on page loads and on the first login call (which already runs with it), kept when present,
 * and replaced when it is not one the host could have minted.
 */
import { parsePublicUrl } from '../../runtime/http/public-origin';
import { ACME_LOGIN, cookieAttributes, cookieOf, fn, http, member, corpA, qrLogin, setCookieLine, startTestHost, useTestHost } from './helpers';

const PROBE = 'auths.loginTypes.probe';
const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const t = useTestHost();


test('an anonymous login call without a browser key gets one, and the call already runs with it', async () => {
  const res = await http(t.url, 'POST', fn(PROBE, 'context'), { json: {}, headers: { 'user-agent': 'probe-agent/1.0' } });
  expect(res.status).toBe(200);
  const key = cookieOf(res, 'jit_browser');
  expect(key).toMatch(KEY_SHAPE);
  expect(cookieAttributes(setCookieLine(res, 'jit_browser'))).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
  expect(cookieAttributes(setCookieLine(res, 'jit_browser'))).not.toContain('secure');
  expect(res.body.data).toEqual({
    clientAddress: '127.0.0.1',
    userAgent: 'probe-agent/1.0',
    requestId: res.headers.get('x-request-id'),
    browserKey: key,
    sessionId: null,
    publicOrigin: null,
  });
});

test('a browser that has a key keeps it: no new cookie, the context carries the one sent', async () => {
  const first = await http(t.url, 'POST', fn(PROBE, 'context'), { json: {} });
  const key = cookieOf(first, 'jit_browser')!;
  const again = await http(t.url, 'POST', fn(PROBE, 'context'), { json: {}, headers: { cookie: `jit_browser=${key}` } });
  expect(setCookieLine(again, 'jit_browser')).toBeUndefined();
  expect(again.body.data.browserKey).toBe(key);
});

test('a key the host could not have minted is replaced', async () => {
  const res = await http(t.url, 'POST', fn(PROBE, 'context'), { json: {}, headers: { cookie: 'jit_browser=attacker-chosen' } });
  const key = cookieOf(res, 'jit_browser');
  expect(key).toMatch(KEY_SHAPE);
  expect(res.body.data.browserKey).toBe(key);
});

test('page loads set the browser key; the DingTalk login functions do too', async () => {
  for (const path of ['/login', '/', `/login/workbench?corpId=${corpA.corpId}`]) {
    const page = await http(t.url, 'GET', path, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(cookieOf(page, 'jit_browser')).toMatch(KEY_SHAPE);
  }
  const config = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
  expect(cookieOf(config, 'jit_browser')).toMatch(KEY_SHAPE);
  // Not on calls that are not login entry points.
  expect(cookieOf(await http(t.url, 'GET', '/healthz'), 'jit_browser')).toBeNull();
  expect(cookieOf(await http(t.url, 'POST', fn('services.echo', 'echo'), { json: { text: 'x' } }), 'jit_browser')).toBeNull();
});

test('a signed-in call sees its session id, by cookie or Bearer, on anonymous and login-required functions', async () => {
  const login = await qrLogin(t, ACME_LOGIN, member(corpA, 'zhangsan').unionid);
  const token = login.body.data.token as string;
  const [session] = await t.app.sessions.listForUser(login.body.data.userId);
  for (const name of ['context', 'signedInContext']) {
    for (const headers of <Array<Record<string, string>>>[{ cookie: `jit_session=${token}` }, { authorization: `Bearer ${token}` }]) {
      const res = await http(t.url, 'POST', fn(PROBE, name), { json: {}, headers });
      expect(res.status).toBe(200);
      expect(res.body.data.sessionId).toBe(session.id);
    }
  }
});

test('concurrent requests each see their own context', async () => {
  const agents = Array.from({ length: 20 }, (_, i) => `agent-${i}`);
  const results = await Promise.all(agents.map((agent) => http(t.url, 'POST', fn(PROBE, 'context'), { json: {}, headers: { 'user-agent': agent } })));
  results.forEach((res, i) => {
    expect(res.body.data.userAgent).toBe(agents[i]);
    expect(res.body.data.requestId).toBe(res.headers.get('x-request-id'));
    expect(res.body.data.browserKey).toBe(cookieOf(res, 'jit_browser'));
  });
  expect(new Set(results.map((r) => r.body.data.browserKey)).size).toBe(agents.length);
});

test('the configured public origin reaches elements: getLoginConfig gives an absolute redirect URI', async () => {
  const proxied = await startTestHost({ sim: t.sim, settings: { publicUrl: 'https://hr.example.com/' } });
  try {
    const probe = await http(proxied.url, 'POST', fn(PROBE, 'context'), { json: {} });
    expect(probe.body.data.publicOrigin).toBe('https://hr.example.com');
    const config = await http(proxied.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
    expect(config.body.data.redirectUri).toBe(`https://hr.example.com/login/callback/${ACME_LOGIN}`);
    expect(proxied.logs.some((l) => /publicUrl is not set/.test(String(l.msg)))).toBe(false);
  } finally {
    await proxied.close();
  }
  // Unset: a path, which the page resolves against its own origin, and one warning at start.
  const config = await http(t.url, 'POST', fn(ACME_LOGIN, 'getLoginConfig'), { json: {} });
  expect(config.body.data.redirectUri).toBe(`/login/callback/${ACME_LOGIN}`);
  expect(t.logs.filter((l) => /publicUrl is not set/.test(String(l.msg)))).toHaveLength(1);
});

test('--public-url (the host option) wins over app.json publicUrl', async () => {
  const flagged = await startTestHost({ sim: t.sim, settings: { publicUrl: 'https://old.example.com' }, host: { publicUrl: 'https://new.example.com' } });
  try {
    const probe = await http(flagged.url, 'POST', fn(PROBE, 'context'), { json: {} });
    expect(probe.body.data.publicOrigin).toBe('https://new.example.com');
  } finally {
    await flagged.close();
  }
});

describe('parsing --public-url', () => {
  test.each([
    ['https://hr.example.com', 'https://hr.example.com'],
    ['https://hr.example.com/', 'https://hr.example.com'],
    ['HTTPS://HR.Example.com:443', 'https://hr.example.com'],
    ['http://10.0.0.5:3000', 'http://10.0.0.5:3000'],
  ])('%s -> %s', (value, origin) => {
    expect(parsePublicUrl(value)).toBe(origin);
  });

  test.each(['hr.example.com', 'ftp://hr.example.com', 'https://hr.example.com/app', 'https://hr.example.com?x=1', 'https://user:pw@hr.example.com'])('%s is refused', (value) => {
    expect(() => parsePublicUrl(value)).toThrow(/--public-url/);
  });
});
