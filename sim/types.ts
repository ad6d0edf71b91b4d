/**
 * The DingTalk simulator's public surface: used by `jit sim`, `jit serve --sim`, tests and benchmarks.
 */
import type { SimStreamHandle, SimStreamOptions } from './stream/types';

export interface SimOrgUser {
  userid: string;
  unionid: string;
  name: string;
  mobile?: string;
  email?: string;
  org_email?: string;
  job_number?: string;
  title?: string;
  hired_date?: number;
  avatar?: string;
  /** The person's own mailbox, returned by v1.0 `/contact/users/me` as `email`. It belongs to the
   *  person, not the organisation, so it differs from `email`/`org_email` (default: derived from the
   *  unionid). The runtime must never use it. */
  personal_email?: string;
  active?: boolean;
  admin?: boolean;
  /** An external contact of the corp (DingTalk's contact_type 1), not an employee: getbyunionid
   *  answers `contact_type: 1`, `topapi/v2/user/get` answers 60121 and department member lists leave
   *  them out; a workbench code can still be minted for them. May have an empty `dept_id_list`. */
  external?: boolean;
  /** The person's linked unionId in an associated org (`getuserinfo`'s `associated_unionid`);
   *  omitted = none, and the field is left out of the answer. */
  associated_unionid?: string;
  dept_id_list: number[];
}

export interface SimDepartment {
  dept_id: number;
  name: string;
  parent_id: number;
  order?: number;
}

export interface SimApp {
  appKey: string;
  appSecret: string;
  agentId: number;
  /** Permission codes granted to the app (docs/dingtalk-facts.md §10, e.g. `qyapi_get_member`,
   *  `Contact.User.Read`); omitted = every permission. A call needing a missing one gets oapi 60011 /
   *  v1.0 403 `Forbidden.AccessDenied.AccessTokenPermissionDenied`. */
  permissions?: string[];
}

/** The department fields a test may change while the simulator runs (dept_id is identity). */
export type SimDepartmentPatch = Partial<Omit<SimDepartment, 'dept_id'>>;

export interface SimCorp {
  corpId: string;
  name: string;
  apps: SimApp[];
  /** Root department is dept_id 1. */
  departments: SimDepartment[];
  users: SimOrgUser[];
}

export interface SimOrg {
  corps: SimCorp[];
  /** People with a DingTalk account who belong to no corp above (for NOT_CORP_MEMBER). */
  outsiders?: Array<{ unionid: string; name: string; email?: string; mobile?: string }>;
}

/** Endpoint keys used for counters and fault injection. */
export type SimEndpoint =
  | 'oauth2/accessToken'
  | 'gettoken'
  | 'oauth2/corpToken'
  | 'gateway/connections/open'
  | 'oauth2/userAccessToken'
  | 'contact/users/me'
  | 'topapi/user/getbyunionid'
  | 'topapi/v2/user/getuserinfo'
  | 'topapi/v2/user/get'
  | 'topapi/v2/department/listsub'
  | 'topapi/v2/department/get'
  | 'topapi/v2/user/list';

export interface SimFault {
  /** Endpoints affected; omitted = all. */
  endpoints?: SimEndpoint[];
  /**
   * - 'http500': a bare HTTP 500 page; 'busy': oapi errcode -1 (v1.0: HTTP 500 unknownError);
   * - 'qps': the per-app per-API limit (oapi: errcode 88, sub_code "90018"; v1.0: 403
   *   Forbidden.AccessDenied.QpsLimitForAppkeyAndApi);
   * - 'globalQps': the global per-API limit (oapi: 88 / "90002"; v1.0: 403 Forbidden.AccessDenied.QpsLimitForApi);
   * - 'permission': the app lacks the endpoint's permission (oapi: 88 / "60011" naming the scope;
   *   v1.0: 403 Forbidden.AccessDenied.AccessTokenPermissionDenied);
   * - 'ipWhitelist': the caller's address is not whitelisted (oapi: 88 / "60020"; v1.0: 403
   *   Forbidden.AccessDenied.IpNotInWhiteList);
   * - 'latency': delay only.
   */
  kind: 'http500' | 'busy' | 'qps' | 'globalQps' | 'permission' | 'ipWhitelist' | 'latency';
  /** Probability in [0, 1] per matching request (default 1). */
  rate?: number;
  /** Apply to the next N matching requests only, then remove the fault. */
  count?: number;
  /** For 'latency': added milliseconds. */
  latencyMs?: number;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Org data; default the built-in demo org (sim/orgs/demo.json). */
  org?: SimOrg;
  /** Added to every DingTalk API call (ms), e.g. 20 for a realistic benchmark. */
  latencyMs?: number;
  /** Deterministic faults with a seed (default random). */
  seed?: number;
  /** Stream mode timings (redelivery, ping, disconnect); see sim/stream/types.ts. */
  stream?: SimStreamOptions;
  /**
   * Calls per second each app (appKey) may make to each API, as DingTalk enforces it
   * (docs/dingtalk-facts.md §9): 20 by default (standard edition), 60 with the paid add-on package.
   * Calls over it in any 1-second window are rejected, not queued. `'off'` turns the limit off; pass
   * it only where a test or benchmark does not test throttling, with a comment saying why.
   */
  qps?: number | 'off';
  /** The token the admin routes (`/__sim/*`) take from another process (`Authorization: Bearer`);
   *  default the JIT_SIM_ADMIN_TOKEN environment variable, else a random one; readable as
   *  `SimulatorHandle.adminToken`. */
  adminToken?: string;
  /** Page origins (besides loopback ones, always allowed) whose pages may use the dingtalk.js
   *  stand-in, like the domains of an app's home page in DingTalk's console. */
  pageOrigins?: string[];
  /** For tests: the time source (ms, monotonic) of the QPS limit and the per-second counters;
   *  default `performance.now`. */
  rateClock?: () => number;
}

