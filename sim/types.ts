/**
 * The DingTalk simulator's public surface: used by `jit sim`, `jit serve --sim`, tests and benchmarks.
 */

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
  /** Permission codes granted to the app (dingtalk-api.md §10, e.g. `qyapi_get_member`,
   *  `Contact.User.Read`); omitted = every permission. A call needing a missing one gets oapi 60011 /
   *  v1.0 403 `Forbidden.AccessDenied.AccessTokenPermissionDenied`. */
  permissions?: string[];
}

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
  /** 'http500': HTTP 500; 'busy': oapi errcode -1 (v1.0: HTTP 500 unknownError);
   *  'qps': oapi 90018 (v1.0: 403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi); 'latency': delay only. */
  kind: 'http500' | 'busy' | 'qps' | 'latency';
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
}

export interface SimulatorHandle {
  /** Base URL, e.g. http://127.0.0.1:9100. The oapi, api and login hosts are all served from it. */
  readonly url: string;
  readonly oapiUrl: string;
  readonly apiUrl: string;
  readonly loginUrl: string;
  /** The org the simulator answers from now (read-only: change it through the methods below). */
  readonly org: SimOrg;
  /** Mint a 免登 (workbench) code for a member: single-use, 5 minutes. */
  mintWorkbenchCode(corpId: string, userid: string): string;
  /** Mint a QR/OAuth authCode as if the person scanned and consented (scope picks whether corpId is returned). */
  mintQrCode(appKey: string, unionid: string, options?: { corpId?: string }): string;
  /** Per-endpoint call counts since start or the last reset. */
  counters(): Record<SimEndpoint, number>;
  resetCounters(): void;
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
  /** Add a member to a corp (a joiner). */
  addMember(corpId: string, member: SimOrgUser): void;
  close(): Promise<void>;
}
