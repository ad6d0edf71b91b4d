/** The admin HTTP surface (/__sim/) and its typed client, connectSimulator. */
import { connectSimulator, startSimulator, type SimulatorClient, type SimulatorHandle } from '../../sim';
import { appA, appToken, corpA, corpB, http, memberOf, outsider, topapi, userToken } from './helpers';

let sim: SimulatorHandle;
let client: SimulatorClient;
beforeAll(async () => {
  sim = await startSimulator();
  client = await connectSimulator(sim.url + '/');
});
afterAll(() => sim.close());

describe('admin HTTP routes', () => {
  it('POST /__sim/codes/workbench mints a code getuserinfo accepts', async () => {
    const res = await http(sim.url, 'POST', '/__sim/codes/workbench', { json: { corpId: corpA.corpId, userid: 'lisi' } });
    expect(res.status).toBe(200);
    const info = await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', await appToken(sim.apiUrl), { code: res.body.code });
    expect(info.body.result.userid).toBe('lisi');
  });

  it('POST /__sim/codes/qr mints an authCode, with corpId only when asked', async () => {
    const zhangsan = memberOf(corpA, 'zhangsan');
    const withCorp = await http(sim.url, 'POST', '/__sim/codes/qr', { json: { appKey: appA.appKey, unionid: zhangsan.unionid, corpId: corpA.corpId } });
    expect((await userToken(sim.apiUrl, withCorp.body.authCode)).body.corpId).toBe(corpA.corpId);
    const without = await http(sim.url, 'POST', '/__sim/codes/qr', { json: { appKey: appA.appKey, unionid: zhangsan.unionid } });
    expect((await userToken(sim.apiUrl, without.body.authCode)).body).not.toHaveProperty('corpId');
  });

  it('answers bad input with 400 and a message, unknown routes with 404', async () => {
    const res = await http(sim.url, 'POST', '/__sim/codes/workbench', { json: { corpId: corpA.corpId } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/userid/);
    expect((await http(sim.url, 'POST', '/__sim/codes/qr', { json: { appKey: 'dingnope', unionid: 'x' } })).status).toBe(400);
    expect((await http(sim.url, 'POST', '/__sim/faults', { json: { kind: 'explode' } })).status).toBe(400);
    expect((await http(sim.url, 'POST', '/__sim/faults', { raw: '{oops', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await http(sim.url, 'GET', '/__sim/nothing')).status).toBe(404);
  });

  it('GET /__sim/org lists members and outsiders without secrets', async () => {
    const res = await http(sim.url, 'GET', '/__sim/org');
    expect(res.status).toBe(200);
    expect(res.body.members).toContainEqual({ corpId: corpA.corpId, userid: 'zhangsan', unionid: memberOf(corpA, 'zhangsan').unionid, name: '张三', mobile: '13800138001' });
    expect(res.body.members.filter((m: { corpId: string }) => m.corpId === corpB.corpId)).toHaveLength(corpB.users.length);
    expect(res.body.outsiders).toContainEqual({ unionid: outsider.unionid, name: outsider.name });
    expect(res.text).not.toContain(appA.appSecret);
    expect(res.text).not.toContain(corpB.apps[0].appSecret);
  });

  it('sends CORS * and answers preflight', async () => {
    const res = await http(sim.url, 'GET', '/__sim/counters');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${sim.url}/__sim/codes/workbench`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
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
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' })).body.errcode).toBe(90018);
    await client.injectFault({ kind: 'busy' });
    await client.clearFaults();
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' })).body.errcode).toBe(0);

    expect(await client.counters()).toMatchObject({ 'topapi/v2/user/getuserinfo': 1, 'oauth2/userAccessToken': 1, 'topapi/v2/user/get': 2 });
    await client.resetCounters();
    expect((await client.counters())['topapi/v2/user/get']).toBe(0);

    await client.advanceClock(7200 * 1000);
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' })).body.errcode).toBe(42001);
    const fresh = await appToken(sim.apiUrl);
    await client.revokeTokens();
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', fresh, { userid: 'zhangsan' })).body.errcode).toBe(40014);

    const org = await client.org();
    expect(org.corps.map((c) => c.corpId)).toEqual([corpA.corpId, corpB.corpId]);
  });

  it('turns an admin error into an Error with the simulator\'s message', async () => {
    await expect(client.mintWorkbenchCode(corpA.corpId, 'nobody')).rejects.toThrow(/no member "nobody"/);
    await expect(client.advanceClock(-5)).rejects.toThrow(/ms/);
  });

  it('rejects clearly when nothing listens at the URL', async () => {
    const gone = await startSimulator();
    const url = gone.url;
    await gone.close();
    await expect(connectSimulator(url)).rejects.toThrow(/no DingTalk simulator answers/);
  });
});
