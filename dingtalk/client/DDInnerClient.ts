/**
 * DDInnerClient: the DingTalk API client of one DingTalk app (an enterprise internal app).
 * Works against real DingTalk unchanged (docs/dingtalk-facts.md); tests point `hosts` at the simulator.
 *
 * Each call goes: app token (token-cache.ts) -> a slot in the app's call budget (budget.ts) -> HTTP
 * (transport.ts) -> success or failure (response.ts) -> retry if the table says so (retry.ts,
 * errors.ts) -> typed result (parse.ts) or JitError. The token cache, the budget and the metrics
 * belong to the client's DingTalk runtime (dingtalk-runtime.ts): the loaded app's, or the client's own.
 */
import { JitError, LOGIN_ERRORS, type Logger } from '../../runtime/core';
import { normaliseDingTalkHosts, type DingTalkHosts } from '../hosts';
import { CALLS, type CallSpec } from './calls';
import { isThrottle, ruleFor, toJitError } from './errors';
import { createDingTalkRuntime, type DingTalkRuntime } from './dingtalk-runtime';
import { checkLane, DEFAULT_LANE, type DingTalkLane } from './lanes';
import type { CallOutcome } from './metrics';
import {
  UnexpectedBody, parseAppToken, parseCurrentUser, parseDepartment, parseDepartments, parseMember, parseMemberPage,
  parseUserIdByUnionId, parseUserToken, parseWorkbenchUserInfo,
} from './parse';
import { interpretResponse, type DingTalkFailure, type Interpreted } from './response';
import { resolveRetryPolicy, runWithRetry, type ResolvedRetryPolicy, type RetryPolicy, type RetryResult } from './retry';
import { tokenCacheKey, type FetchedToken, type TokenFetchCause } from './token-cache';
import { sendHttp, type HttpRequest } from './transport';
import type {
  DDCredentials, DDCurrentUser, DDDepartment, DDDepartmentDetail, DDInnerClientApi, DDMember, DDMemberPage, DDUserToken, DDWorkbenchUserInfo,
} from './types';

export interface DDInnerClientOptions {
  credentials: DDCredentials;
  /** Base URLs of DingTalk's hosts (DEFAULT_DINGTALK_HOSTS, the app's `dingTalkHostsOf(app)`, or the simulator's). */
  hosts: DingTalkHosts;
  /** Receives one debug line per HTTP exchange (call, status, ms, attempt); never a token. */
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Clock (ms) for app token lifetimes, default Date.now; tests move it along with the simulator's. */
  now?: () => number;
  /**
   * The token cache, budgets and metrics to share: the loaded app's (`dingTalkRuntimeOf(app)`) or one
   * of `createDingTalkRuntime()`. Omitted: the client gets one of its own and shares nothing.
   */
  runtime?: DingTalkRuntime;
  /** The app's budget per DingTalk API, calls per second (instance config `dingtalk.qps`; default 20, 60 on the paid tier). */
  qps?: number;
  /** The budget queue lane of this client's calls (default 'login'); `inLane()` gives a client in another. */
  lane?: DingTalkLane;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** DingTalk's page-size limit for topapi/v2/user/list. */
export const MAX_PAGE_SIZE = 100;

/**
 * User tokens are used within a login and never kept; they are masked in logs for this long after
 * they are seen, then forgotten, so the redactor does not grow with every login the process serves.
 */
const USER_TOKEN_REDACTION_MS = 10 * 60_000;

const APP_TOKEN_HEADER = 'x-acs-dingtalk-access-token';

interface CallInput {
  body?: unknown;
  /** The token to send: the app token or the person's user token, as the call's spec says. */
  token?: string;
}

export class DDInnerClient implements DDInnerClientApi {
  private readonly credentials: DDCredentials;
  private readonly hosts: DingTalkHosts;
  private readonly logger?: Logger;
  private readonly policy: ResolvedRetryPolicy;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly tokenKey: string;
  private readonly options: DDInnerClientOptions;
  /** The token cache, budgets and metrics this client shares (see DDInnerClientOptions.runtime). */
  readonly runtime: DingTalkRuntime;
  /** The budget lane this client's calls wait in. */
  readonly lane: DingTalkLane;

