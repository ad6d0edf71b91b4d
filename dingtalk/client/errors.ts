/**
 * What a DingTalk failure means, in one table: which JitError it becomes, whether it is worth a retry
 * (and with which backoff), whether it says the app token was refused, and what an operator should do.
 * Sources: dingtalk-api.md §7c (codes), §9 (rate limits), §10 (permissions).
 */
import { JitError, type ErrorCode } from '../../runtime/errors';
import { redactSecrets } from '../../runtime/secrets';
import type { CallSpec } from './calls';
import type { DingTalkFailure } from './response';

/** transient: exponential backoff (busy, 5xx, timeouts). rateLimit: wait out DingTalk's 1-second QPS window. */
export type RetryKind = 'transient' | 'rateLimit';

export interface FailureRule {
  /** The JitError code when this failure is final. */
  readonly code: ErrorCode;
  /** Stable short name of the cause, kept in `details.reason`. */
  readonly reason: string;
  readonly retry?: RetryKind;
  /** The token was refused: drop the cached app token, fetch a new one and retry the call once. */
  readonly tokenRejected?: boolean;
  /** What to do about it, appended to the message. */
  readonly advice?: string;
}

const RULE = {
  tokenRejected: {
    code: 'DINGTALK_API_ERROR', reason: 'TOKEN_REJECTED', tokenRejected: true,
    advice: 'DingTalk refused a freshly issued app access token; check that the app is published and enabled in the developer console.',
  },
  userTokenRejected: {
    code: 'AUTH_CODE_INVALID', reason: 'USER_TOKEN_REJECTED',
    advice: 'The user access token is invalid or expired; sign in again.',
  },
  credentialsRejected: {
    code: 'DINGTALK_API_ERROR', reason: 'APP_CREDENTIALS_REJECTED',
    advice: "Check the instance's authConfig.appKey and appSecret against the app's Client ID and Client Secret "
      + '(developer console › the app › 凭证与基础信息); a reset secret must be updated here too.',
  },
  authCodeInvalid: {
    code: 'AUTH_CODE_INVALID', reason: 'AUTH_CODE_INVALID',
    advice: 'The code is expired, already used or unknown; sign in again.',
  },
  notMember: { code: 'NOT_CORP_MEMBER', reason: 'NOT_CORP_MEMBER' },
  permissionDenied: {
    code: 'DINGTALK_PERMISSION_DENIED', reason: 'PERMISSION_MISSING',
    advice: 'Apply for the permission under the app › 权限管理 in the developer console, then publish the app again.',
  },
  ipNotWhitelisted: {
    code: 'DINGTALK_PERMISSION_DENIED', reason: 'IP_NOT_WHITELISTED',
    advice: "Add this server's public egress IP to the app's server IP whitelist (开发配置 › 安全设置).",
  },
  outsideContactScope: {
    code: 'DINGTALK_PERMISSION_DENIED', reason: 'OUTSIDE_CONTACT_SCOPE',
    advice: "Widen the app's contacts authorization scope (通讯录授权范围) and visibility range (可使用范围) to include these people or departments.",
  },
  rateLimited: { code: 'DINGTALK_RATE_LIMITED', reason: 'RATE_LIMITED', retry: 'rateLimit' },
  quotaExhausted: {
    code: 'DINGTALK_RATE_LIMITED', reason: 'QUOTA_EXHAUSTED',
    advice: "The organisation's monthly API call quota is used up; retrying will not help before it resets.",
  },
  ipBanned: {
    code: 'DINGTALK_RATE_LIMITED', reason: 'IP_BANNED',
    advice: 'DingTalk banned this server IP for exceeding 10,000 calls in 20 s; calls resume after about 5 minutes.',
  },
  unavailable: { code: 'DINGTALK_UNAVAILABLE', reason: 'UNAVAILABLE', retry: 'transient' },
  unexpectedBody: { code: 'DINGTALK_API_ERROR', reason: 'UNEXPECTED_RESPONSE' },
  apiError: { code: 'DINGTALK_API_ERROR', reason: 'API_ERROR' },
} as const satisfies Record<string, FailureRule>;

