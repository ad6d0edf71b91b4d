/**
 * The pipeline every simulated DingTalk API call goes through, in the order a gateway would:
 * count -> latency and faults -> body checks -> token -> the per-app QPS limit -> permission -> the
 * route's handler -> the family's response shape (oapi: HTTP 200 + errcode, gateway refusals wrapped
 * in errcode 88; v1.0: HTTP status + {code, message, requestid}).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppEntry } from './directory';
import { ENDPOINT_PERMISSIONS } from './endpoints';
import { GatewayFailure, OapiFailure, V1Failure, gatewayFailures, v1Failures, v1PermissionDenied } from './failures';
import type { FailureKind } from './faults';
import { type ParsedBody, newRequestId, sendJson, sendText } from './http-io';
import type { Simulator } from './simulator';
import type { UserTokenRecord } from './tokens';
import type { SimEndpoint } from './types';

export type ApiFamily = 'oapi' | 'v1';

export interface ApiRequest {
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: ParsedBody;
  /** The caller's address, for the IP-whitelist refusal's message. */
  clientAddress: string;
}

export interface ApiContext {
  sim: Simulator;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: ParsedBody;
  /** oapi: body fields over query parameters (the FAQ passes `code` in the query). v1.0: body fields. */
  params: Record<string, unknown>;
  /** The app whose token authenticated the call (auth 'appToken' / 'userToken'). */
  caller?: AppEntry;
  /** The user token of a `userToken` route. */
  userToken?: UserTokenRecord;
}

