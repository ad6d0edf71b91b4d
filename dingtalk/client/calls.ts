/**
 * The DingTalk calls the client makes, as data: where each one goes, which token it carries and which
 * console permission it needs (docs/dingtalk-facts.md §10). Error messages and logs name a call by `name`.
 */

/** oapi: token in the query, snake_case, errors as HTTP 200 + errcode. v1: token in a header, camelCase, errors as HTTP 4xx/5xx. */
export type ApiFamily = 'oapi' | 'v1';

/** Which token a call carries: the app (corp) token, the person's user token, or none (token endpoints). */
export type CallAuth = 'app' | 'user' | 'none';

export interface CallSpec {
  /** Stable name, as in docs/dingtalk-facts.md and the simulator's counters, e.g. `topapi/v2/user/get`. */
  readonly name: string;
  /** What the call is for, in words, for error messages. */
  readonly purpose: string;
  readonly family: ApiFamily;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly auth: CallAuth;
  /** The permission code the app needs in the developer console (开发者后台 › 权限管理). */
  readonly permission: string;
}

function call(spec: CallSpec): CallSpec {
  return Object.freeze(spec);
}

export const CALLS = Object.freeze({
  appAccessToken: call({
    name: 'oauth2/accessToken', purpose: 'get the app access token',
    family: 'v1', method: 'POST', path: '/v1.0/oauth2/accessToken', auth: 'none', permission: 'qyapi_base',
  }),
  userAccessToken: call({
    name: 'oauth2/userAccessToken', purpose: 'exchange the login authCode for a user access token',
    family: 'v1', method: 'POST', path: '/v1.0/oauth2/userAccessToken', auth: 'none', permission: 'open_app_api_base',
  }),
  currentUser: call({
    name: 'contact/users/me', purpose: 'read the signed-in person',
    family: 'v1', method: 'GET', path: '/v1.0/contact/users/me', auth: 'user', permission: 'Contact.User.Read',
  }),
  userIdByUnionId: call({
    name: 'topapi/user/getbyunionid', purpose: 'look up the member by unionId',
    family: 'oapi', method: 'POST', path: '/topapi/user/getbyunionid', auth: 'app', permission: 'qyapi_get_member',
  }),
  workbenchUserInfo: call({
    name: 'topapi/v2/user/getuserinfo', purpose: 'exchange the workbench code for the member',
    family: 'oapi', method: 'POST', path: '/topapi/v2/user/getuserinfo', auth: 'app', permission: 'qyapi_base',
  }),
  member: call({
    name: 'topapi/v2/user/get', purpose: "read the member's details",
    family: 'oapi', method: 'POST', path: '/topapi/v2/user/get', auth: 'app', permission: 'qyapi_get_member',
  }),
  subDepartments: call({
    name: 'topapi/v2/department/listsub', purpose: 'list sub-departments',
    family: 'oapi', method: 'POST', path: '/topapi/v2/department/listsub', auth: 'app', permission: 'qyapi_get_department_list',
  }),
  department: call({
    name: 'topapi/v2/department/get', purpose: 'read a department',
    family: 'oapi', method: 'POST', path: '/topapi/v2/department/get', auth: 'app', permission: 'qyapi_get_department_list',
  }),
  departmentMembers: call({
    name: 'topapi/v2/user/list', purpose: "list a department's members",
    family: 'oapi', method: 'POST', path: '/topapi/v2/user/list', auth: 'app', permission: 'qyapi_get_department_member',
  }),
});
