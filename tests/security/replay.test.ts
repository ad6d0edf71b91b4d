/**
 * Replays against a `jit serve` process: everything that proves something once must be refused the
 * second time, with its own code. A workbench code and a QR code (AUTH_CODE_INVALID), a QR state
 * (STATE_INVALID, also when forged or issued for another login), a bind ticket
 * (BIND_TICKET_INVALID), and a session token after logout (LOGIN_REQUIRED, by Bearer and by cookie).
 */
import { AUTH_SERVICE, functionPath } from '../reliability/support/login-app';
import { postJson, type JsonAnswer } from '../reliability/support/login-driver';
import { ACME_LOGIN, createLocalUser, OTHER_LOGIN, startSecurityHost, type SecurityHost } from './support/security-host';

jest.setTimeout(120_000);

describe('replays are refused', () => {
  let t: SecurityHost;
  beforeAll(async () => {
    t = await startSecurityHost({ trustProxy: true });
  });
  afterAll(() => t?.close());

  let client = 0;
  /** Each call from its own address: the login limit is tested elsewhere. */
  const call = (fullName: string, fn: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> =>
    postJson(t.host.url + functionPath(fullName, fn), body, { 'x-forwarded-for': `10.77.0.${++client}`, ...headers }, 30_000);
  const freshState = async (instance = ACME_LOGIN) => {
    const config = await call(instance, 'getLoginConfig', {});
    if (!config.ok) throw new Error(`getLoginConfig: ${config.code}`);
    return config.data as { state: string; appKey: string };
  };
  const refusal = (status: number, code: string) => ({ ok: false, status, code });

  test('a workbench code works once', async () => {
    const member = t.corpA.users[0];
    const authCode = t.sim.mintWorkbenchCode(t.corpA.corpId, member.userid);
    const body = { corpId: t.corpA.corpId, authCode, platform: 'mobile' };
    expect((await call(AUTH_SERVICE, 'loginByWorkbench', body)).ok).toBe(true);
    expect(await call(AUTH_SERVICE, 'loginByWorkbench', body)).toEqual(refusal(400, 'AUTH_CODE_INVALID'));
    // The same code through the other entry point is just as spent.
    expect(await call(ACME_LOGIN, 'getLoginCode', { code: authCode, loginType: 'workbench' })).toEqual(refusal(400, 'AUTH_CODE_INVALID'));
  });

  test('a QR code works once, even with a fresh state', async () => {
    const member = t.corpA.users[1];
    const first = await freshState();
    const code = t.sim.mintQrCode(first.appKey, member.unionid);
    expect((await call(ACME_LOGIN, 'getLoginCode', { code, loginType: 'qr', state: first.state })).ok).toBe(true);
    const second = await freshState();
    expect(await call(ACME_LOGIN, 'getLoginCode', { code, loginType: 'qr', state: second.state })).toEqual(refusal(400, 'AUTH_CODE_INVALID'));
  });

  test('a state works once, and only for the login and the server that issued it', async () => {
    const member = t.corpA.users[2];
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
    const member = t.corpB.users[0];
    const started = await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: t.corpB.corpId, authCode: t.sim.mintWorkbenchCode(t.corpB.corpId, member.userid) });
    expect(started).toMatchObject({ ok: true, data: { status: 'BIND_REQUIRED', bindTicket: expect.any(String) } });
    const bindTicket = (started as { data: { bindTicket: string } }).data.bindTicket;

    const proof = { username: 'lin.local', password: 'correct horse battery staple' };
    expect(await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof: { ...proof, password: 'wrong' } })).toEqual(refusal(401, 'CREDENTIALS_INVALID'));
    const bound = await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof });
    expect(bound).toMatchObject({ ok: true, data: { status: 'LOGGED_IN', binding: 'existing' } });
    expect(await call(AUTH_SERVICE, 'completeBinding', { bindTicket, proof })).toEqual(refusal(400, 'BIND_TICKET_INVALID'));
  });

  test('a logged-out session is refused everywhere, by Bearer and by cookie', async () => {
    const login = await call(AUTH_SERVICE, 'loginByWorkbench', { corpId: t.corpA.corpId, authCode: t.sim.mintWorkbenchCode(t.corpA.corpId, t.corpA.users[3].userid) });
    const token = (login as { data: { token: string } }).data.token;
    const me = (headers: Record<string, string>) => fetch(`${t.host.url}/api/me`, { headers });
    expect((await me({ authorization: `Bearer ${token}` })).status).toBe(200);

    const logout = await fetch(`${t.host.url}/api/logout`, { method: 'POST', headers: { cookie: `jit_session=${token}` } });
    expect(((await logout.json()) as { data: { revoked: boolean } }).data.revoked).toBe(true);
    for (const headers of [{ authorization: `Bearer ${token}` }, { cookie: `jit_session=${token}` }] as Array<Record<string, string>>) {
      const res = await me(headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LOGIN_REQUIRED');
    }
    // Logging out again changes nothing and says so.
    const again = await fetch(`${t.host.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(((await again.json()) as { data: { revoked: boolean } }).data.revoked).toBe(false);
  });
});
