/**
 * The pipeline every simulated DingTalk API call goes through, in the order a gateway would:
 * count -> latency and faults -> body checks -> token -> permission -> the route's handler -> the
 * family's response shape (oapi: HTTP 200 + errcode; v1.0: HTTP status + {code, message, requestid}).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppEntry } from './directory';
import { ENDPOINT_PERMISSIONS } from './endpoints';
import { OapiFailure, V1Failure, oapiPermissionDenied, v1Failures, v1PermissionDenied } from './failures';
import type { FailureKind } from './faults';
import { type ParsedBody, newRequestId, sendJson, sendText } from './http-io';
import type { Simulator } from './simulator';
import type { UserTokenRecord } from './tokens';
import type { SimEndpoint } from './types';

export type ApiFamily = 'oapi' | 'v1';

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
  /** oapi: fields merged into `{errcode:0, errmsg:'ok', ...}`; v1.0: the whole body. */
  handle(ctx: ApiContext): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** Throws the family's permission error when the app lacks the endpoint's permission. */
export function requirePermission(entry: AppEntry, route: Pick<ApiRoute, 'endpoint' | 'family'>): void {
  const needed = ENDPOINT_PERMISSIONS[route.endpoint];
  if (!hasPermission(entry, needed)) throw route.family === 'oapi' ? oapiPermissionDenied(needed) : v1PermissionDenied(needed);
}

export function hasPermission(entry: AppEntry, permission: string): boolean {
  return entry.app.permissions === undefined || entry.app.permissions.includes(permission);
}

export async function handleApiCall(
  route: ApiRoute,
  sim: Simulator,
  request: { query: URLSearchParams; headers: IncomingHttpHeaders; body: ParsedBody },
  res: ServerResponse,
): Promise<void> {
  sim.calls.increment(route.endpoint);
  const outcome = sim.faults.roll(route.endpoint);
  const delay = sim.latencyMs + outcome.latencyMs;
  if (delay > 0) await sleep(delay);

  const requestId = newRequestId();
  const isTopapi = route.path.startsWith('/topapi/');
  try {
    if (outcome.failure === 'http500') return sendGateway500(res, requestId);
    if (outcome.failure) throw faultFailure(outcome.failure, route.family);
    const ctx = authenticate(route, sim, request);
    const body = await route.handle(ctx);
    if (route.family === 'oapi') sendJson(res, 200, { errcode: 0, errmsg: 'ok', ...body, ...(isTopapi ? { request_id: requestId } : {}) });
    else sendJson(res, 200, body, v1Headers(requestId));
  } catch (err) {
    if (err instanceof OapiFailure) sendJson(res, 200, { errcode: err.errcode, errmsg: err.errmsg, ...(isTopapi ? { request_id: requestId } : {}) });
    else if (err instanceof V1Failure) sendV1Failure(res, err, requestId);
    else throw err;
  }
}

export function sendV1Failure(res: ServerResponse, failure: V1Failure, requestId = newRequestId()): void {
  sendJson(res, failure.status, { code: failure.code, message: failure.message, requestid: requestId, ...failure.extra }, v1Headers(requestId));
}

function authenticate(route: ApiRoute, sim: Simulator, request: { query: URLSearchParams; headers: IncomingHttpHeaders; body: ParsedBody }): ApiContext {
  const { body, query, headers } = request;
  if (route.family === 'oapi' && route.method === 'POST') {
    // topapi accepts JSON or form bodies (dingtalk-api.md §8); another content type is 43004.
    if (body.kind === 'unsupported') throw new OapiFailure(43004);
    if (body.kind === 'invalid') throw new OapiFailure(400002);
  }
  const params = route.family === 'oapi' ? { ...Object.fromEntries(query), ...body.fields } : body.fields;
  const ctx: ApiContext = { sim, query, headers, body, params };

  if (route.auth === 'appToken') {
    const found = sim.tokens.lookup(query.get('access_token'));
    if (found.status === 'unknown' || found.record.kind !== 'app') throw new OapiFailure(40014);
    if (found.status === 'expired') throw new OapiFailure(42001);
    ctx.caller = sim.directory.app(found.record.appKey);
    if (!ctx.caller) throw new OapiFailure(40014);
    requirePermission(ctx.caller, route);
  } else if (route.auth === 'userToken') {
    const header = headers['x-acs-dingtalk-access-token'];
    const found = sim.tokens.lookup(typeof header === 'string' ? header : undefined);
    if (found.status !== 'valid') throw v1Failures.invalidAuthentication();
    // An app token where a user token belongs: DingTalk answers "no permission", not "invalid".
    if (found.record.kind !== 'user') throw v1PermissionDenied();
    ctx.userToken = found.record;
    ctx.caller = sim.directory.app(found.record.appKey);
    if (!ctx.caller) throw v1Failures.invalidAuthentication();
    requirePermission(ctx.caller, route);
  }
  return ctx;
}

function faultFailure(kind: Exclude<FailureKind, 'http500'>, family: ApiFamily): Error {
  if (kind === 'busy') return family === 'oapi' ? new OapiFailure(-1) : v1Failures.unknownError();
  return family === 'oapi' ? new OapiFailure(90018) : v1Failures.qpsLimit();
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
