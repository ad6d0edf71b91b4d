/**
 * What a DingTalk failure means, in one table: which JitError it becomes (code and typed reason),
 * whether it is worth a retry (and with which backoff), whether it says the app token was refused,
 * and what an operator should do. Sources: docs/dingtalk-facts.md §2 (token endpoints), §7a-7c (codes and
 * the topapi gateway's errcode 88 wrapper), §9 (rate limits), §10 (permissions).
 *
 * oapi failures are classified by their real code (`failure.code`: the sub code of a wrapped 88,
 * see response.ts), never by 88 alone: a throttle must not become a token re-fetch storm.
 */
import { type JitError, type LoginErrorCode, redactSecrets, type SecretRegistry } from '../../runtime/core';
import { dingTalkError, type DingTalkErrorCode } from '../error-codes';
import type { CallSpec } from './calls';
import type { DingTalkFailureReason } from './reasons';
import { GATEWAY_WRAPPER_ERRCODE, type DingTalkFailure } from './response';

/** transient: exponential backoff (busy, 5xx, timeouts). rateLimit: wait out DingTalk's 1-second QPS window. */
export type RetryKind = 'transient' | 'rateLimit';

export interface FailureRule {
  /** The JitError code when this failure is final. */
  readonly code: DingTalkErrorCode | Extract<LoginErrorCode, 'AUTH_CODE_INVALID'>;
  /** The typed cause, kept in `details.reason`. */
  readonly reason: DingTalkFailureReason;
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
  parameterMissing: {
    code: 'DINGTALK_API_ERROR', reason: 'PARAMETER_MISSING',
    advice: 'DingTalk says a parameter is missing or invalid; this is a bug in the caller, please report it with the request id.',
  },
  unknownMethod: {
    code: 'DINGTALK_API_ERROR', reason: 'UNKNOWN_METHOD',
    advice: "Check that the DingTalk hosts (DINGTALK_OAPI_URL / DINGTALK_API_URL) point at DingTalk's oapi and api hosts; "
      + 'if they do, DingTalk has retired this API: please report it.',
  },
  authCodeInvalid: {
    code: 'AUTH_CODE_INVALID', reason: 'AUTH_CODE_INVALID',
    advice: 'The code is expired, already used or unknown; sign in again.',
  },
  notMember: { code: 'NOT_CORP_MEMBER', reason: 'NOT_CORP_MEMBER' },
  permissionMissing: {
    code: 'DINGTALK_PERMISSION_DENIED', reason: 'PERMISSION_MISSING',
    advice: 'Apply for it under the app › 权限管理 (permission management) in the DingTalk developer console, then publish the app again. Retrying does not help until then.',
  },
  ipNotWhitelisted: {
    code: 'DINGTALK_PERMISSION_DENIED', reason: 'IP_NOT_WHITELISTED',
    advice: "to the app's server egress IP whitelist (developer console › the app › 开发配置 › 安全设置 › 服务器出口IP). Retrying does not help until then.",
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

/**
 * The mapping table: oapi codes (real codes, 88 unwrapped) and v1.0 codes (exact, or by prefix).
 * A code that appears nowhere is an API_ERROR (or, for v1.0, judged by its HTTP status).
 */
const TABLE: ReadonlyArray<{ oapi?: number[]; v1?: string[]; v1Prefix?: string[]; rule: FailureRule }> = [
  // 40014 invalid (also expired), 42001 expired, 40001 invalid token or secret, 40000 blank token.
  { oapi: [40014, 42001, 40001, 40000], v1: ['InvalidAuthentication', 'accesstoken.expired'], rule: RULE.tokenRejected },
  // gettoken: 40096 today, 40089 in the corpId era (docs/dingtalk-facts.md §2b).
  { oapi: [40096, 40089], v1: ['invalidClientIdOrSecret', 'invalid.client', 'unauthorized.client'], rule: RULE.credentialsRejected },
  { oapi: [40035], rule: RULE.parameterMissing },
  { oapi: [22], v1: ['InvalidAction.NotFound'], rule: RULE.unknownMethod },
  { oapi: [40078, 41026, 40079], v1: ['invalidCode'], rule: RULE.authCodeInvalid },
  {
    oapi: [60121, 33012],
    v1: ['invalidParameter.user.notFound', 'userNotInOrg', 'forbidden.user.notInOrg', 'user.not.found'],
    rule: RULE.notMember,
  },
  { oapi: [60011, 43007], v1: ['Forbidden.AccessDenied.AccessTokenPermissionDenied'], rule: RULE.permissionMissing },
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
      const row = TABLE.find((r) => r.oapi?.includes(failure.code));
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
  // The per-endpoint codes of the code exchange are undocumented (docs/dingtalk-facts.md §3c, §11.2): the
  // docs' advice is to treat any other 4xx from it as a failed login to restart.
  const status = httpStatusOf(failure);
  if (spec.name === 'oauth2/userAccessToken' && rule === RULE.apiError && status !== undefined && status >= 400 && status < 500) {
    return RULE.authCodeInvalid;
  }
  return rule;
}

/** Whether DingTalk said "too many calls" (the budget pauses the API for a window when it does). */
export function isThrottle(failure: DingTalkFailure, spec: CallSpec): boolean {
  return ruleFor(failure, spec).reason === 'RATE_LIMITED';
}

function describe(failure: DingTalkFailure): string {
  switch (failure.kind) {
    case 'transport': return failure.reason === 'timeout' ? 'no answer in time' : `connection failed${failure.errorCode ? ` (${failure.errorCode})` : ''}`;
    case 'ipBanned': return `HTTP ${failure.status}, this server IP is temporarily banned`;
    case 'unexpectedBody': return `unexpected response: no usable ${failure.field}`;
    case 'http': return `HTTP ${failure.status}`;
    case 'oapi': {
      const wrapped = failure.errcode === GATEWAY_WRAPPER_ERRCODE && failure.code !== failure.errcode ? ` (sub_code ${failure.code})` : '';
      const subMsg = failure.subMsg && !failure.errmsg.includes(failure.subMsg) ? ` (${failure.subMsg})` : '';
      return `errcode ${failure.errcode}${wrapped} ${failure.errmsg}${subMsg}`.trimEnd();
    }
    case 'v1': return `HTTP ${failure.status} ${failure.code}${failure.message ? `: ${failure.message}` : ''}`;
  }
}

/** The texts DingTalk sent with a failure, most specific first. */
function textsOf(failure: DingTalkFailure): string[] {
  if (failure.kind === 'oapi') return [failure.subMsg ?? '', failure.errmsg].filter(Boolean);
  if (failure.kind === 'v1') return [failure.message].filter(Boolean);
  return [];
}

/** A permission code as DingTalk writes it in a message: `[qyapi_get_member]`, `【Contact.User.Read】`. */
const BRACKETED_PERMISSION = /[[【]([A-Za-z][\w]*(?:[._][\w]+)+)[\]】]/g;
/** A bare permission code in a list of required scopes: `qyapi_get_member`, `Contact.User.Read`. */
const BARE_PERMISSION = /\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][a-z]+(?:\.[A-Z][A-Za-z]+){1,3})\b/g;
/** Words in DingTalk's texts that look like a bare permission code but are not one. */
const NOT_PERMISSIONS = new Set(['access_token', 'sub_code', 'sub_msg', 'request_id', 'app_key', 'ding_talk']);

