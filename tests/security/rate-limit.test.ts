/**
 * The anonymous flood limit of a `jit serve` process, per client address, on the login entry
 * points. The old limit (60 per minute, successes counted) refused 350 people of one office
 * signing in at 9:00 behind one NAT address; the flood limit (`limits.floodPerAddress`, default
 * 3600 a minute) lets that rush through and still cuts off a flood with 429 RATE_LIMITED and a
 * Retry-After; every login entry point shares the budget; a forged X-Forwarded-For buys nothing
 * when no proxy is trusted; another address still gets in; and nothing refused reaches DingTalk.
 */
import { rawRequest, type RawResponse } from '../helpers/raw-http';
import { demoCorpA, demoCorpB } from '../helpers/demo-org';
import { ACME_LOGIN, PASSWORD_LOGIN, AUTH_SERVICE, useLoginApp, type LoginApp, functionPath, acmeAndGlobexApp } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';

jest.setTimeout(240_000);

const post = (t: LoginApp, path: string, json: unknown, options: { localAddress?: string; headers?: Record<string, string> } = {}) =>
  rawRequest(t.serve.url, { method: 'POST', path, headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(json), localAddress: options.localAddress });

describe('the 9:00 rush: one office behind one address, default limits', () => {
  const sim = useSimulator({ seed: 5 });
  const t = useLoginApp({ sim, app: acmeAndGlobexApp(demoCorpA, demoCorpB), tap: true, host: 'process' });

  test('400 people signing in from one address (workbench logins, 8 at a time) are all let in', async () => {
    const members = demoCorpA.users.filter((u) => u.active !== false);
    const PEOPLE = 400;
    const statuses: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < PEOPLE) {
        const i = next++;
        const member = members[i % members.length];
        const res = await post(t, functionPath(AUTH_SERVICE, 'loginByWorkbench'), { corpId: demoCorpA.corpId, authCode: t.sim.mintWorkbenchCode(demoCorpA.corpId, member.userid) });
        statuses.push(res.status);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(statuses).toHaveLength(PEOPLE);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });
});

describe('a flood from one address (--flood-per-address 50, no proxy trusted)', () => {
  const LIMIT = 50;
  const sim = useSimulator({ seed: 5 });
  const t = useLoginApp({ sim, app: acmeAndGlobexApp(demoCorpA, demoCorpB), tap: true, host: 'process', serveArgs: ['--flood-per-address', String(LIMIT)] });

  test('past the limit: 429 with Retry-After; other entry points share it; a forged X-Forwarded-For does not help; another address gets in', async () => {
    const config = functionPath(ACME_LOGIN, 'getLoginConfig');
    let allowed = 0;
    let refused: RawResponse | null = null;
    for (let i = 0; i < LIMIT * 3 && !refused; i++) {
      const res = await post(t, config, {});
      if (res.status === 200) allowed += 1;
      else refused = res;
    }
    // A window may turn over during the burst on a slow machine: at least the limit got through.
    expect(allowed).toBeGreaterThanOrEqual(LIMIT);
    expect(refused).not.toBeNull();
    expect(refused!.status).toBe(429);
    expect(refused!.json).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    const retryAfter = Number(refused!.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // The same address, the other login entry points; a refused attempt never reaches DingTalk.
    const { appKey } = demoCorpA.apps[0];
    const member = demoCorpA.users[0];
    const others = [
      () => post(t, functionPath(ACME_LOGIN, 'getLoginCode'), { code: t.sim.mintQrCode(appKey, member.unionid), loginType: 'qr', state: 'x' }),
      () => post(t, functionPath(AUTH_SERVICE, 'loginByWorkbench'), { corpId: demoCorpA.corpId, authCode: t.sim.mintWorkbenchCode(demoCorpA.corpId, member.userid) }),
      () => post(t, functionPath(AUTH_SERVICE, 'completeBinding'), { bindTicket: 'x', proof: { username: 'a', password: 'b' } }),
      () => post(t, functionPath(PASSWORD_LOGIN, 'login'), { username: 'admin', password: 'guess' }),
      () => rawRequest(t.serve.url, { method: 'GET', path: `/login/callback/${ACME_LOGIN}?authCode=abc&state=abc`, headers: { accept: 'text/html' } }),
    ];
    for (const send of others) {
      const callsBefore = t.tap.records().length;
      const res = await send();
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(t.tap.records().length).toBe(callsBefore);
    }

    // A forged X-Forwarded-For from the same socket: no proxy is trusted, so it is the same client.
    for (let i = 0; i < 5; i++) expect((await post(t, config, {}, { headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } })).status).toBe(429);

    // Another client address is not affected (127.0.0.2 reaches the loopback listener on Linux).
    expect((await post(t, config, {}, { localAddress: '127.0.0.2' })).status).toBe(200);

    // What is not a login entry point is not limited.
    expect((await rawRequest(t.serve.url, { method: 'GET', path: '/healthz' })).status).toBe(200);
    expect((await rawRequest(t.serve.url, { method: 'GET', path: '/api/me' })).status).toBe(401);
  });
});