/** The mapping table: oapi errcodes and v1.0 codes (exact, or by prefix) to their meaning. */
const TABLE: ReadonlyArray<{ oapi?: number[]; v1?: string[]; v1Prefix?: string[]; rule: FailureRule }> = [
  { oapi: [40014, 42001, 40001, 88], v1: ['InvalidAuthentication', 'accesstoken.expired'], rule: RULE.tokenRejected },
  { oapi: [40089], v1: ['invalidClientIdOrSecret', 'invalid.client', 'unauthorized.client'], rule: RULE.credentialsRejected },
  { oapi: [40078, 41026, 40079], v1: ['invalidCode'], rule: RULE.authCodeInvalid },
  {
    oapi: [60121, 33012],
    v1: ['invalidParameter.user.notFound', 'userNotInOrg', 'forbidden.user.notInOrg', 'user.not.found'],
    rule: RULE.notMember,
  },
  { oapi: [60011, 43007], v1: ['Forbidden.AccessDenied.AccessTokenPermissionDenied'], rule: RULE.permissionDenied },
  { oapi: [60020], v1: ['Forbidden.AccessDenied.IpNotInWhiteList'], rule: RULE.ipNotWhitelisted },
  { oapi: [50002, 50004], rule: RULE.outsideContactScope },
  {
    // 90018 per app per API, 90002 global per API, 90001/90003-90006 server- and org-level throttles.
    oapi: [90018, 90002, 90001, 90003, 90004, 90005, 90006],
    v1: ['system.busy', 'systemBusy'],
    v1Prefix: ['Forbidden.AccessDenied.QpsLimitFor', 'Forbidden.AccessDenied.QpmLimitFor'],
    rule: RULE.rateLimited,
  },
  { oapi: [90020], v1: ['Forbidden.AccessDenied.ApiCountLimitForOrg'], rule: RULE.quotaExhausted },
  { oapi: [-1], v1: ['unknownError'], rule: RULE.unavailable },
];

function byStatus(status: number): FailureRule {
  if (status === 401) return RULE.tokenRejected;
  if (status === 429) return RULE.rateLimited;
  if (status >= 500) return RULE.unavailable;
  return RULE.apiError;
}

function tableRule(failure: DingTalkFailure): FailureRule {
  switch (failure.kind) {
    case 'transport': return RULE.unavailable;
    case 'ipBanned': return RULE.ipBanned;
    case 'unexpectedBody': return RULE.unexpectedBody;
    case 'http': return byStatus(failure.status);
    case 'oapi': {
      const row = TABLE.find((r) => r.oapi?.includes(failure.errcode));
      return row?.rule ?? (failure.status >= 500 ? RULE.unavailable : RULE.apiError);
    }
    case 'v1': {
      const row = TABLE.find((r) => r.v1?.includes(failure.code) || r.v1Prefix?.some((p) => failure.code.startsWith(p)));
      return row?.rule ?? byStatus(failure.status);
    }
  }
}

function httpStatusOf(failure: DingTalkFailure): number | undefined {
  return 'status' in failure ? failure.status : undefined;
}

/** The meaning of a failure for one call: the table, then what the call's kind of token changes. */
export function ruleFor(failure: DingTalkFailure, spec: CallSpec): FailureRule {
  const rule = tableRule(failure);
  if (rule.tokenRejected) {
    if (spec.auth === 'user') return RULE.userTokenRejected;
    if (spec.auth === 'none') return RULE.apiError;
  }
  // The per-endpoint codes of the code exchange are undocumented (dingtalk-api.md §3c, §11.2): the
  // docs' advice is to treat any other 4xx from it as a failed login to restart.
  const status = httpStatusOf(failure);
  if (spec.name === 'oauth2/userAccessToken' && rule === RULE.apiError && status !== undefined && status >= 400 && status < 500) {
    return RULE.authCodeInvalid;
  }
  return rule;
}

