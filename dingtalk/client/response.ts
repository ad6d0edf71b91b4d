/**
 * Turns one HTTP outcome into either a success body or a DingTalkFailure: the raw facts of what
 * went wrong, in the shape of the API family that answered (docs/dingtalk-facts.md §7). What a failure
 * *means* (retry? which JitError?) is decided in errors.ts, from these facts alone.
 */
import { isObject, toNumber, toText } from './parse';
import type { ApiFamily } from './calls';
import type { HttpOutcome } from './transport';

export type DingTalkFailure =
  /** No HTTP answer: timeout, refused, reset, DNS. */
  | { kind: 'transport'; reason: 'timeout' | 'connection'; errorCode?: string }
  /**
   * oapi error: usually HTTP 200 with errcode != 0. `code` is what happened: the errcode, or for the
   * topapi gateway's wrapper (errcode 88) the real code it carries (see realCode).
   */
  | { kind: 'oapi'; status: number; errcode: number; code: number; errmsg: string; requestId?: string; subCode?: string; subMsg?: string }
  /** v1.0 error: HTTP 4xx/5xx with {code, message, requestid}. */
  | { kind: 'v1'; status: number; code: string; message: string; requestId?: string; requiredScopes?: string[] }
  /** A non-2xx answer without a DingTalk error body (a gateway page, an empty body). */
  | { kind: 'http'; status: number }
  /** The per-IP flood ban (10,000 calls / 20 s, then 5 minutes): `{status:1111, wait:5, punish:"deny"}`. */
  | { kind: 'ipBanned'; status: number; waitMinutes?: number }
  /** A success status whose body lacks what the call needs. */
  | { kind: 'unexpectedBody'; status: number; field: string };

export type Interpreted = { ok: true; status: number; body: unknown } | { ok: false; failure: DingTalkFailure };

export function interpretResponse(family: ApiFamily, outcome: HttpOutcome): Interpreted {
  if (outcome.kind === 'transport') {
    return { ok: false, failure: { kind: 'transport', reason: outcome.reason, errorCode: outcome.errorCode } };
  }
  const { status, data } = outcome;
  if (isObject(data) && (data.punish !== undefined || toNumber(data.status) === 1111)) {
    return { ok: false, failure: { kind: 'ipBanned', status, waitMinutes: toNumber(data.wait) } };
  }
  const failure = family === 'oapi' ? oapiFailure(status, data) : v1Failure(status, data);
  return failure ? { ok: false, failure } : { ok: true, status, body: data };
}

function oapiFailure(status: number, data: unknown): DingTalkFailure | undefined {
  const errcode = isObject(data) ? toNumber(data.errcode) : undefined;
  if (isObject(data) && errcode !== undefined && errcode !== 0) {
    const errmsg = toText(data.errmsg) ?? '';
    const subCode = toText(data.sub_code) ?? toText(data.subCode);
    return {
      kind: 'oapi', status, errcode,
      code: realCode(errcode, subCode, errmsg),
      errmsg,
      requestId: toText(data.request_id) ?? toText(data.requestId),
      subCode,
      subMsg: toText(data.sub_msg) ?? toText(data.subMsg),
    };
  }
  return status >= 200 && status < 300 ? undefined : { kind: 'http', status };
}

/** The topapi gateway's wrapper errcode: the real code is in `sub_code` (docs/dingtalk-facts.md §7a). */
export const GATEWAY_WRAPPER_ERRCODE = 88;

/**
 * The code that says what happened. The topapi gateway wraps token and throttling errors (and a few
 * others) as errcode 88 with the real code in `sub_code` ("40014", "90018", "60011", ...) and again
 * in errmsg (`ding talk error[subcode=40014,submsg=...]`). 88 alone means nothing: classify by the
 * sub code, from `sub_code`, else from errmsg; a wrapper that names none stays 88 (an unknown error).
 */
export function realCode(errcode: number, subCode: string | undefined, errmsg: string): number {
  if (errcode !== GATEWAY_WRAPPER_ERRCODE) return errcode;
  const fromField = subCode !== undefined && /^-?\d+$/.test(subCode.trim()) ? Number(subCode.trim()) : undefined;
  if (fromField !== undefined) return fromField;
  const fromText = /sub_?code\s*[=:]\s*"?(-?\d+)/i.exec(errmsg);
  return fromText ? Number(fromText[1]) : errcode;
}

function v1Failure(status: number, data: unknown): DingTalkFailure | undefined {
  if (status >= 200 && status < 300) return undefined;
  const code = isObject(data) ? toText(data.code) : undefined;
  if (!isObject(data) || code === undefined) return { kind: 'http', status };
  const detail = isObject(data.accessdenieddetail) ? data.accessdenieddetail : undefined;
  const scopes = detail && Array.isArray(detail.requiredScopes) ? detail.requiredScopes.filter((s): s is string => typeof s === 'string') : undefined;
  return {
    kind: 'v1', status, code,
    message: toText(data.message) ?? '',
    requestId: toText(data.requestid) ?? toText(data.requestId),
    requiredScopes: scopes && scopes.length > 0 ? scopes : undefined,
  };
}
