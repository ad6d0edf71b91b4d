/**
 * The admin HTTP surface (/__sim/) and its typed client, connectSimulator. The admin routes mint codes
 * and edit the org, so they answer only a caller with the simulator's admin token or a same-origin
 * request, and never send a CORS header (issue #20 item 8).
 */
import * as http1 from 'node:http';
import { connectSimulator, startSimulator, type SimulatorClient } from '../../sim';
import { admin, appA, appToken, corpA, corpB, http, memberOf, outsider, topapi, userToken, wrapped } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();
let client: SimulatorClient;
beforeAll(async () => {
  client = await connectSimulator(sim.url + '/', { token: sim.adminToken });
});

/** A raw request, so a test can send the Host header a DNS-rebinding page would. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http1.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http1.request(sim.url + path, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('who may call the admin routes', () => {
  const simOrigin = () => new URL(sim.url).origin;

  it('refuses a cross-origin page: a form post that would remove a member changes nothing, with no CORS header', async () => {
    // What any web page open in the developer's browser could send: a simple (unpreflighted) form post.
    const res = await raw('POST', '/__sim/members/remove', {
      host: new URL(sim.url).host,
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
      'content-type': 'application/x-www-form-urlencoded',
    }, new URLSearchParams({ corpId: corpA.corpId, userid: 'lisi' }).toString());
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(res.text).error.message).toMatch(/admin token/);
    const still = await topapi(sim.oapiUrl, '/topapi/v2/user/get', await appToken(sim.apiUrl), { userid: 'lisi' });
    expect(still.body.errcode).toBe(0);
  });

  it('answers no CORS preflight: a cross-origin fetch with JSON never gets to send', async () => {
    const preflight = await http(sim.url, 'OPTIONS', '/__sim/codes/workbench', {
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('refuses a caller with no token or a wrong one', async () => {
    expect((await http(sim.url, 'GET', '/__sim/counters')).status).toBe(403);
    expect((await http(sim.url, 'POST', '/__sim/codes/workbench', { json: { corpId: corpA.corpId, userid: 'lisi' } })).status).toBe(403);
    const wrong = await http(sim.url, 'GET', '/__sim/org', { headers: { authorization: `Bearer ${'x'.repeat(32)}` } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/wrong/);
  });

  it('refuses a DNS-rebinding page (its own origin, but not the simulator\'s host name)', async () => {
    const port = new URL(sim.url).port;
    const res = await raw('POST', '/__sim/codes/workbench', {
      host: `evil.example:${port}`,
      origin: `http://evil.example:${port}`,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
    }, JSON.stringify({ corpId: corpA.corpId, userid: 'lisi' }));
    expect(res.status).toBe(403);
  });

  it('answers a same-origin request and the developer typing the URL, without a token', async () => {
    const sameOrigin = await raw('POST', '/__sim/codes/workbench', {
      host: new URL(sim.url).host,
      origin: simOrigin(),
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
    }, JSON.stringify({ corpId: corpA.corpId, userid: 'lisi' }));
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers['access-control-allow-origin']).toBeUndefined();
    const typed = await raw('GET', '/__sim/org', { host: new URL(sim.url).host, 'sec-fetch-site': 'none' });
    expect(typed.status).toBe(200);
    const typedPost = await raw('POST', '/__sim/tokens/revoke', { host: new URL(sim.url).host, 'sec-fetch-site': 'none', 'content-type': 'application/json' }, '{}');
    expect(typedPost.status).toBe(403);
  });

  it('takes JIT_SIM_ADMIN_TOKEN as its token when given none (jit serve --sim and a script share it)', async () => {
    const before = process.env.JIT_SIM_ADMIN_TOKEN;
    process.env.JIT_SIM_ADMIN_TOKEN = 'shared-by-both-processes-0001';
    try {
      const shared = await startSimulator();
      try {
        expect(shared.adminToken).toBe('shared-by-both-processes-0001');
        expect((await (await connectSimulator(shared.url)).counters())['gettoken']).toBe(0);
      } finally {
        await shared.close();
      }
    } finally {
      if (before === undefined) delete process.env.JIT_SIM_ADMIN_TOKEN;
      else process.env.JIT_SIM_ADMIN_TOKEN = before;
    }
  });

  it('takes a fixed admin token given at start, and refuses one too short to be a secret', async () => {
    const fixed = await startSimulator({ adminToken: 'a-fixed-token-of-enough-length' });
    try {
      expect(fixed.adminToken).toBe('a-fixed-token-of-enough-length');
      expect((await admin(fixed, 'GET', '/__sim/counters')).status).toBe(200);
    } finally {
      await fixed.close();
    }
    await expect(startSimulator({ adminToken: 'short' })).rejects.toThrow(/adminToken/);
  });
});

describe('admin HTTP routes', () => {
  it('POST /__sim/codes/workbench mints a code getuserinfo accepts', async () => {
    const res = await admin(sim, 'POST', '/__sim/codes/workbench', { json: { corpId: corpA.corpId, userid: 'lisi' } });
    expect(res.status).toBe(200);
    const info = await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', await appToken(sim.apiUrl), { code: res.body.code });
    expect(info.body.result.userid).toBe('lisi');
  });

  it('POST /__sim/codes/qr mints an authCode, with corpId only when asked', async () => {
    const zhangsan = memberOf(corpA, 'zhangsan');
    const withCorp = await admin(sim, 'POST', '/__sim/codes/qr', { json: { appKey: appA.appKey, unionid: zhangsan.unionid, corpId: corpA.corpId } });
    expect((await userToken(sim.apiUrl, withCorp.body.authCode)).body.corpId).toBe(corpA.corpId);
    const without = await admin(sim, 'POST', '/__sim/codes/qr', { json: { appKey: appA.appKey, unionid: zhangsan.unionid } });
    expect((await userToken(sim.apiUrl, without.body.authCode)).body).not.toHaveProperty('corpId');
  });

  it('answers bad input with 400 and a message, unknown routes with 404', async () => {
    const res = await admin(sim, 'POST', '/__sim/codes/workbench', { json: { corpId: corpA.corpId } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/userid/);
    expect((await admin(sim, 'POST', '/__sim/codes/qr', { json: { appKey: 'dingnope', unionid: 'x' } })).status).toBe(400);
    expect((await admin(sim, 'POST', '/__sim/faults', { json: { kind: 'explode' } })).status).toBe(400);
    expect((await admin(sim, 'POST', '/__sim/faults', { raw: '{oops', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await admin(sim, 'GET', '/__sim/nothing')).status).toBe(404);
  });

  it('GET /__sim/org lists members and outsiders without secrets', async () => {
    const res = await admin(sim, 'GET', '/__sim/org');
    expect(res.status).toBe(200);
    expect(res.body.members).toContainEqual({ corpId: corpA.corpId, userid: 'zhangsan', unionid: memberOf(corpA, 'zhangsan').unionid, name: '张三', mobile: '13800138001' });
    expect(res.body.members.filter((m: { corpId: string }) => m.corpId === corpB.corpId)).toHaveLength(corpB.users.length);
    expect(res.body.outsiders).toContainEqual({ unionid: outsider.unionid, name: outsider.name });
    expect(res.text).not.toContain(appA.appSecret);
    expect(res.text).not.toContain(corpB.apps[0].appSecret);
  });

  it('never sends a CORS header, even to a caller with the token', async () => {
    const res = await admin(sim, 'GET', '/__sim/counters', { headers: { origin: 'http://localhost:3000' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('connectSimulator', () => {
  it('mints codes, drives faults, counters, clock and revocation like the handle', async () => {
    expect(client.url).toBe(sim.url);
    expect([client.oapiUrl, client.apiUrl, client.loginUrl]).toEqual([sim.url, sim.url, sim.url]);
    await client.resetCounters();
    const token = await appToken(sim.apiUrl);

    const code = await client.mintWorkbenchCode(corpA.corpId, 'wangwu');
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', token, { code })).body.result.userid).toBe('wangwu');
    const authCode = await client.mintQrCode(appA.appKey, memberOf(corpA, 'wangwu').unionid, { corpId: corpA.corpId });
    expect((await userToken(sim.apiUrl, authCode)).body.corpId).toBe(corpA.corpId);

    await client.injectFault({ kind: 'qps', count: 1, endpoints: ['topapi/v2/user/get'] });
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' })).body).toEqual(wrapped('90018'));
    await client.injectFault({ kind: 'busy' });
    await client.clearFaults();
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' })).body.errcode).toBe(0);

    expect(await client.counters()).toMatchObject({ 'topapi/v2/user/getuserinfo': 1, 'oauth2/userAccessToken': 1, 'topapi/v2/user/get': 2 });
    await client.resetCounters();
    expect((await client.counters())['topapi/v2/user/get']).toBe(0);

    await client.advanceClock(7200 * 1000);
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' })).body.sub_code).toBe('40014');
    const fresh = await appToken(sim.apiUrl);
    await client.revokeTokens();
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', fresh, { userid: 'zhangsan' })).body.sub_code).toBe('40014');

    const rates = await client.callRates();
    expect(rates.qps).toBe(20);
    expect(rates.peakPerSecond['topapi/v2/user/get']).toBeGreaterThanOrEqual(1);

    const org = await client.org();
    expect(org.corps.map((c) => c.corpId)).toEqual([corpA.corpId, corpB.corpId]);
  });

  it('turns an admin error into an Error with the simulator\'s message', async () => {
    await expect(client.mintWorkbenchCode(corpA.corpId, 'nobody')).rejects.toThrow(/no member "nobody"/);
    await expect(client.advanceClock(-5)).rejects.toThrow(/ms/);
  });

  it('rejects clearly without the admin token or with a wrong one', async () => {
    const before = process.env.JIT_SIM_ADMIN_TOKEN;
    delete process.env.JIT_SIM_ADMIN_TOKEN;
    try {
      await expect(connectSimulator(sim.url)).rejects.toThrow(/admin token/);
    } finally {
      if (before !== undefined) process.env.JIT_SIM_ADMIN_TOKEN = before;
    }
    await expect(connectSimulator(sim.url, { token: 'y'.repeat(32) })).rejects.toThrow(/admin token is wrong/);
  });

  it('reads the token from JIT_SIM_ADMIN_TOKEN when not given one', async () => {
    const before = process.env.JIT_SIM_ADMIN_TOKEN;
    process.env.JIT_SIM_ADMIN_TOKEN = sim.adminToken;
    try {
      expect((await (await connectSimulator(sim.url)).org()).corps).toHaveLength(2);
    } finally {
      if (before === undefined) delete process.env.JIT_SIM_ADMIN_TOKEN;
      else process.env.JIT_SIM_ADMIN_TOKEN = before;
    }
  });

  it('rejects clearly when nothing listens at the URL', async () => {
    const gone = await startSimulator();
    const url = gone.url;
    await gone.close();
    await expect(connectSimulator(url)).rejects.toThrow(/no DingTalk simulator answers/);
  });
});
