/**
 * The DingTalk API client of one DDInnerType instance: typed results with DingTalk's own field
 * names (oapi snake_case, v1.0 camelCase), parsed leniently (numbers/booleans may arrive as strings).
 * Every failure is a JitError: AUTH_CODE_INVALID, NOT_CORP_MEMBER, DINGTALK_PERMISSION_DENIED,
 * DINGTALK_RATE_LIMITED, DINGTALK_UNAVAILABLE, DINGTALK_API_ERROR (details: reason, one of
 * DINGTALK_FAILURE_REASONS; errcode/code, requestId; retryAfter for DINGTALK_RATE_LIMITED).
 */
import type { DingTalkLane } from './lanes';

export interface DDCredentials {
  appKey: string;
  appSecret: string;
}

/** POST /v1.0/oauth2/userAccessToken */
export interface DDUserToken {
  accessToken: string;
  refreshToken: string;
  expireIn: number;
  /** Present only under scope `openid corpid`: the organisation the person selected. */
  corpId?: string;
}

/** GET /v1.0/contact/users/me (with the user token) */
export interface DDCurrentUser {
  nick: string;
  unionId: string;
  openId: string;
  avatarUrl?: string;
  mobile?: string;
  email?: string;
  stateCode?: string;
}

/** POST topapi/v2/user/getuserinfo (workbench code -> member) */
export interface DDWorkbenchUserInfo {
  userid: string;
  unionid: string;
  name: string;
  device_id?: string;
  sys?: boolean;
  sys_level?: number;
  associated_unionid?: string;
}

/** POST topapi/v2/user/get and the items of topapi/v2/user/list */
export interface DDMember {
  userid: string;
  unionid: string;
  name: string;
  avatar?: string;
  state_code?: string;
  mobile?: string;
  telephone?: string;
  job_number?: string;
  title?: string;
  email?: string;
  org_email?: string;
  work_place?: string;
  remark?: string;
  /** Unix milliseconds. */
  hired_date?: number;
  active?: boolean;
  admin?: boolean;
  boss?: boolean;
  dept_id_list?: number[];
}

/** POST topapi/v2/department/get: one department's own record (the root's too). */
export interface DDDepartmentDetail {
  dept_id: number;
  name: string;
  /** Absent for the root. */
  parent_id?: number;
  order?: number;
  /** Members including sub-departments'. */
  member_count?: number;
}

/** POST topapi/v2/department/listsub */
export interface DDDepartment {
  dept_id: number;
  name: string;
  parent_id: number;
  /** Not in listsub's documented result; filled when DingTalk sends it, else absent. */
  order?: number;
}

/** POST topapi/v2/user/list */
export interface DDMemberPage {
  has_more: boolean;
  next_cursor?: number;
  list: DDMember[];
}

export interface DDInnerClientApi {
  /** The same client (credentials, token cache, budget) with its calls in another budget lane: 'login' (default), 'events', 'sync', 'doctor'. */
  inLane(lane: DingTalkLane): DDInnerClientApi;
  /** App access token (cached per credentials, single-flight, refreshed ahead of expiry). */
  getAppAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  getUserAccessToken(authCode: string): Promise<DDUserToken>;
  getCurrentUser(userAccessToken: string): Promise<DDCurrentUser>;
  /** unionid -> userid; NOT_CORP_MEMBER on 60121. */
  getUserIdByUnionId(unionId: string): Promise<string>;
  /** Workbench code -> member; AUTH_CODE_INVALID on 40078 / 41026 / 40079. */
  getUserInfoByWorkbenchCode(code: string): Promise<DDWorkbenchUserInfo>;
  /** The corp member record (profile fields come from here); NOT_CORP_MEMBER on 60121 / 33012. */
  getMember(userId: string): Promise<DDMember>;
  listSubDepartments(deptId: number): Promise<DDDepartment[]>;
  /** One department's own record (`topapi/v2/department/get`); the root is 1. */
  getDepartment(deptId: number): Promise<DDDepartmentDetail>;
  /** One page of a department's direct members; `size` in 1..100 (BAD_REQUEST otherwise, before any call). */
  listDepartmentMembers(deptId: number, cursor: number, size: number): Promise<DDMemberPage>;
}