function describe(failure: DingTalkFailure): string {
  switch (failure.kind) {
    case 'transport': return failure.reason === 'timeout' ? 'no answer in time' : `connection failed${failure.errorCode ? ` (${failure.errorCode})` : ''}`;
    case 'ipBanned': return `HTTP ${failure.status}, this server IP is temporarily banned`;
    case 'unexpectedBody': return `unexpected response: no usable ${failure.field}`;
    case 'http': return `HTTP ${failure.status}`;
    case 'oapi': return `errcode ${failure.errcode} ${failure.errmsg}${failure.subMsg ? ` (${failure.subMsg})` : ''}`.trimEnd();
    case 'v1': return `HTTP ${failure.status} ${failure.code}${failure.message ? `: ${failure.message}` : ''}`;
  }
}

/** A permission code as DingTalk writes it in a message: `[qyapi_get_member]`, `【Contact.User.Read】`. */
const NAMED_PERMISSION = /[[【]([A-Za-z][\w]*(?:[._][\w]+)+)[\]】]/;

/** The permission DingTalk names (accessdenieddetail.requiredScopes, or in the message), if any. */
export function permissionNamedIn(failure: DingTalkFailure): string | undefined {
  if (failure.kind === 'v1' && failure.requiredScopes) return failure.requiredScopes.join(',');
  const texts = failure.kind === 'oapi' ? [failure.errmsg, failure.subMsg] : failure.kind === 'v1' ? [failure.message] : [];
  for (const text of texts) {
    const match = text ? NAMED_PERMISSION.exec(text) : null;
    if (match) return match[1];
  }
  return undefined;
}

/** Never let a URL's token through: `access_token=...` in any text becomes `access_token=[redacted]`. */
export function scrub(text: string): string {
  return redactSecrets(text.replace(/(access_token=)[^&\s"']+/gi, '$1[redacted]'));
}

export interface FailureContext {
  /** Attempts made (1 = no retry). */
  attempts: number;
}

/** The JitError for a final failure: says which call failed, why, and what to do; secret-free. */
export function toJitError(failure: DingTalkFailure, spec: CallSpec, context: FailureContext): JitError {
  const rule = ruleFor(failure, spec);
  const details: Record<string, unknown> = { call: spec.name, reason: rule.reason, attempts: context.attempts };
  const status = httpStatusOf(failure);
  if (status !== undefined) details.httpStatus = status;
  if (failure.kind === 'oapi') {
    Object.assign(details, { errcode: failure.errcode, errmsg: scrub(failure.errmsg) });
    if (failure.subCode) details.subCode = failure.subCode;
    if (failure.subMsg) details.subMsg = scrub(failure.subMsg);
  }
  if (failure.kind === 'v1') Object.assign(details, { code: failure.code, message: scrub(failure.message) });
  if ((failure.kind === 'oapi' || failure.kind === 'v1') && failure.requestId) details.requestId = failure.requestId;
  if (failure.kind === 'transport') details.transport = failure.errorCode ?? failure.reason;

  let advice: string | undefined = rule.advice;
  if (rule.code === 'DINGTALK_PERMISSION_DENIED' && rule.reason === 'PERMISSION_MISSING') {
    const named = permissionNamedIn(failure);
    details.permission = named ?? spec.permission;
    details.permissionSource = named ? 'dingtalk' : 'documented';
    advice = `The app needs the permission ${String(details.permission)}. ${rule.advice}`;
  }
  const retried = context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
  const message = `DingTalk call ${spec.name} (${spec.purpose}) failed${retried}: ${describe(failure)}.${advice ? ` ${advice}` : ''}`;
  return new JitError(rule.code, scrub(message), details);
}