export interface ApiRoute {
  endpoint: SimEndpoint;
  family: ApiFamily;
  method: 'GET' | 'POST';
  path: string;
  /** 'credentials': the body carries appKey/appSecret and the handler checks them (and calls
   *  `requirePermission`); 'appToken': `?access_token=` app token; 'userToken': v1.0 header user token. */
  auth: 'credentials' | 'appToken' | 'userToken';
  /** 'credentials' routes: the parameter naming the calling app (its appKey), which the QPS limit
   *  counts against before the credentials are checked, as a gateway keyed by appKey would. */
  appKeyParam?: string;
  /** oapi: fields merged into `{errcode:0, errmsg:'ok', ...}`; v1.0: the whole body. */
  handle(ctx: ApiContext): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** Throws the family's permission error when the app lacks the endpoint's permission. */
export function requirePermission(entry: AppEntry, route: Pick<ApiRoute, 'endpoint' | 'family'>): void {
  const needed = ENDPOINT_PERMISSIONS[route.endpoint];
  if (!hasPermission(entry, needed)) throw permissionFailure(route, needed);
}

export function hasPermission(entry: AppEntry, permission: string): boolean {
  return entry.app.permissions === undefined || entry.app.permissions.includes(permission);
}

export async function handleApiCall(route: ApiRoute, sim: Simulator, request: ApiRequest, res: ServerResponse): Promise<void> {
  sim.calls.increment(route.endpoint);
  sim.rates.recordCall(route.endpoint);
  const outcome = sim.faults.roll(route.endpoint);
  const delay = sim.latencyMs + outcome.latencyMs;
  if (delay > 0) await sleep(delay);

  const requestId = newRequestId();
  const isTopapi = route.path.startsWith('/topapi/');
  try {
    if (outcome.failure === 'http500') return sendGateway500(res, requestId);
    if (outcome.failure) throw faultFailure(outcome.failure, route, request.clientAddress);
    const ctx = authenticate(route, sim, request);
    const appKey = ctx.caller?.app.appKey ?? claimedApp(route, ctx);
    if (appKey !== undefined) {
      sim.rates.recordAppCall(appKey, route.endpoint);
      if (!sim.qpsLimit.admit(appKey, route.endpoint)) {
        sim.rates.recordRejection(route.endpoint);
        throw route.family === 'oapi' ? gatewayFailures.qpsLimit() : v1Failures.qpsLimit();
      }
    }
    if (ctx.caller) requirePermission(ctx.caller, route);
    const body = await route.handle(ctx);
    if (route.family === 'oapi') sendJson(res, 200, { errcode: 0, errmsg: 'ok', ...body, ...(isTopapi ? { request_id: requestId } : {}) });
    else sendJson(res, 200, body, v1Headers(requestId));
  } catch (err) {
    if (err instanceof GatewayFailure) sendJson(res, 200, err.body(requestId));
    else if (err instanceof OapiFailure) sendJson(res, 200, { errcode: err.errcode, errmsg: err.errmsg, ...(isTopapi ? { request_id: requestId } : {}) });
    else if (err instanceof V1Failure) sendV1Failure(res, err, requestId);
    else throw err;
  }
}

export function sendV1Failure(res: ServerResponse, failure: V1Failure, requestId = newRequestId()): void {
  sendJson(res, failure.status, { code: failure.code, message: failure.message, requestid: requestId, ...failure.extra }, v1Headers(requestId));
}

function authenticate(route: ApiRoute, sim: Simulator, request: ApiRequest): ApiContext {
  const { body, query, headers } = request;
  if (route.family === 'oapi' && route.method === 'POST') {
    // topapi accepts JSON or form bodies (docs/dingtalk-facts.md §8); another content type is 43004.
    if (body.kind === 'unsupported') throw new OapiFailure(43004);
    if (body.kind === 'invalid') throw new OapiFailure(400002);
  }
  const params = route.family === 'oapi' ? { ...Object.fromEntries(query), ...body.fields } : body.fields;
  const ctx: ApiContext = { sim, query, headers, body, params };

  if (route.auth === 'appToken') {
    // The gateway refuses a token before the API runs: errcode 88 with sub_code 40000 / 40014 (§7a).
    // An expired token is 40014 too: the doc calls 40014 the answer for expired tokens as well (§7c).
    const raw = query.get('access_token');
    if (raw === null || raw.trim() === '') throw gatewayFailures.blankToken();
    const found = sim.tokens.lookup(raw);
    if (found.status !== 'valid' || found.record.kind !== 'app') throw gatewayFailures.invalidToken();
    ctx.caller = sim.directory.app(found.record.appKey);
    if (!ctx.caller) throw gatewayFailures.invalidToken();
  } else if (route.auth === 'userToken') {
    const header = headers['x-acs-dingtalk-access-token'];
    if (header === undefined) throw v1Failures.missingAccessToken();
    const found = sim.tokens.lookup(typeof header === 'string' ? header : undefined);
    if (found.status !== 'valid') throw v1Failures.invalidAuthentication();
    // An app token where a user token belongs: DingTalk answers "no permission", not "invalid".
    if (found.record.kind !== 'user') throw v1PermissionDenied();
    ctx.userToken = found.record;
    ctx.caller = sim.directory.app(found.record.appKey);
    if (!ctx.caller) throw v1Failures.invalidAuthentication();
  }
  return ctx;
}

/** The known app a credentials call names (its appKey / clientId), before the secret is checked. */
function claimedApp(route: ApiRoute, ctx: ApiContext): string | undefined {
  const value = route.appKeyParam === undefined ? undefined : ctx.params[route.appKeyParam];
  return typeof value === 'string' && ctx.sim.directory.app(value) ? value : undefined;
}

function permissionFailure(route: Pick<ApiRoute, 'endpoint' | 'family'>, permission: string): Error {
  return route.family === 'oapi' ? gatewayFailures.permissionDenied(permission) : v1PermissionDenied(permission);
}

function faultFailure(kind: Exclude<FailureKind, 'http500'>, route: ApiRoute, clientAddress: string): Error {
  const oapi = route.family === 'oapi';
  switch (kind) {
    case 'busy':
      return oapi ? new OapiFailure(-1) : v1Failures.unknownError();
    case 'qps':
      return oapi ? gatewayFailures.qpsLimit() : v1Failures.qpsLimit();
    case 'globalQps':
      return oapi ? gatewayFailures.globalQpsLimit() : v1Failures.globalQpsLimit();
    case 'permission':
      return permissionFailure(route, ENDPOINT_PERMISSIONS[route.endpoint]);
    case 'ipWhitelist':
      return oapi ? gatewayFailures.ipNotWhitelisted(clientAddress) : v1Failures.ipNotWhitelisted(clientAddress);
  }
}

/** A gateway failure: an HTML error page, not an API body, as a load balancer would send. */
function sendGateway500(res: ServerResponse, requestId: string): void {
  sendText(res, 500, 'text/html; charset=utf-8', '<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>', {
    'x-acs-request-id': requestId,
  });
}

function v1Headers(requestId: string): Record<string, string> {
  return { 'x-acs-request-id': requestId, 'x-acs-trace-id': requestId.replace(/-/g, '').toLowerCase() };
}
