/**
 * Every DDInnerClient call against the simulator's demo org over real HTTP: the typed result, and the
 * JitError each kind of refusal becomes (with one call made: refusals are never retried).
 */
import type { SimOrgUser } from '../../sim/types';
import { DDInnerClient } from '../../dingtalk/client';
import { CORP_A, CORP_B_ID, clientFor, closedPortUrl, corpOf, counts, hostsOf, rejectionOf } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();
let client: DDInnerClient;
let delays: number[];
let member: SimOrgUser;

beforeAll(async () => {
  member = corpOf(sim, CORP_A.corpId).users.find((u) => u.userid === 'wangwu')!;
});
beforeEach(() => {
  sim.resetCounters();
  sim.clearFaults();
  ({ client, delays } = clientFor(sim));
});

describe('typed results', () => {
  test('getAppAccessToken: a token string from POST /v1.0/oauth2/accessToken', async () => {
    const token = await client.getAppAccessToken();
    expect(typeof token).toBe('string');
    expect(token.length).toBeGreaterThan(0);
    expect(counts(sim, 'oauth2/accessToken', 'gettoken')).toEqual({ 'oauth2/accessToken': 1, gettoken: 0 });
  });

  test('QR flow: getUserAccessToken (scope openid corpid returns corpId) then getCurrentUser', async () => {
    const userToken = await client.getUserAccessToken(sim.mintQrCode(CORP_A.appKey, member.unionid, { corpId: CORP_A.corpId }));
    expect(userToken).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expireIn: 7200, corpId: CORP_A.corpId });

    const me = await client.getCurrentUser(userToken.accessToken);
    expect(me.unionId).toBe(member.unionid);
    expect(me.nick).toBe(member.name);
    expect(me.openId).toEqual(expect.any(String));
    // users/me never carries the app token: no app token was fetched for this flow.
    expect(counts(sim, 'oauth2/accessToken', 'oauth2/userAccessToken', 'contact/users/me'))
      .toEqual({ 'oauth2/accessToken': 0, 'oauth2/userAccessToken': 1, 'contact/users/me': 1 });
  });

  test('getUserAccessToken under scope openid: no corpId in the result', async () => {
    const userToken = await client.getUserAccessToken(sim.mintQrCode(CORP_A.appKey, member.unionid));
    expect(userToken).not.toHaveProperty('corpId');
  });

  test('getUserIdByUnionId: unionid -> userid', async () => {
    await expect(client.getUserIdByUnionId(member.unionid)).resolves.toBe('wangwu');
  });

  test('getUserInfoByWorkbenchCode: the member behind a 免登 code', async () => {
    const info = await client.getUserInfoByWorkbenchCode(sim.mintWorkbenchCode(CORP_A.corpId, 'zhangsan'));
    expect(info).toMatchObject({ userid: 'zhangsan', unionid: 'HdaeyQl62PbUM9biY2EWa5iE', name: '张三', sys: true, sys_level: 1 });
    expect(typeof info.device_id).toBe('string');
  });

  test('getMember: the corp member record with its documented snake_case names and types', async () => {
    const record = await client.getMember('wangwu');
    expect(record).toMatchObject({
      userid: 'wangwu', unionid: member.unionid, name: member.name, mobile: member.mobile, email: member.email,
      org_email: member.org_email, job_number: member.job_number, title: member.title, hired_date: member.hired_date,
      active: true, admin: false, dept_id_list: member.dept_id_list,
    });
    // A member without email or hired date: those fields are absent, not null.
    const intern = await client.getMember('wangfang02');
    expect(intern).not.toHaveProperty('email');
    expect(intern).not.toHaveProperty('hired_date');
  });

  test('listSubDepartments: direct children only', async () => {
    const children = await client.listSubDepartments(1);
    const expected = corpOf(sim, CORP_A.corpId).departments.filter((d) => d.parent_id === 1 && d.dept_id !== 1);
    expect(children.map((d) => ({ dept_id: d.dept_id, name: d.name, parent_id: d.parent_id })))
      .toEqual(expected.map((d) => ({ dept_id: d.dept_id, name: d.name, parent_id: d.parent_id })));
    await expect(client.listSubDepartments(8)).resolves.toEqual([]);
  });

  test('listDepartmentMembers: pages by next_cursor until has_more is false', async () => {
    const seen: string[] = [];
    let cursor = 0;
    for (let page = 0; page < 10; page++) {
      const result = await client.listDepartmentMembers(5, cursor, 1);
      seen.push(...result.list.map((m) => m.userid));
      if (!result.has_more) break;
      expect(result.next_cursor).toEqual(expect.any(Number));
      cursor = result.next_cursor!;
    }
    const expected = corpOf(sim, CORP_A.corpId).users.filter((u) => u.dept_id_list.includes(5)).map((u) => u.userid);
    expect(seen.sort()).toEqual(expected.sort());
    expect(counts(sim, 'topapi/v2/user/list')['topapi/v2/user/list']).toBe(expected.length);
  });
});

