/**
 * QR / OAuth login: docs/dingtalk-facts.md §3c (userAccessToken), §3d (users/me), §3e (getbyunionid).
 */
import { MIN5_MS, appA, appB, appToken, corpA, corpB, http, memberOf, outsider, topapi, userToken } from './helpers';
import { useSimulator } from '../helpers/simulator';

// Needs no throttle: tests the QR exchange; its 20-odd token exchanges within a second sit at the limit itself.
const sim = useSimulator({ qps: 'off' });

const zhangsan = memberOf(corpA, 'zhangsan');

function me(token: string) {
  return http(sim.apiUrl, 'GET', '/v1.0/contact/users/me', { headers: { 'x-acs-dingtalk-access-token': token } });
}

describe('POST /v1.0/oauth2/userAccessToken', () => {
  it('exchanges a code minted with a corpId for {accessToken, refreshToken, expireIn, corpId}', async () => {
    const code = sim.mintQrCode(appA.appKey, zhangsan.unionid, { corpId: corpA.corpId });
    const res = await userToken(sim.apiUrl, code);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expireIn: 7200, corpId: corpA.corpId });
  });

  it('omits corpId when the code was minted without one (scope openid)', async () => {
    const res = await userToken(sim.apiUrl, sim.mintQrCode(appA.appKey, zhangsan.unionid));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expireIn', 'refreshToken']);
  });

  it('accepts a code once: the second exchange is 400 invalidCode', async () => {
    const code = sim.mintQrCode(appA.appKey, zhangsan.unionid);
    expect((await userToken(sim.apiUrl, code)).status).toBe(200);
    const again = await userToken(sim.apiUrl, code);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: 'invalidCode', message: expect.any(String), requestid: expect.any(String) });
  });

  it('expires a code after 5 minutes', async () => {
    const fresh = sim.mintQrCode(appA.appKey, zhangsan.unionid);
    const stale = sim.mintQrCode(appA.appKey, zhangsan.unionid);
    sim.advanceClock(MIN5_MS - 1000);
    expect((await userToken(sim.apiUrl, fresh)).status).toBe(200);
    sim.advanceClock(1000);
    expect((await userToken(sim.apiUrl, stale)).body.code).toBe('invalidCode');
  });

  it('refuses an unknown code and a code minted for another app', async () => {
    expect((await userToken(sim.apiUrl, 'nope')).body.code).toBe('invalidCode');
    const forB = sim.mintQrCode(appB.appKey, zhangsan.unionid);
    expect((await userToken(sim.apiUrl, forB, appA)).body.code).toBe('invalidCode');
  });

  it('checks the client credentials before the code', async () => {
    const code = sim.mintQrCode(appA.appKey, zhangsan.unionid);
    const res = await http(sim.apiUrl, 'POST', '/v1.0/oauth2/userAccessToken', {
      json: { clientId: appA.appKey, clientSecret: 'wrong', code, grantType: 'authorization_code' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalidClientIdOrSecret');
  });

  it('wants a JSON body', async () => {
    const res = await http(sim.apiUrl, 'POST', '/v1.0/oauth2/userAccessToken', {
      form: { clientId: appA.appKey, clientSecret: appA.appSecret, code: 'x', grantType: 'authorization_code' },
    });
    expect(res.body.code).toBe('Missingbody');
  });

  it('renews a user token with grantType refresh_token (single use)', async () => {
    const first = (await userToken(sim.apiUrl, sim.mintQrCode(appA.appKey, zhangsan.unionid))).body;
    const body = { clientId: appA.appKey, clientSecret: appA.appSecret, refreshToken: first.refreshToken, grantType: 'refresh_token' };
    const renewed = await http(sim.apiUrl, 'POST', '/v1.0/oauth2/userAccessToken', { json: body });
    expect(renewed.status).toBe(200);
    expect(renewed.body.accessToken).not.toBe(first.accessToken);
    expect((await me(renewed.body.accessToken)).body.unionId).toBe(zhangsan.unionid);
    expect((await http(sim.apiUrl, 'POST', '/v1.0/oauth2/userAccessToken', { json: body })).status).toBe(400);
  });
});

describe('GET /v1.0/contact/users/me', () => {
  it('returns the person in camelCase, with a personal email that is not the org email', async () => {
    const token = (await userToken(sim.apiUrl, sim.mintQrCode(appA.appKey, zhangsan.unionid))).body.accessToken;
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      nick: zhangsan.name,
      unionId: zhangsan.unionid,
      openId: expect.any(String),
      mobile: zhangsan.mobile,
      stateCode: '86',
      email: expect.any(String),
    });
    expect(res.body.email).not.toBe(zhangsan.email);
    expect(res.body.email).not.toBe(zhangsan.org_email);
  });

  it('gives an openId stable per app and person, different across apps and people', async () => {
    const openId = async (app: typeof appA, unionid: string) =>
      (await me((await userToken(sim.apiUrl, sim.mintQrCode(app.appKey, unionid), app)).body.accessToken)).body.openId;
    const lisi = memberOf(corpA, 'lisi');
    const a1 = await openId(appA, zhangsan.unionid);
    expect(await openId(appA, zhangsan.unionid)).toBe(a1);
    expect(await openId(appB, zhangsan.unionid)).not.toBe(a1);
    expect(await openId(appA, lisi.unionid)).not.toBe(a1);
  });

  it('knows outsiders too (a DingTalk account in no corp)', async () => {
    const token = (await userToken(sim.apiUrl, sim.mintQrCode(appA.appKey, outsider.unionid))).body.accessToken;
    expect((await me(token)).body).toMatchObject({ nick: outsider.name, unionId: outsider.unionid });
  });

  // Issue #18 item 4: a v1.0 call without the header answers 400 AuthenticationFailed.MissingParameter.
  it('answers a call without the x-acs-dingtalk-access-token header with 400 AuthenticationFailed.MissingParameter', async () => {
    const res = await http(sim.apiUrl, 'GET', '/v1.0/contact/users/me');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'AuthenticationFailed.MissingParameter', message: '缺少参数：x-acs-dingtalk-access-token', requestid: expect.any(String) });
    expect(res.headers.get('x-acs-request-id')).toBe(res.body.requestid);
  });

  // §7b: '[400] {"code":"InvalidAuthentication","requestid":"…","message":"不合法的access_token"}'
  it('answers an invalid, expired or revoked user token with 400 InvalidAuthentication', async () => {
    expect((await me('not-a-token')).body).toEqual({ code: 'InvalidAuthentication', message: '不合法的access_token', requestid: expect.any(String) });
    expect((await me('')).body.code).toBe('InvalidAuthentication');
    expect((await me('not-a-token')).body.code).toBe('InvalidAuthentication');
    expect((await me(JSON.stringify('quoted'))).status).toBe(400);
    const token = (await userToken(sim.apiUrl, sim.mintQrCode(appA.appKey, zhangsan.unionid))).body.accessToken;
    sim.advanceClock(7200 * 1000);
    const expired = await me(token);
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('InvalidAuthentication');
    const another = (await userToken(sim.apiUrl, sim.mintQrCode(appA.appKey, zhangsan.unionid))).body.accessToken;
    sim.revokeTokens();
    expect((await me(another)).body.code).toBe('InvalidAuthentication');
  });

  it('answers an app token with 403 Forbidden.AccessDenied.AccessTokenPermissionDenied', async () => {
    const res = await me(await appToken(sim.apiUrl));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
    expect(res.headers.get('x-acs-request-id')).toBeTruthy();
  });
});

