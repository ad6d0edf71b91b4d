/**
 * The dingtalk.js stand-in's own routes: what "the DingTalk client" needs to give a page a workbench
 * code, and nothing more (the admin routes, which can edit the org, take a token instead).
 * - `GET /standins/dd/members?corpId=…[&clientId=…]` -> `{corp: {corpId, name}, members: [{userid, name, external?}]}`
 *   (the "who are you?" chooser);
 * - `POST /standins/dd/auth-code` JSON `{corpId, clientId?, userid}` -> `{code}` (single use, 5 minutes).
 * Answered only to pages of an allowed origin (page-origins.ts), with CORS for that origin alone.
 * Errors come in JSAPI's failure shape `{errorCode, errorMessage}` (DingTalk's "JSAPI standard
 * input/output object"), which the stand-in passes to the page's fail callback.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParsedBody } from './http-io';
import { sendJson } from './http-io';
import type { Simulator } from './simulator';

export const STANDIN_API_PREFIX = '/standins/dd/';

/** A missing or bad parameter: DingTalk's client answered `{error: -1, errorMessage: "corpId is required"}`. */
const BAD_PARAMETER = -1;
/** DingTalk client error 3: no app of that corp serves this page's domain (docs/dingtalk-facts.md §4a). */
const NO_APP_FOR_PAGE = 3;

export function handleStandinApi(sim: Simulator, req: IncomingMessage, method: string, url: URL, body: ParsedBody, res: ServerResponse): void {
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  const allowed = origin !== undefined && sim.pageOrigins.allows(origin);
  const headers: Record<string, string> = allowed ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
  if (method === 'OPTIONS') {
    if (!allowed) return sendJson(res, 403, failure(NO_APP_FOR_PAGE, refusedOrigin(origin)), headers);
    res.writeHead(204, {
      ...headers,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
    });
    return void res.end();
  }
  if (!allowed) return sendJson(res, 403, failure(NO_APP_FOR_PAGE, refusedOrigin(origin)), headers);

  const route = `${method} ${url.pathname.slice(STANDIN_API_PREFIX.length)}`;
  const fields: Record<string, unknown> = route.startsWith('GET ') ? Object.fromEntries(url.searchParams) : body.fields;
  if (route !== 'GET members' && route !== 'POST auth-code')
    return sendJson(res, 404, failure(BAD_PARAMETER, `no stand-in route ${method} ${url.pathname}`), headers);
  if (route === 'POST auth-code' && body.kind !== 'json') return sendJson(res, 400, failure(BAD_PARAMETER, 'the body must be a JSON object'), headers);

  const corpId = text(fields.corpId);
  if (!corpId) return sendJson(res, 400, failure(BAD_PARAMETER, 'corpId is required'), headers);
  const corp = sim.directory.corp(corpId);
  if (!corp) return sendJson(res, 400, failure(NO_APP_FOR_PAGE, `no organisation ${corpId} in the simulator`), headers);
  const clientId = text(fields.clientId);
  if (clientId && !corp.apps.some((app) => app.appKey === clientId))
    return sendJson(res, 400, failure(NO_APP_FOR_PAGE, `organisation ${corpId} has no app with clientId ${clientId}`), headers);

  if (route === 'GET members') {
    const members = corp.users.map((u) => ({ userid: u.userid, name: u.name, ...(u.external ? { external: true } : {}) }));
    return sendJson(res, 200, { corp: { corpId: corp.corpId, name: corp.name }, members }, headers);
  }
  const userid = text(fields.userid);
  if (!userid || !sim.directory.member(corpId, userid))
    return sendJson(res, 400, failure(BAD_PARAMETER, `no member ${JSON.stringify(userid ?? '')} in organisation ${corpId}`), headers);
  sendJson(res, 200, { code: sim.mintWorkbenchCode(corpId, userid) }, headers);
}

function failure(errorCode: number, errorMessage: string): { errorCode: number; errorMessage: string } {
  return { errorCode, errorMessage };
}

function refusedOrigin(origin: string | undefined): string {
  return `this page (origin ${origin ?? 'unknown'}) is no app's home page in the simulator; a loopback origin always is, others are added with pageOrigins / allowPageOrigin`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
