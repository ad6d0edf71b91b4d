/**
 * App permissions (docs/dingtalk-facts.md §10): oapi 60011 in the gateway's errcode-88 wrapper ("the same
 * wrapper carries other sub_codes: ... 60011 (no permission, sub_msg lists the required scopes)", §7a)
 * / v1.0 403 AccessTokenPermissionDenied naming the code.
 */
import { startSimulator } from '../../sim';
import type { SimOrg } from '../../sim/types';
import { appToken, corpA, demo, http, memberOf, topapi, userToken, wrapped } from './helpers';
import { useSimulator } from '../helpers/simulator';

/** The demo org with corp A's app granted only what a QR login needs up to the token exchange. */
function orgWithPermissions(permissions: string[]): SimOrg {
  const org: SimOrg = JSON.parse(JSON.stringify(demo));
  org.corps[0].apps[0].permissions = permissions;
  return org;
}

const sim = useSimulator({ org: orgWithPermissions(['qyapi_base', 'open_app_api_base']) });
const app = corpA.apps[0];

it('answers a topapi call needing a missing permission with 88 / sub_code 60011 naming the permission code', async () => {
  const token = await appToken(sim.apiUrl, app);
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['/topapi/v2/user/get', { userid: 'zhangsan' }, 'qyapi_get_member'],
    ['/topapi/user/getbyunionid', { unionid: memberOf(corpA, 'zhangsan').unionid }, 'qyapi_get_member'],
    ['/topapi/v2/department/listsub', { dept_id: 1 }, 'qyapi_get_department_list'],
    ['/topapi/v2/user/list', { dept_id: 1, cursor: 0, size: 10 }, 'qyapi_get_department_member'],
  ];
  for (const [path, params, permission] of cases) {
    const res = await topapi(sim.oapiUrl, path, token, params);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(wrapped('60011'));
    expect(res.body.sub_msg).toContain(`[${permission}]`);
    expect(res.body.errmsg).toContain(permission);
  }
  // qyapi_base is granted: the workbench code exchange works.
  const code = sim.mintWorkbenchCode(corpA.corpId, 'lisi');
  expect((await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', token, { code })).body.errcode).toBe(0);
});

it('answers /me without Contact.User.Read with 403 naming the permission', async () => {
  const code = sim.mintQrCode(app.appKey, memberOf(corpA, 'zhangsan').unionid);
  const token = (await userToken(sim.apiUrl, code, app)).body.accessToken;
  const res = await http(sim.apiUrl, 'GET', '/v1.0/contact/users/me', { headers: { 'x-acs-dingtalk-access-token': token } });
  expect(res.status).toBe(403);
  expect(res.body.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
  expect(res.body.message).toContain('Contact.User.Read');
  expect(res.body.accessdenieddetail).toEqual({ requiredScopes: ['Contact.User.Read'] });
});

it('checks the token endpoints\' own permissions', async () => {
  const strict = await startSimulator({ org: orgWithPermissions(['Contact.User.Read']) });
  try {
    const v1 = await http(strict.apiUrl, 'POST', '/v1.0/oauth2/accessToken', { json: { appKey: app.appKey, appSecret: app.appSecret } });
    expect(v1.status).toBe(403);
    expect(v1.body.message).toContain('qyapi_base');
    const legacy = await http(strict.oapiUrl, 'GET', `/gettoken?appkey=${app.appKey}&appsecret=${app.appSecret}`);
    expect(legacy.body).toEqual(wrapped('60011'));
    expect(legacy.body.sub_msg).toContain('qyapi_base');
    const exchange = await userToken(strict.apiUrl, strict.mintQrCode(app.appKey, memberOf(corpA, 'zhangsan').unionid), app);
    expect(exchange.status).toBe(403);
    expect(exchange.body.message).toContain('open_app_api_base');
  } finally {
    await strict.close();
  }
});

it('omits the mobile from /me without Contact.User.mobile', async () => {
  const limited = await startSimulator({ org: orgWithPermissions(['qyapi_base', 'open_app_api_base', 'Contact.User.Read']) });
  try {
    const token = (await userToken(limited.apiUrl, limited.mintQrCode(app.appKey, memberOf(corpA, 'zhangsan').unionid), app)).body.accessToken;
    const res = await http(limited.apiUrl, 'GET', '/v1.0/contact/users/me', { headers: { 'x-acs-dingtalk-access-token': token } });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('mobile');
    expect(res.body.unionId).toBe(memberOf(corpA, 'zhangsan').unionid);
  } finally {
    await limited.close();
  }
});