describe('POST topapi/user/getbyunionid', () => {
  it('maps a member unionid to {contact_type: 0, userid}', async () => {
    const res = await topapi(sim.oapiUrl, '/topapi/user/getbyunionid', await appToken(sim.apiUrl), { unionid: zhangsan.unionid });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ errcode: 0, errmsg: 'ok', result: { contact_type: 0, userid: 'zhangsan' }, request_id: expect.any(String) });
  });

  it('answers 60121 for an outsider and for a member of another corp', async () => {
    const token = await appToken(sim.apiUrl);
    expect((await topapi(sim.oapiUrl, '/topapi/user/getbyunionid', token, { unionid: outsider.unionid })).body.errcode).toBe(60121);
    const sunqi = memberOf(corpB, 'sunqi');
    expect((await topapi(sim.oapiUrl, '/topapi/user/getbyunionid', token, { unionid: sunqi.unionid })).body.errcode).toBe(60121);
    const tokenB = await appToken(sim.apiUrl, appB);
    expect((await topapi(sim.oapiUrl, '/topapi/user/getbyunionid', tokenB, { unionid: sunqi.unionid })).body.result.userid).toBe('sunqi');
  });

  it('accepts a form-urlencoded body', async () => {
    const res = await topapi(sim.oapiUrl, '/topapi/user/getbyunionid', await appToken(sim.apiUrl), { unionid: zhangsan.unionid }, 'form');
    expect(res.body.result.userid).toBe('zhangsan');
  });
});