describe('refusals become stable JitErrors, after exactly one call', () => {
  test('a used workbench code: AUTH_CODE_INVALID (40078)', async () => {
    const code = sim.mintWorkbenchCode(CORP_A.corpId, 'lisi');
    await client.getUserInfoByWorkbenchCode(code);
    const error = await rejectionOf(client.getUserInfoByWorkbenchCode(code));
    expect(error.code).toBe('AUTH_CODE_INVALID');
    expect(error.details).toMatchObject({ call: 'topapi/v2/user/getuserinfo', errcode: 40078, requestId: expect.any(String) });
    expect(error.message).toContain('topapi/v2/user/getuserinfo');
    expect(counts(sim, 'topapi/v2/user/getuserinfo')).toEqual({ 'topapi/v2/user/getuserinfo': 2 });
    expect(delays).toEqual([]);
  });

  test('a used QR authCode: AUTH_CODE_INVALID (400 invalidCode)', async () => {
    const code = sim.mintQrCode(CORP_A.appKey, member.unionid);
    await client.getUserAccessToken(code);
    const error = await rejectionOf(client.getUserAccessToken(code));
    expect(error.code).toBe('AUTH_CODE_INVALID');
    expect(error.details).toMatchObject({ call: 'oauth2/userAccessToken', httpStatus: 400, code: 'invalidCode' });
    expect(counts(sim, 'oauth2/userAccessToken')).toEqual({ 'oauth2/userAccessToken': 2 });
  });

  test('an empty code fails without a call', async () => {
    expect((await rejectionOf(client.getUserInfoByWorkbenchCode(''))).code).toBe('AUTH_CODE_INVALID');
    expect((await rejectionOf(client.getUserAccessToken(''))).code).toBe('AUTH_CODE_INVALID');
    expect(counts(sim, 'topapi/v2/user/getuserinfo', 'oauth2/userAccessToken', 'oauth2/accessToken'))
      .toEqual({ 'topapi/v2/user/getuserinfo': 0, 'oauth2/userAccessToken': 0, 'oauth2/accessToken': 0 });
  });

  test('an invalid user token on users/me: AUTH_CODE_INVALID (sign in again), no app-token dance', async () => {
    const error = await rejectionOf(client.getCurrentUser('0123456789abcdef0123456789abcdef'));
    expect(error.code).toBe('AUTH_CODE_INVALID');
    expect(error.details).toMatchObject({ code: 'InvalidAuthentication', reason: 'USER_TOKEN_REJECTED' });
    expect(counts(sim, 'contact/users/me', 'oauth2/accessToken')).toEqual({ 'contact/users/me': 1, 'oauth2/accessToken': 0 });
  });

  test('an outsider, and a member of another corp: NOT_CORP_MEMBER (60121)', async () => {
    const outsider = sim.org.outsiders![0];
    const otherCorpMember = corpOf(sim, CORP_B_ID).users[0];
    for (const unionId of [outsider.unionid, otherCorpMember.unionid]) {
      const error = await rejectionOf(client.getUserIdByUnionId(unionId));
      expect(error.code).toBe('NOT_CORP_MEMBER');
      expect(error.details).toMatchObject({ errcode: 60121, call: 'topapi/user/getbyunionid' });
    }
    expect(counts(sim, 'topapi/user/getbyunionid')).toEqual({ 'topapi/user/getbyunionid': 2 });
  });

  test('getMember of an unknown userid: NOT_CORP_MEMBER', async () => {
    const error = await rejectionOf(client.getMember('nobody-here'));
    expect(error.code).toBe('NOT_CORP_MEMBER');
    expect(counts(sim, 'topapi/v2/user/get')).toEqual({ 'topapi/v2/user/get': 1 });
  });

  test('an unknown department: DINGTALK_API_ERROR keeping errcode, errmsg and requestId', async () => {
    const error = await rejectionOf(client.listSubDepartments(999));
    expect(error.code).toBe('DINGTALK_API_ERROR');
    expect(error.details).toMatchObject({ errcode: 60003, errmsg: expect.any(String), requestId: expect.any(String) });
  });

  test('wrong app credentials: DINGTALK_API_ERROR telling the operator to check appKey/appSecret', async () => {
    const wrong = new DDInnerClient({ credentials: { appKey: CORP_A.appKey, appSecret: 'not-the-secret-of-this-app-0000000000' }, hosts: hostsOf(sim) });
    const error = await rejectionOf(wrong.getMember('wangwu'));
    expect(error.code).toBe('DINGTALK_API_ERROR');
    expect(error.details).toMatchObject({ reason: 'APP_CREDENTIALS_REJECTED', call: 'oauth2/accessToken', code: 'invalidClientIdOrSecret' });
    expect(error.message).toMatch(/appKey and appSecret/);
    expect(counts(sim, 'oauth2/accessToken', 'topapi/v2/user/get')).toEqual({ 'oauth2/accessToken': 1, 'topapi/v2/user/get': 0 });
  });

  test('a page size outside 1..100 is refused before any call', async () => {
    for (const size of [0, 101, 2.5]) {
      const error = await rejectionOf(client.listDepartmentMembers(1, 0, size));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toMatch(/size must be an integer in 1\.\.100/);
    }
    expect(counts(sim, 'topapi/v2/user/list', 'oauth2/accessToken')).toEqual({ 'topapi/v2/user/list': 0, 'oauth2/accessToken': 0 });
  });

  test('nobody listening: DINGTALK_UNAVAILABLE after maxAttempts', async () => {
    const url = await closedPortUrl();
    const { client: offline, delays: waits } = clientFor(sim, { hosts: { oapiUrl: url, apiUrl: url, loginUrl: url }, retry: { maxAttempts: 3 } });
    const error = await rejectionOf(offline.getAppAccessToken());
    expect(error.code).toBe('DINGTALK_UNAVAILABLE');
    expect(error.details).toMatchObject({ attempts: 3, transport: 'ECONNREFUSED' });
    expect(waits).toHaveLength(2);
  });
});

describe('options', () => {
  test('missing credentials or a host that is not a URL: CONFIG_INVALID naming the option', () => {
    expect(() => new DDInnerClient({ credentials: { appKey: CORP_A.appKey, appSecret: '' }, hosts: hostsOf(sim) }))
      .toThrow(/credentials\.appSecret/);
    expect(() => new DDInnerClient({ credentials: CORP_A, hosts: { ...hostsOf(sim), oapiUrl: 'oapi.dingtalk.com' } }))
      .toThrow(/hosts\.oapiUrl/);
    expect(() => new DDInnerClient({ credentials: CORP_A, hosts: hostsOf(sim), retry: { maxAttempts: 0 } }))
      .toThrow(/retry\.maxAttempts/);
  });
});