/**
 * The permissions DingTalk names for a denial, joined by commas: v1.0 `accessdenieddetail.requiredScopes`,
 * else the bracketed codes in its texts, else (the gateway's 60011 `sub_msg` lists the required scopes)
 * the bare codes there. Undefined when it names none.
 */
export function permissionNamedIn(failure: DingTalkFailure): string | undefined {
  if (failure.kind === 'v1' && failure.requiredScopes) return failure.requiredScopes.join(',');
  const texts = textsOf(failure);
  for (const text of texts) {
    const named = [...text.matchAll(BRACKETED_PERMISSION)].map((m) => m[1]);
    if (named.length > 0) return unique(named).join(',');
  }
  if (failure.kind === 'oapi' && failure.subMsg) {
    const named = [...failure.subMsg.matchAll(BARE_PERMISSION)].map((m) => m[1]).filter((name) => !NOT_PERMISSIONS.has(name.toLowerCase()));
    if (named.length > 0) return unique(named).join(',');
  }
  return undefined;
}

const IPV4 = /(?<![\d.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\d.])/;
const LABELLED_IPV6 = /\bip\s*[=:：]\s*\[?([0-9a-f]*:[0-9a-f:]+)\]?/i;

/** The address DingTalk says the call came from, when its 60020 text names one (`request ip=1.2.3.4`). */
export function ipNamedIn(failure: DingTalkFailure): string | undefined {
  for (const text of textsOf(failure)) {
    const match = IPV4.exec(text) ?? LABELLED_IPV6.exec(text);
    if (match) return match[1];
  }
  return undefined;
}