/** The per-second view of the calls: what a test asserts "at most N calls in any second" with. */
export interface SimCallRates {
  /** The per-app per-API limit in force (`'off'` when disabled). */
  qps: number | 'off';
  /** Per API, all apps together: the most calls that reached it within any 1-second window. */
  peakPerSecond: Record<SimEndpoint, number>;
  /** Per appKey, per API: the same peak, for the calls whose app was known (a valid token or a
   *  known appKey/clientId). */
  peakPerSecondByApp: Record<string, Partial<Record<SimEndpoint, number>>>;
  /** Per API: calls rejected by the per-app limit (88 / 90018, or 403 QpsLimitForAppkeyAndApi). */
  rejected: Record<SimEndpoint, number>;
}

export interface SimulatorHandle {
  /** Base URL, e.g. http://127.0.0.1:9100. The oapi, api and login hosts are all served from it. */
  readonly url: string;
  /** What another process passes to `connectSimulator(url, { token })` for the admin routes. */
  readonly adminToken: string;
  readonly oapiUrl: string;
  readonly apiUrl: string;
  readonly loginUrl: string;
  /** The org the simulator answers from now (read-only: change it through the methods below). */
  readonly org: SimOrg;
  /** Mint a 免登 (workbench) code for a member or an external contact of the corp: single-use, 5 minutes. */
  mintWorkbenchCode(corpId: string, userid: string): string;
  /** Mint a QR/OAuth authCode as if the person scanned and consented (scope picks whether corpId is returned). */
  mintQrCode(appKey: string, unionid: string, options?: { corpId?: string }): string;
  /** Per-endpoint call counts since start or the last reset. */
  counters(): Record<SimEndpoint, number>;
  /** Per-second peaks and rejections since start or the last reset (`resetCounters` resets both). */
  callRates(): SimCallRates;
  resetCounters(): void;
  /** Let pages of this origin use the dingtalk.js stand-in (loopback origins always may). */
  allowPageOrigin(origin: string): void;
  injectFault(fault: SimFault): void;
  clearFaults(): void;
  /** Invalidate every issued app token now (the next use gets 40014 / InvalidAuthentication). */
  revokeTokens(): void;
  /** Move the simulator's clock forward (token, code expiry) without waiting. */
  advanceClock(ms: number): void;
  /** Change a member's record; the next API call sees it. Throws for an unknown member or an invalid result. */
  updateMember(corpId: string, userid: string, patch: Partial<Omit<SimOrgUser, 'userid' | 'unionid'>>): void;
  /** Remove a member from a corp (a leaver). */
  removeMember(corpId: string, userid: string): void;
  /** Add a member to a corp (a joiner); `external: true` adds an external contact. */
  addMember(corpId: string, member: SimOrgUser): void;
  /** Create a department (its parent must exist). */
  addDepartment(corpId: string, department: SimDepartment): void;
  /** Rename or move a department. */
  updateDepartment(corpId: string, deptId: number, patch: SimDepartmentPatch): void;
  /** Remove a department that has no members and no sub-departments (not the root). */
  removeDepartment(corpId: string, deptId: number): void;
  /** Stream mode: connections, pending events, counters and controls. Every org change above pushes
   *  its contact events (user_add_org, org_dept_create, ...) to the corp's connected apps. */
  readonly stream: SimStreamHandle;
  close(): Promise<void>;
}
