/**
 * Logs DingTalk members in over real HTTP, the way the pages do: the workbench flow (a 免登 code from
 * the simulator -> loginByWorkbench) and the QR flow (getLoginConfig for a state -> the person
 * "scans" in the simulator -> getLoginCode). Every request has a bound: a login that does not answer
 * within `timeoutMs` is reported as TIMEOUT, never awaited for ever.
 */
import type { SimCorp, SimOrgUser } from '../../sim/types';
import { CookieJar } from './cookie-jar';
import { AUTH_SERVICE, functionPath } from './login-app';

export type LoginKind = 'workbench' | 'qr';

/** What mints codes: the in-process SimulatorHandle (sync) or a SimulatorClient (async). */
export interface CodeMinter {
  mintWorkbenchCode(corpId: string, userid: string): string | Promise<string>;
  mintQrCode(appKey: string, unionid: string, options?: { corpId?: string }): string | Promise<string>;
}

export interface LoginTarget {
  corp: SimCorp;
  /** fullName of the corp's DDInnerType instance. */
  instance: string;
  /** Whether the instance asks for `openid corpid` (the QR code then carries the corp picked). */
  corpScope?: boolean;
}

export interface LoginOutcome {
  kind: LoginKind;
  userid: string;
  ok: boolean;
  /** HTTP status of the answer that decided the outcome; 0 when there was none. */
  status: number;
  /** The error code of a failure: the envelope's, or TIMEOUT / NETWORK_ERROR / NOT_JSON. */
  code?: string;
  /** The local user id of a success. */
  userId?: string;
  token?: string;
  binding?: string;
  /** When the login started and ended (Date.now()), to tell which logins spanned an event. */
  startedAt: number;
  endedAt: number;
}

/** Client-side codes for failures the host never answered. */
export const CLIENT_FAILURES = ['TIMEOUT', 'NETWORK_ERROR', 'NOT_JSON'] as const;

export interface LoginDriver {
  login(baseUrl: string, member: SimOrgUser, kind: LoginKind, headers?: Record<string, string>): Promise<LoginOutcome>;
}

export function createLoginDriver(minter: CodeMinter, target: LoginTarget, options: { timeoutMs: number }): LoginDriver {
  const app = target.corp.apps[0];
  const post = (baseUrl: string, urlPath: string, json: unknown, headers: Record<string, string>, jar?: CookieJar) => postJson(baseUrl + urlPath, json, headers, options.timeoutMs, jar);

  return {
    async login(baseUrl, member, kind, headers = {}) {
      const startedAt = Date.now();
      const fail = (status: number, code: string): LoginOutcome => ({ kind, userid: member.userid, ok: false, status, code, startedAt, endedAt: Date.now() });
      let answer: JsonAnswer;
      if (kind === 'workbench') {
        const authCode = await minter.mintWorkbenchCode(target.corp.corpId, member.userid);
        answer = await post(baseUrl, functionPath(AUTH_SERVICE, 'loginByWorkbench'), { corpId: target.corp.corpId, authCode, platform: 'mobile' }, headers);
      } else {
        // One browser per login: the state is bound to its browser key cookie.
        const browser = new CookieJar();
        const config = await post(baseUrl, functionPath(target.instance, 'getLoginConfig'), {}, headers, browser);
        if (!config.ok) return fail(config.status, config.code);
        const state = (config.data as { state?: unknown }).state;
        if (typeof state !== 'string') return fail(config.status, 'NO_STATE');
        const code = await minter.mintQrCode(app.appKey, member.unionid, target.corpScope ? { corpId: target.corp.corpId } : {});
        answer = await post(baseUrl, functionPath(target.instance, 'getLoginCode'), { code, loginType: 'qr', platform: 'web', state }, headers, browser);
      }
      if (!answer.ok) return fail(answer.status, answer.code);
      const data = answer.data as { status?: string; userId?: string; token?: string; binding?: string };
      if (data.status !== 'LOGGED_IN') return fail(answer.status, `UNEXPECTED_${String(data.status)}`);
      const done = { startedAt, endedAt: Date.now() };
      return { kind, userid: member.userid, ok: true, status: answer.status, userId: data.userId, token: data.token, binding: data.binding, ...done };
    },
  };
}

export type JsonAnswer = { ok: true; status: number; data: unknown } | { ok: false; status: number; code: string };

/**
 * POSTs JSON and reads the envelope; never throws and never waits past `timeoutMs`. With a cookie
 * jar, sends its cookies and keeps those the answer sets (a browser's, for flows bound to one).
 */
export async function postJson(url: string, json: unknown, headers: Record<string, string>, timeoutMs: number, jar?: CookieJar): Promise<JsonAnswer> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(jar ? jar.headers(headers) : headers) },
      body: JSON.stringify(json),
      signal: AbortSignal.timeout(timeoutMs),
    });
    jar?.take(res.headers);
    text = await res.text();
  } catch (err) {
    const name = (err as Error)?.name;
    return { ok: false, status: 0, code: name === 'TimeoutError' || name === 'AbortError' ? 'TIMEOUT' : 'NETWORK_ERROR' };
  }
  let body: { success?: boolean; data?: unknown; error?: { code?: unknown } };
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, status: res.status, code: 'NOT_JSON' };
  }
  if (res.ok && body.success === true) return { ok: true, status: res.status, data: body.data };
  return { ok: false, status: res.status, code: typeof body.error?.code === 'string' ? body.error.code : 'NO_ERROR_CODE' };
}

/** Runs `work` over `items` with at most `concurrency` in flight; results in input order. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Tallies outcomes: successes, and failures by code. */
export function tally(outcomes: readonly LoginOutcome[]): { total: number; succeeded: number; failedByCode: Record<string, number> } {
  const failedByCode: Record<string, number> = {};
  let succeeded = 0;
  for (const o of outcomes) {
    if (o.ok) succeeded += 1;
    else failedByCode[o.code ?? 'UNKNOWN'] = (failedByCode[o.code ?? 'UNKNOWN'] ?? 0) + 1;
  }
  return { total: outcomes.length, succeeded, failedByCode };
}
