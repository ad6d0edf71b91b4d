/**
 * The login rate limit of a `jit serve` process with its defaults (60 attempts per client address,
 * refilled over a minute; no proxy trusted): a burst from one address is cut off with 429
 * RATE_LIMITED and a Retry-After; the limit is shared by every login entry point (the functions and
 * the redirect callback); a forged X-Forwarded-For does not buy a fresh budget; another address
 * still gets in; and nothing limited reaches DingTalk.
 */
import { AUTH_SERVICE, functionPath, PASSWORD_LOGIN } from '../reliability/support/login-app';
import { rawRequest, type RawResponse } from './support/raw-http';
import { ACME_LOGIN, startSecurityHost, type SecurityHost } from './support/security-host';

jest.setTimeout(120_000);

const DEFAULT_LIMIT = 60;

describe('login attempts are limited per client address', () => {
  let t: SecurityHost;

  beforeAll(async () => {
    t = await startSecurityHost({ trustProxy: false });
  });
  afterAll(() => t?.close());

  const post = (path: string, json: unknown, options: { localAddress?: string; headers?: Record<string, string> } = {}) =>
    rawRequest(t.host.url, { method: 'POST', path, headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(json), localAddress: options.localAddress });

  test('a burst from one address gets 429 with Retry-After; other entry points share the limit; a forged X-Forwarded-For does not help', async () => {
    const config = functionPath(ACME_LOGIN, 'getLoginConfig');
    let allowed = 0;
    let refused: RawResponse | null = null;
    // Until the first refusal (the bucket refills one attempt a second, so a few may slip in).
    for (let i = 0; i < DEFAULT_LIMIT * 3 && !refused; i++) {
      const res = await post(config, {});
      if (res.status === 200) allowed += 1;
      else refused = res;
    }
    expect(allowed).toBeGreaterThanOrEqual(DEFAULT_LIMIT);
    expect(refused).not.toBeNull();
    expect(refused!.status).toBe(429);
    expect(refused!.json).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    const retryAfter = Number(refused!.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // The same address, other login entry points. The bucket refills one attempt a second, so on a
    // slow machine an attempt may slip through; each entry point must be refused within a few tries,
    // and a refused attempt must not have reached DingTalk.
    const refusedWithin = async (send: () => Promise<RawResponse>): Promise<RawResponse | null> => {
      for (let i = 0; i < 10; i++) {
        const callsBefore = t.tap.records().length;
        const res = await send();
        if (res.status === 429) {
          expect(t.tap.records().length).toBe(callsBefore);
          return res;
        }
      }
      return null;
    };
    const { appKey } = t.corpA.apps[0];
    const member = t.corpA.users[0];
    const others = [
      () => post(functionPath(ACME_LOGIN, 'getLoginCode'), { code: t.sim.mintQrCode(appKey, member.unionid), loginType: 'qr', state: 'x' }),
      () => post(functionPath(AUTH_SERVICE, 'loginByWorkbench'), { corpId: t.corpA.corpId, authCode: t.sim.mintWorkbenchCode(t.corpA.corpId, member.userid) }),
      () => post(functionPath(AUTH_SERVICE, 'completeBinding'), { bindTicket: 'x', proof: { username: 'a', password: 'b' } }),
      () => post(functionPath(PASSWORD_LOGIN, 'login'), { username: 'admin', password: 'guess' }),
      () => rawRequest(t.host.url, { method: 'GET', path: `/login/callback/${ACME_LOGIN}?authCode=abc&state=abc`, headers: { accept: 'text/html' } }),
    ];
    for (const send of others) {
      const res = await refusedWithin(send);
      expect(res?.status).toBe(429);
      expect(Number(res!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }

    // A forged X-Forwarded-For from the same socket address: the host trusts no proxy by default,
    // so these share the exhausted budget (were the header trusted, every one would get in).
    const forged: number[] = [];
    for (let i = 0; i < 10; i++) forged.push((await post(config, {}, { headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } })).status);
    expect(forged.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);

    // Another client address is not affected (127.0.0.2 reaches the loopback listener on Linux).
    expect((await post(config, {}, { localAddress: '127.0.0.2' })).status).toBe(200);

    // What is not a login attempt is not limited.
    expect((await rawRequest(t.host.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect((await rawRequest(t.host.url, { method: 'GET', path: '/api/me' })).status).toBe(401);
  });
});