/** The method DingTalk says it does not know (errcode 22: `Invalid method[...]`), when it names one. */
function methodNamedIn(failure: DingTalkFailure): string | undefined {
  for (const text of textsOf(failure)) {
    const match = /method\s*\[([^\]]+)\]/i.exec(text);
    if (match) return match[1];
  }
  return undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * Never let a URL's token through: `access_token=...` in any text becomes `access_token=[redacted]`,
 * and the secrets of the client's registry (`secrets`) and of every open app are masked.
 */
export function scrub(text: string, secrets?: SecretRegistry): string {
  const masked = redactSecrets(text.replace(/(access_token=)[^&\s"']+/gi, '$1[redacted]'));
  return secrets ? secrets.redact(masked) : masked;
}

export interface FailureContext {
  /** Attempts made (1 = no retry). */
  attempts: number;
  /** For a throttle: seconds after which trying again makes sense (becomes `details.retryAfter`). */
  retryAfterSeconds?: number;
  /** The client's secrets (its DingTalk runtime's registry): masked in the error too. */
  secrets?: SecretRegistry;
}

/** The JitError for a final failure: says which call failed, why, and what to do; secret-free. */
export function toJitError(failure: DingTalkFailure, spec: CallSpec, context: FailureContext): JitError {
  const rule = ruleFor(failure, spec);
  const details: Record<string, unknown> = { call: spec.name, reason: rule.reason, attempts: context.attempts };
  const status = httpStatusOf(failure);
  if (status !== undefined) details.httpStatus = status;
  if (failure.kind === 'oapi') {
    Object.assign(details, { errcode: failure.errcode, errmsg: scrub(failure.errmsg, context.secrets) });
    // A wrapped code (88) always says its real one, whether DingTalk sent `sub_code` or only errmsg.
    if (failure.subCode) details.subCode = failure.subCode;
    else if (failure.code !== failure.errcode) details.subCode = String(failure.code);
    if (failure.subMsg) details.subMsg = scrub(failure.subMsg, context.secrets);
  }
  if (failure.kind === 'v1') Object.assign(details, { code: failure.code, message: scrub(failure.message, context.secrets) });
  if ((failure.kind === 'oapi' || failure.kind === 'v1') && failure.requestId) details.requestId = failure.requestId;
  if (failure.kind === 'transport') details.transport = failure.errorCode ?? failure.reason;

  let advice: string | undefined = rule.advice;
  switch (rule.reason) {
    case 'PERMISSION_MISSING': {
      const named = permissionNamedIn(failure);
      details.permission = named ?? spec.permission;
      details.permissionSource = named ? 'dingtalk' : 'documented';
      advice = `The app needs the permission ${String(details.permission)}. ${rule.advice}`;
      break;
    }
    case 'IP_NOT_WHITELISTED': {
      const ip = ipNamedIn(failure);
      if (ip) details.ip = ip;
      advice = ip
        ? `Add ${ip} (the address DingTalk saw this server call from) ${rule.advice}`
        : `Add this server's public egress IP (DingTalk did not name it) ${rule.advice}`;
      break;
    }
    case 'UNKNOWN_METHOD': {
      details.method = methodNamedIn(failure) ?? spec.path;
      advice = `DingTalk does not know the method ${String(details.method)} (${spec.method} ${spec.path}). ${rule.advice}`;
      break;
    }
    case 'RATE_LIMITED':
      details.retryAfter = context.retryAfterSeconds ?? 1;
      advice = `DingTalk still throttled the call after waiting; try again in ${String(details.retryAfter)} s. If this keeps happening, lower the load or raise the app's budget (dingtalk.qps) only if DingTalk granted more.`;
      break;
    case 'IP_BANNED':
      details.retryAfter = failure.kind === 'ipBanned' && failure.waitMinutes ? Math.ceil(failure.waitMinutes * 60) : 300;
      break;
    default:
      break;
  }
  const retried = context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
  const message = `DingTalk call ${spec.name} (${spec.purpose}) failed${retried}: ${describe(failure)}.${advice ? ` ${advice}` : ''}`;
  return dingTalkError(rule.code, scrub(message, context.secrets), details);
}
