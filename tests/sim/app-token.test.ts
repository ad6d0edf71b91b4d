/** App (corp) access tokens: docs/dingtalk-facts.md §2 (v1.0 accessToken, legacy gettoken, lifetime, reuse). */
import { HOUR2_MS, appA, appB, appToken, corpA, http, topapi, userToken, wrapped } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();

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

  // §2b: 'Bad credentials: HTTP 200 with {"errcode":40096,"errmsg":"不合法的appKey或appSecret"}'
  it('answers bad credentials with HTTP 200 {errcode: 40096, errmsg: "不合法的appKey或appSecret"}', async () => {
    for (const query of [`appkey=${appA.appKey}&appsecret=wrong`, `appkey=dingunknown00000000&appsecret=${appA.appSecret}`]) {
      const res = await http(sim.oapiUrl, 'GET', `/gettoken?${query}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ errcode: 40096, errmsg: '不合法的appKey或appSecret' });
    }
  });

  // §2b: 'Missing appkey/appsecret: 40035 "缺少参数 corpid or appkey"'
  it('answers a missing appkey or appsecret with 40035 "缺少参数 corpid or appkey"', async () => {
    for (const query of [`appsecret=${appA.appSecret}`, `appkey=${appA.appKey}`, 'appkey=&appsecret=', '']) {
      const res = await http(sim.oapiUrl, 'GET', `/gettoken${query ? `?${query}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ errcode: 40035, errmsg: '缺少参数 corpid or appkey' });
    }
  });

  it('reads lowercase query names only (appKey= is no appkey)', async () => {
    const res = await http(sim.oapiUrl, 'GET', `/gettoken?appKey=${appA.appKey}&appSecret=${appA.appSecret}`);
    expect(res.body.errcode).toBe(40035);
  });
});

describe('token lifetime and revocation', () => {
  // §7c: '40014 不合法的access_token (most common, also for expired)', wrapped by the gateway (§7a).
  it('expires after 7200 s: topapi answers 88 / sub_code 40014, and the next fetch issues a new token', async () => {
    const token = await appToken(sim.apiUrl);
    sim.advanceClock(HOUR2_MS);
    const res = await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(wrapped('40014', '不合法的access_token'));
    const renewed = await appToken(sim.apiUrl);
    expect(renewed).not.toBe(token);
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', renewed, { userid: 'zhangsan' })).body.errcode).toBe(0);
  });

  it('revokeTokens makes every issued token unknown (88 / 40014) and the next fetch gives a new one', async () => {
    const token = await appToken(sim.apiUrl);
    sim.revokeTokens();
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' })).body).toEqual(wrapped('40014', '不合法的access_token'));
    expect(await appToken(sim.apiUrl)).not.toBe(token);
  });

  // §7a: 'bad token: {"errcode":88,"sub_code":"40014","sub_msg":"不合法的access_token",
  //        "errmsg":"ding talk error[subcode=40014,submsg=不合法的access_token]","request_id":"…"}'
  it('answers a bad token with exactly the gateway wrapper of §7a, over HTTP 200', async () => {
    const res = await topapi(sim.oapiUrl, '/topapi/v2/user/get', 'f'.repeat(32), { userid: 'zhangsan' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      errcode: 88,
      sub_code: '40014',
      sub_msg: '不合法的access_token',
      errmsg: 'ding talk error[subcode=40014,submsg=不合法的access_token]',
      request_id: expect.any(String),
    });
    expect(Object.keys(res.body)).toEqual(['errcode', 'sub_code', 'sub_msg', 'errmsg', 'request_id']);
  });

  // §7a: 'no token: {"errcode":88,"sub_code":"40000","sub_msg":"access_token is blank",…}'
  it('answers a missing or blank token with 88 / sub_code 40000 "access_token is blank"', async () => {
    const missing = await http(sim.oapiUrl, 'POST', '/topapi/v2/user/get', { json: { userid: 'zhangsan' } });
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual(wrapped('40000', 'access_token is blank'));
    const blank = await http(sim.oapiUrl, 'POST', '/topapi/v2/user/get?access_token=', { json: { userid: 'zhangsan' } });
    expect(blank.body).toEqual(wrapped('40000', 'access_token is blank'));
  });

  it('answers a user token at topapi as a bad app token (88 / 40014)', async () => {
    const code = sim.mintQrCode(appA.appKey, corpA.users[0].unionid);
    const user = (await userToken(sim.apiUrl, code)).body.accessToken;
    const res = await topapi(sim.oapiUrl, '/topapi/v2/user/get', user, { userid: 'zhangsan' });
    expect(res.body).toEqual(wrapped('40014', '不合法的access_token'));
  });
});
