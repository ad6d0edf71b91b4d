/** App (corp) access tokens: dingtalk-api.md §2 (v1.0 accessToken, legacy gettoken, lifetime, reuse). */
import { startSimulator, type SimulatorHandle } from '../../sim';
import { HOUR2_MS, appA, appB, appToken, http, topapi } from './helpers';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe('POST /v1.0/oauth2/accessToken', () => {
  it('returns {accessToken, expireIn: 7200} in camelCase and no code field', async () => {
    const res = await http(sim.apiUrl, 'POST', '/v1.0/oauth2/accessToken', { json: { appKey: appA.appKey, appSecret: appA.appSecret } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expireIn']);
    expect(res.body.accessToken).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.expireIn).toBe(7200);
  });

  it('answers a bad secret with 400 invalidClientIdOrSecret {code, message, requestid} and x-acs-request-id', async () => {
    const res = await http(sim.apiUrl, 'POST', '/v1.0/oauth2/accessToken', { json: { appKey: appA.appKey, appSecret: appB.appSecret } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalidClientIdOrSecret', message: expect.any(String), requestid: expect.any(String) });
    expect(res.headers.get('x-acs-request-id')).toBe(res.body.requestid);
  });

  it('refuses a form-encoded body with 400 Missingbody', async () => {
    const res = await http(sim.apiUrl, 'POST', '/v1.0/oauth2/accessToken', { form: { appKey: appA.appKey, appSecret: appA.appSecret } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('Missingbody');
  });

  it('names a missing field the gateway way (Missing<field>)', async () => {
    const res = await http(sim.apiUrl, 'POST', '/v1.0/oauth2/accessToken', { json: { appKey: appA.appKey } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MissingappSecret');
  });

  it('returns the same token while it is valid, and one token per app', async () => {
    const first = await appToken(sim.apiUrl);
    sim.advanceClock(HOUR2_MS - 60_000);
    const second = await appToken(sim.apiUrl);
    expect(second).toBe(first);
    // Re-fetching renewed its life: 7200 s after the first fetch it still works.
    sim.advanceClock(120_000);
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', first, { userid: 'zhangsan' })).body.errcode).toBe(0);
    expect(await appToken(sim.apiUrl, appB)).not.toBe(first);
  });
});

describe('GET /gettoken', () => {
  it('returns {errcode:0, errmsg:"ok", access_token, expires_in:7200}, the same token as v1.0', async () => {
    const v1 = await appToken(sim.apiUrl);
    const res = await http(sim.oapiUrl, 'GET', `/gettoken?appkey=${appA.appKey}&appsecret=${appA.appSecret}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ errcode: 0, errmsg: 'ok', access_token: v1, expires_in: 7200 });
  });

  it('answers bad credentials with HTTP 200 errcode 40089', async () => {
    const res = await http(sim.oapiUrl, 'GET', `/gettoken?appkey=${appA.appKey}&appsecret=wrong`);
    expect(res.status).toBe(200);
    expect(res.body.errcode).toBe(40089);
    expect(res.body.errmsg).toEqual(expect.any(String));
  });

  it('reads lowercase query names only', async () => {
    const res = await http(sim.oapiUrl, 'GET', `/gettoken?appKey=${appA.appKey}&appSecret=${appA.appSecret}`);
    expect(res.body.errcode).toBe(40089);
  });
});

describe('token lifetime and revocation', () => {
  it('expires after 7200 s: topapi answers 42001, and the next fetch issues a new token', async () => {
    const token = await appToken(sim.apiUrl);
    sim.advanceClock(HOUR2_MS);
    const res = await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ errcode: 42001, errmsg: expect.any(String), request_id: expect.any(String) });
    const renewed = await appToken(sim.apiUrl);
    expect(renewed).not.toBe(token);
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', renewed, { userid: 'zhangsan' })).body.errcode).toBe(0);
  });

  it('revokeTokens makes every issued token unknown (40014) and the next fetch gives a new one', async () => {
    const token = await appToken(sim.apiUrl);
    sim.revokeTokens();
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' })).body.errcode).toBe(40014);
    expect(await appToken(sim.apiUrl)).not.toBe(token);
  });

  it('answers an unknown or missing token with 40014', async () => {
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', 'f'.repeat(32), { userid: 'zhangsan' })).body.errcode).toBe(40014);
    const res = await http(sim.oapiUrl, 'POST', '/topapi/v2/user/get', { json: { userid: 'zhangsan' } });
    expect(res.body.errcode).toBe(40014);
  });
});