  constructor(options: DDInnerClientOptions) {
    const { appKey, appSecret } = options.credentials ?? ({} as Partial<DDCredentials>);
    requireOption(typeof appKey === 'string' && appKey.trim() !== '', 'credentials.appKey', 'a non-empty string');
    requireOption(typeof appSecret === 'string' && appSecret !== '', 'credentials.appSecret', 'a non-empty string');
    // An app's loader registered an instance's secret already (in the app's registry, which is this
    // runtime's); a library caller's secret is registered here, in the registry of its runtime.
    const runtime = options.runtime ?? createDingTalkRuntime({ logger: options.logger });
    if (!runtime.secrets.has(appSecret)) runtime.secrets.register(appSecret);
    for (const host of ['oapiUrl', 'apiUrl', 'loginUrl'] as const) {
      requireOption(typeof options.hosts?.[host] === 'string' && /^https?:\/\//.test(options.hosts[host]), `hosts.${host}`, 'an http(s) URL');
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    requireOption(Number.isFinite(timeoutMs) && timeoutMs > 0, 'timeoutMs', 'a number > 0');

    this.credentials = { appKey: appKey as string, appSecret: appSecret as string };
    this.hosts = normaliseDingTalkHosts(options.hosts);
    this.logger = options.logger;
    this.policy = resolveRetryPolicy(options.retry);
    this.timeoutMs = timeoutMs;
    this.now = options.now ?? Date.now;
    this.tokenKey = tokenCacheKey(this.hosts.apiUrl, this.credentials.appKey, this.credentials.appSecret);
    this.lane = checkLane(options.lane ?? DEFAULT_LANE);
    this.runtime = runtime;
    // Made (or its qps updated) now, so a bad dingtalk.qps fails here rather than on a login.
    this.runtime.budgetFor(this.credentials.appKey, options.qps);
    this.options = { ...options, runtime: this.runtime };
  }

  /** The same client (credentials, runtime: tokens and budget) with its calls in another budget lane. */
  inLane(lane: DingTalkLane): DDInnerClient {
    if (lane === this.lane) return this;
    return new DDInnerClient({ ...this.options, lane });
  }

  /** The app key this client calls as (safe to show). */
  get appKey(): string {
    return this.credentials.appKey;
  }

  async getAppAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    return this.runtime.tokens.get(this.tokenKey, (cause) => this.fetchAppToken(cause), this.now, options);
  }

  async getUserAccessToken(authCode: string): Promise<DDUserToken> {
    requireCode(authCode, CALLS.userAccessToken);
    const token = await this.call(CALLS.userAccessToken, {
      body: { clientId: this.credentials.appKey, clientSecret: this.credentials.appSecret, code: authCode, grantType: 'authorization_code' },
    }, parseUserToken);
    this.registerShortLivedSecret(token.accessToken);
    this.registerShortLivedSecret(token.refreshToken);
    return token;
  }

  async getCurrentUser(userAccessToken: string): Promise<DDCurrentUser> {
    requireArgument(typeof userAccessToken === 'string' && userAccessToken !== '', CALLS.currentUser, 'the user access token', 'a non-empty string', 'AUTH_CODE_INVALID');
    this.registerShortLivedSecret(userAccessToken);
    return this.call(CALLS.currentUser, { token: userAccessToken }, parseCurrentUser);
  }

  async getUserIdByUnionId(unionId: string): Promise<string> {
    requireArgument(typeof unionId === 'string' && unionId !== '', CALLS.userIdByUnionId, 'unionId', 'a non-empty string');
    return this.callWithAppToken(CALLS.userIdByUnionId, { unionid: unionId }, parseUserIdByUnionId);
  }

  async getUserInfoByWorkbenchCode(code: string): Promise<DDWorkbenchUserInfo> {
    requireCode(code, CALLS.workbenchUserInfo);
    return this.callWithAppToken(CALLS.workbenchUserInfo, { code }, parseWorkbenchUserInfo);
  }

  async getMember(userId: string): Promise<DDMember> {
    requireArgument(typeof userId === 'string' && userId !== '', CALLS.member, 'userId', 'a non-empty string');
    return this.callWithAppToken(CALLS.member, { userid: userId }, parseMember);
  }

  async listSubDepartments(deptId: number): Promise<DDDepartment[]> {
    requireArgument(Number.isInteger(deptId) && deptId >= 1, CALLS.subDepartments, 'deptId', 'an integer >= 1 (the root is 1)');
    return this.callWithAppToken(CALLS.subDepartments, { dept_id: deptId }, parseDepartments);
  }

  async getDepartment(deptId: number): Promise<DDDepartmentDetail> {
    requireArgument(Number.isInteger(deptId) && deptId >= 1, CALLS.department, 'deptId', 'an integer >= 1 (the root is 1)');
    return this.callWithAppToken(CALLS.department, { dept_id: deptId }, parseDepartment);
  }

  async listDepartmentMembers(deptId: number, cursor: number, size: number): Promise<DDMemberPage> {
    const spec = CALLS.departmentMembers;
    requireArgument(Number.isInteger(deptId) && deptId >= 1, spec, 'deptId', 'an integer >= 1 (the root is 1)');
    requireArgument(Number.isInteger(cursor) && cursor >= 0, spec, 'cursor', 'an integer >= 0 (0, then next_cursor)');
    requireArgument(Number.isInteger(size) && size >= 1 && size <= MAX_PAGE_SIZE, spec, 'size', `an integer in 1..${MAX_PAGE_SIZE}`);
    return this.callWithAppToken(spec, { dept_id: deptId, cursor, size }, parseMemberPage);
  }

  // ---- plumbing ----

  private async fetchAppToken(cause: TokenFetchCause): Promise<FetchedToken> {
    this.runtime.metrics.record({ type: 'tokenFetch', appKey: this.credentials.appKey, cause });
    const fetched = await this.call(CALLS.appAccessToken, {
      body: { appKey: this.credentials.appKey, appSecret: this.credentials.appSecret },
    }, parseAppToken);
    this.runtime.secrets.register(fetched.accessToken);
    return fetched;
  }

  /** A call without the app token (token endpoints, or the user token's own call). */
  private async call<T>(spec: CallSpec, input: CallInput, parse: (body: unknown) => T): Promise<T> {
    const result = await this.withRetries(spec, input, parse);
    if (!result.ok) throw this.finalError(result.failure, spec, result.attempts);
    return result.value;
  }

  /** A call with the app token: when DingTalk refuses the token, drop it, fetch a new one and retry once. */
  private async callWithAppToken<T>(spec: CallSpec, body: unknown, parse: (body: unknown) => T): Promise<T> {
    const token = await this.getAppAccessToken();
    const first = await this.withRetries(spec, { body, token }, parse);
    if (first.ok) return first.value;
    if (!ruleFor(first.failure, spec).tokenRejected) throw this.finalError(first.failure, spec, first.attempts);

    // Only a token error (40014/42001/40001/40000, wrapped in 88 or not) gets here, never a throttle.
    this.logger?.debug('dingtalk app token refused; fetching a new one', { call: spec.name });
    this.runtime.tokens.invalidate(this.tokenKey, token);
    const freshToken = await this.getAppAccessToken();
    const second = await this.withRetries(spec, { body, token: freshToken }, parse);
    if (second.ok) return second.value;
    throw this.finalError(second.failure, spec, first.attempts + second.attempts);
  }

  private finalError(failure: DingTalkFailure, spec: CallSpec, attempts: number) {
    return toJitError(failure, spec, { attempts, retryAfterSeconds: Math.max(1, Math.ceil(this.policy.rateLimitDelayMs / 1000)), secrets: this.runtime.secrets });
  }

  /** A user token: masked while it is in use, then forgotten, so the registry does not grow with every login. */
  private registerShortLivedSecret(value: string): void {
    if (!value) return;
    const secrets = this.runtime.secrets;
    secrets.register(value);
    setTimeout(() => secrets.forget(value), USER_TOKEN_REDACTION_MS).unref();
  }

  private withRetries<T>(spec: CallSpec, input: CallInput, parse: (body: unknown) => T): Promise<RetryResult<T, DingTalkFailure>> {
    return runWithRetry<T, DingTalkFailure>(this.policy, async (attempt) => {
      const { interpreted, waitMs, durationMs } = await this.exchange(spec, input, attempt);
      const record = (outcome: CallOutcome) => this.runtime.metrics.record({
        type: 'call', appKey: this.credentials.appKey, api: spec.name, lane: this.lane, outcome, attempt, waitMs, durationMs,
      });
      if (!interpreted.ok) {
        const rule = ruleFor(interpreted.failure, spec);
        record(rule.reason);
        // DingTalk throttled this API despite the budget (another client of the app, or its own
        // count): hold every call of it for one window, not just this one. The token is not touched.
        if (isThrottle(interpreted.failure, spec)) {
          this.runtime.budgetFor(this.credentials.appKey).pause(spec.name, this.policy.rateLimitDelayMs).catch(() => undefined);
        }
        return { ok: false, failure: interpreted.failure, retry: rule.retry };
      }
      try {
        const value = parse(interpreted.body);
        record('ok');
        return { ok: true, value };
      } catch (error) {
        if (!(error instanceof UnexpectedBody)) throw error;
        record('UNEXPECTED_RESPONSE');
        return { ok: false, failure: { kind: 'unexpectedBody', status: interpreted.status, field: error.field } };
      }
    }, {
      onRetry: ({ attempt, delayMs, kind }) => this.logger?.debug('dingtalk retry', { call: spec.name, attempt, delayMs: Math.round(delayMs), kind }),
    });
  }

  /**
   * One HTTP exchange after a slot in the app's budget, logged (path only: the query may hold the
   * token). A call the budget refuses throws DINGTALK_RATE_LIMITED (BUDGET_EXHAUSTED) from here, unretried.
   */
  private async exchange(spec: CallSpec, input: CallInput, attempt: number): Promise<{ interpreted: Interpreted; waitMs: number; durationMs: number }> {
    const waitMs = await this.runtime.slot(this.credentials.appKey, spec.name, this.lane);
    const request: HttpRequest = {
      method: spec.method,
      baseUrl: spec.family === 'oapi' ? this.hosts.oapiUrl : this.hosts.apiUrl,
      path: spec.path,
      body: input.body,
      timeoutMs: this.timeoutMs,
    };
    if (input.token !== undefined) {
      if (spec.family === 'oapi') request.query = { access_token: input.token };
      else request.headers = { [APP_TOKEN_HEADER]: input.token };
    }
    const started = performance.now();
    const outcome = await sendHttp(request);
    const interpreted = interpretResponse(spec.family, outcome);
    const durationMs = performance.now() - started;
    this.logger?.debug('dingtalk call', {
      call: spec.name,
      method: spec.method,
      path: spec.path,
      status: outcome.kind === 'response' ? outcome.status : outcome.reason,
      ms: Math.round(durationMs),
      attempt,
      ...(waitMs > 0 ? { waitedMs: Math.round(waitMs) } : {}),
      ...(interpreted.ok ? {} : failureFields(interpreted.failure)),
    });
    return { interpreted, waitMs, durationMs };
  }
}

/** The DingTalk code of a failure, for the debug line. */
function failureFields(failure: DingTalkFailure): Record<string, unknown> {
  if (failure.kind === 'oapi') return failure.code !== failure.errcode ? { errcode: failure.errcode, subCode: failure.code } : { errcode: failure.errcode };
  if (failure.kind === 'v1') return { code: failure.code };
  if (failure.kind === 'transport' && failure.errorCode) return { error: failure.errorCode };
  return { failure: failure.kind };
}

function requireOption(ok: boolean, field: string, rule: string): void {
  if (!ok) throw new JitError('CONFIG_INVALID', `DingTalk client option ${field} must be ${rule}`);
}

function requireArgument(ok: boolean, spec: CallSpec, name: string, rule: string, code: 'BAD_REQUEST' | 'AUTH_CODE_INVALID' = 'BAD_REQUEST'): void {
  if (ok) return;
  const message = `DingTalk call ${spec.name} (${spec.purpose}): ${name} must be ${rule}`;
  throw code === 'BAD_REQUEST' ? new JitError(code, message, { call: spec.name }) : LOGIN_ERRORS.error(code, message, { call: spec.name });
}

/** An empty code can never be exchanged; say so as DingTalk would (41026 missing code), without a call. */
function requireCode(code: unknown, spec: CallSpec): void {
  requireArgument(typeof code === 'string' && code.trim() !== '', spec, 'the code', 'a non-empty string', 'AUTH_CODE_INVALID');
}
