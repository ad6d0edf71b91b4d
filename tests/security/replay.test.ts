/**
 * Replays against a `jit serve` process: everything that proves something once must be refused the
 * second time, with its own code. A workbench code and a QR code (AUTH_CODE_INVALID), a QR state
 * (STATE_INVALID, also when forged, issued for another login, or presented by another browser), a
 * bind ticket (BIND_TICKET_INVALID, also from another browser), and a session token after logout
 * (LOGIN_REQUIRED, by Bearer and by cookie).
 *
 * A "browser" is a cookie jar: the host binds login states and bind tickets to its browser key
 * cookie (issue #16), so each flow runs in one, and the attacks present a value in another.
 */
import { postJson, type JsonAnswer } from '../helpers/login-driver';
import { CookieJar } from '../helpers/cookie-jar';
import { demoCorpA, demoCorpB } from '../helpers/demo-org';
import { ACME_LOGIN, OTHER_LOGIN, AUTH_SERVICE, useLoginApp, functionPath, createLocalUser, acmeAndGlobexApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';

jest.setTimeout(120_000);

describe('replays are refused', () => {
  const sim = useSimulator({ seed: 5 });
  const t = useLoginApp({ sim, app: acmeAndGlobexApp(demoCorpA, demoCorpB), tap: true, host: 'process', serveArgs: ['--trust-proxy'] });

  let client = 0;
  /** A browser: its cookies kept (but not the session: these tests send their tokens themselves). */
  const newBrowser = () => new CookieJar({ ignore: ['jit_session'] });
  let browser = newBrowser();
  beforeEach(() => {
    browser = newBrowser();
  });
  /** Each call from its own address (the login limit is tested elsewhere), from `from` (default: the test's browser). */
  const call = (fullName: string, fn: string, body: unknown, from: CookieJar = browser): Promise<JsonAnswer> =>
    postJson(t.serve.url + functionPath(fullName, fn), body, { 'x-forwarded-for': `10.77.0.${++client}` }, 30_000, from);
  const freshState = async (instance = ACME_LOGIN, from: CookieJar = browser) => {
    const config = await call(instance, 'getLoginConfig', {}, from);
    if (!config.ok) throw new Error(`getLoginConfig: ${config.code}`);
    return config.data as { state: string; appKey: string };
  };
  const refusal = (status: number, code: string) => ({ ok: false, status, code });

  test('a workbench code works once', async () => {
    const member = demoCorpA.users[0];
    const authCode = t.sim.mintWorkbenchCode(demoCorpA.corpId, member.userid);
    const body = { corpId: demoCorpA.corpId, authCode, platform: 'mobile' };
    expect((await call(AUTH_SERVICE, 'loginByWorkbench', body)).ok).toBe(true);
    expect(await call(AUTH_SERVICE, 'loginByWorkbench', body)).toEqual(refusal(400, 'AUTH_CODE_INVALID'));
    // The same code through the other entry point is just as spent.
    expect(await call(ACME_LOGIN, 'getLoginCode', { code: authCode, loginType: 'workbench' })).toEqual(refusal(400, 'AUTH_CODE_INVALID'));
  });

  test('a QR code works once, even with a fresh state', async () => {
    const member = demoCorpA.users[1];
    const first = await freshState();
    const code = t.sim.mintQrCode(first.appKey, member.unionid);
    expect((await call(ACME_LOGIN, 'getLoginCode', { code, loginType: 'qr', state: first.state })).ok).toBe(true);
    const second = await freshState();
    expect(await call(ACME_LOGIN, 'getLoginCode', { code, loginType: 'qr', state: second.state })).toEqual(refusal(400, 'AUTH_CODE_INVALID'));
  });

  test('a state works once, and only for the login and the server that issued it', async () => {
    const member = demoCorpA.users[2];
    const { state, appKey } = await freshState();
    const login = () => call(ACME_LOGIN, 'getLoginCode', { code: t.sim.mintQrCode(appKey, member.unionid), loginType: 'qr', state });
    expect((await login()).ok).toBe(true);
    expect(await login()).toEqual(refusal(400, 'STATE_INVALID'));

    // Forged: the payload changed (a new nonce) under the old signature.
    const fresh = (await freshState()).state;
    const [body, signature] = fresh.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedBody = Buffer.from(JSON.stringify({ ...payload, nonce: 'attacker-chosen-nonce' })).toString('base64url');
    const forged = await call(ACME_LOGIN, 'getLoginCode', { code: t.sim.mintQrCode(appKey, member.unionid), loginType: 'qr', state: `${forgedBody}.${signature}` });
    expect(forged).toEqual(refusal(400, 'STATE_INVALID'));
    // Issued for another login instance (corp B's), presented to corp A's.
    const otherState = (await freshState(OTHER_LOGIN)).state;
    const crossed = await call(ACME_LOGIN, 'getLoginCode', { code: t.sim.mintQrCode(appKey, member.unionid), loginType: 'qr', state: otherState });
    expect(crossed).toEqual(refusal(400, 'STATE_INVALID'));
    // The unused fresh state still works: the refusals above spent nothing.
    expect((await call(ACME_LOGIN, 'getLoginCode', { code: t.sim.mintQrCode(appKey, member.unionid), loginType: 'qr', state: fresh })).ok).toBe(true);
  });

  test('a bind ticket works once', async () => {
    await createLocalUser(t, { username: 'lin.local', password: 'correct horse battery staple' });
    const member = demoCorpB.users[0];
    const started = await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpB.corpId, authCode: t.sim.mintWorkbenchCode(demoCorpB.corpId, member.userid) });
    expect(started).toMatchObject({ ok: true, data: { status: 'BIND_REQUIRED', bindTicket: expect.any(String) } });
    const bindTicket = (started as { data: { bindTicket: string } }).data.bindTicket;

    const proof = { username: 'lin.local', password: 'correct horse battery staple' };
    expect(await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof: { ...proof, password: 'wrong' } })).toEqual(refusal(401, 'CREDENTIALS_INVALID'));
    const bound = await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof });
    expect(bound).toMatchObject({ ok: true, data: { status: 'LOGGED_IN', binding: 'existing' } });
    expect(await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof })).toEqual(refusal(400, 'BIND_TICKET_INVALID'));
  });

  test('the lure: a bind ticket completed from another browser binds nothing; from its own browser it works', async () => {
    await createLocalUser(t, { username: 'colleague.local', password: 'the colleague\'s own password' });
    await createLocalUser(t, { username: 'owner.local', password: 'the owner\'s own password' });
    const member = demoCorpB.users[1];
    const owner = newBrowser();
    const colleague = newBrowser();
    const started = await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpB.corpId, authCode: t.sim.mintWorkbenchCode(demoCorpB.corpId, member.userid) }, owner);
    expect(started).toMatchObject({ ok: true, data: { status: 'BIND_REQUIRED', member: { name: member.name, corpId: demoCorpB.corpId } } });
    const { bindTicket } = (started as { data: { bindTicket: string } }).data;
    // Over HTTP the ticket is bound to the browser key cookie; no key is handed back.
    expect((started as { data: Record<string, unknown> }).data).not.toHaveProperty('clientKey');

    const lured = await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof: { username: 'colleague.local', password: 'the colleague\'s own password' } }, colleague);
    expect(lured).toEqual(refusal(400, 'BIND_TICKET_INVALID'));
    // Not even an HTTP caller that sets a `clientKey` of its choosing: functions take their declared arguments only.
    const withKey = await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof: { username: 'colleague.local', password: 'the colleague\'s own password' }, options: { clientKey: 'x'.repeat(43) }, clientKey: 'x'.repeat(43) }, colleague);
    expect(withKey).toEqual(refusal(400, 'BIND_TICKET_INVALID'));

    const own = await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof: { username: 'owner.local', password: 'the owner\'s own password' } }, owner);
    expect(own).toMatchObject({ ok: true, data: { status: 'LOGGED_IN', user: { username: 'owner.local' } } });
  });

  test('login CSRF: a state issued to browser A and presented by browser B signs nobody in', async () => {
    const attacker = newBrowser();
    const victim = newBrowser();
    const member = demoCorpA.users[4];
    const { state, appKey } = await freshState(ACME_LOGIN, attacker);
    const code = t.sim.mintQrCode(appKey, member.unionid);
    expect(await call(ACME_LOGIN, 'getLoginCode', { code, loginType: 'qr', state }, victim)).toEqual(refusal(400, 'STATE_INVALID'));
    // The redirect callback refuses it too (a link the attacker sends): a page, and no session cookie.
    const page = await fetch(`${t.serve.url}/login/callback/${ACME_LOGIN}?authCode=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
      headers: victim.headers({ accept: 'text/html', 'x-forwarded-for': '10.77.9.9' }),
      redirect: 'manual',
    });
    expect(page.status).toBe(400);
    expect(page.headers.getSetCookie().filter((c) => c.startsWith('jit_session='))).toEqual([]);
    // Nothing was spent: in the browser that asked for it, the state signs that person in.
    expect(await call(ACME_LOGIN, 'getLoginCode', { code, loginType: 'qr', state }, attacker)).toMatchObject({ ok: true, data: { status: 'LOGGED_IN' } });
  });

  test('a logged-out session is refused everywhere, by Bearer and by cookie', async () => {
    const login = await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: demoCorpA.corpId, authCode: t.sim.mintWorkbenchCode(demoCorpA.corpId, demoCorpA.users[3].userid) });
    const token = (login as { data: { token: string } }).data.token;
    const me = (headers: Record<string, string>) => fetch(`${t.serve.url}/api/me`, { headers });
    expect((await me({ authorization: `Bearer ${token}` })).status).toBe(200);

    const logout = await fetch(`${t.serve.url}/api/logout`, { method: 'POST', headers: { cookie: `jit_session=${token}` } });
    expect(((await logout.json()) as { data: { revoked: boolean } }).data.revoked).toBe(true);
    for (const headers of [{ authorization: `Bearer ${token}` }, { cookie: `jit_session=${token}` }] as Array<Record<string, string>>) {
      const res = await me(headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LOGIN_REQUIRED');
    }
    // Logging out again changes nothing and says so.
    const again = await fetch(`${t.serve.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(((await again.json()) as { data: { revoked: boolean } }).data.revoked).toBe(false);
  });
});
