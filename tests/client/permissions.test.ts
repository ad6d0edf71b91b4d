/**
 * An app that lacks console permissions (a small org of our own, served by the simulator): each call
 * fails with DINGTALK_PERMISSION_DENIED naming the permission DingTalk names, after one call.
 */
import type { SimOrg } from '../../sim/types';
import { DDInnerClient } from '../../dingtalk/client';
import { counts, hostsOf, realCodeOf, recordingRetry, rejectionOf } from './helpers';
import { useSimulator } from '../helpers/simulator';

const APP = { appKey: 'dingpermtest00000001', appSecret: 'P'.repeat(64), agentId: 3000000001 };
const CORP_ID = 'ding00000000000000000000000000000001';

const org: SimOrg = {
  corps: [{
    corpId: CORP_ID,
    name: 'Few Permissions Corp',
    // Only the token endpoints: no member, department or contact permissions.
    apps: [{ ...APP, permissions: ['qyapi_base', 'open_app_api_base'] }],
    departments: [{ dept_id: 1, name: 'Few Permissions Corp', parent_id: 0 }],
    users: [{ userid: 'solo', unionid: 'soloUnionId0000000000iE', name: 'Solo', dept_id_list: [1] }],
  }],
};

const sim = useSimulator({ org });
let client: DDInnerClient;
let delays: number[];

beforeEach(() => {
  sim.resetCounters();
  const recording = recordingRetry();
  delays = recording.delays;
  client = new DDInnerClient({ credentials: APP, hosts: hostsOf(sim), retry: recording.retry });
});

test.each([
  ['getUserIdByUnionId', () => client.getUserIdByUnionId('soloUnionId0000000000iE'), 'topapi/user/getbyunionid', 'qyapi_get_member'],
  ['getMember', () => client.getMember('solo'), 'topapi/v2/user/get', 'qyapi_get_member'],
  ['listSubDepartments', () => client.listSubDepartments(1), 'topapi/v2/department/listsub', 'qyapi_get_department_list'],
  ['listDepartmentMembers', () => client.listDepartmentMembers(1, 0, 10), 'topapi/v2/user/list', 'qyapi_get_department_member'],
] as const)('%s (oapi 60011): the permission named, no retry', async (_name, call, endpoint, permission) => {
  const error = await rejectionOf(call());
  expect(error.code).toBe('DINGTALK_PERMISSION_DENIED');
  expect(error.details).toMatchObject({ call: endpoint, reason: 'PERMISSION_MISSING', permission, permissionSource: 'dingtalk' });
  expect(realCodeOf(error.details)).toBe(60011);
  expect(error.message).toContain(permission);
  expect(counts(sim, endpoint)).toEqual({ [endpoint]: 1 });
  expect(delays).toEqual([]);
});

test('users/me (v1.0 403 AccessTokenPermissionDenied): the permission from accessdenieddetail', async () => {
  const userToken = await client.getUserAccessToken(sim.mintQrCode(APP.appKey, 'soloUnionId0000000000iE'));
  const error = await rejectionOf(client.getCurrentUser(userToken.accessToken));
  expect(error.code).toBe('DINGTALK_PERMISSION_DENIED');
  expect(error.details).toMatchObject({
    call: 'contact/users/me', httpStatus: 403, code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', permission: 'Contact.User.Read',
  });
  expect(counts(sim, 'contact/users/me')).toEqual({ 'contact/users/me': 1 });
});

test('a denial that names no permission: the documented one, marked as such', async () => {
  // DingTalk answers an app token on users/me with a bare AccessTokenPermissionDenied.
  const appToken = await client.getAppAccessToken();
  const error = await rejectionOf(client.getCurrentUser(appToken));
  expect(error.code).toBe('DINGTALK_PERMISSION_DENIED');
  expect(error.details).toMatchObject({ permission: 'Contact.User.Read', permissionSource: 'documented' });
});
