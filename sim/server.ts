/**
 * The simulator's HTTP front door: one node:http server serving the oapi, api and login hosts from
 * one base URL (their paths do not collide), the admin routes (/__sim/, token or same-origin only),
 * the browser stand-ins (/standins/ and DingTalk's CDN script paths, login pages) and the dingtalk.js stand-in's own routes.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ADMIN_PREFIX, handleAdmin } from './admin';
import { type ApiRoute, handleApiCall, sendV1Failure } from './api';
import { unknownTopapiMethod, v1Failures } from './failures';
import { BodyTooLargeError, parseBody, readBody, sendJson } from './http-io';
import { handleLoginPage, isLoginPage } from './login-pages';
import { contactRoutes } from './routes/contact';
import { gettokenRoutes } from './routes/gettoken';
import { corpTokenRouteFor } from './routes/corp-token';
import { oauth2Routes } from './routes/oauth2';
import { identityRoutes } from './routes/topapi-identity';
import { orgRoutes } from './routes/topapi-org';
import type { Simulator } from './simulator';
import { STANDIN_API_PREFIX, handleStandinApi } from './standin-api';
import { STANDIN_PREFIX, handleStandin, isMirroredScriptPath } from './standin-scripts';
import { GATEWAY_OPEN_PATH, handleGatewayOpen } from './stream/gateway';

const API_ROUTES: ApiRoute[] = [...oauth2Routes, ...gettokenRoutes, ...contactRoutes, ...identityRoutes, ...orgRoutes];
const ROUTE_TABLE = new Map(API_ROUTES.map((r) => [`${r.method} ${r.path}`, r]));

export function createRequestListener(sim: Simulator): RequestListener {
  return (req, res) => {
    dispatch(sim, req, res).catch((err) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof BodyTooLargeError) return sendV1Failure(res, v1Failures.payloadTooLarge());
      sendJson(res, 500, { code: 'SimulatorError', message: (err as Error)?.message ?? String(err) });
    });
  };
}

async function dispatch(sim: Simulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.local');
  const method = (req.method ?? 'GET').toUpperCase();
  const { pathname } = url;

  if (pathname.startsWith(ADMIN_PREFIX)) {
    // Refused before the body is read or anything runs: a cross-site post changes nothing.
    const refusal = sim.admin.refusal(req);
    if (refusal) {
      req.resume();
      return sendJson(res, 403, { error: { code: 'FORBIDDEN', message: refusal } });
    }
  }
  const body = parseBody(req.headers['content-type'], await readBody(req));

  if (pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(sim, method, pathname, body, res);
  if (pathname.startsWith(STANDIN_API_PREFIX)) return handleStandinApi(sim, req, method, url, body, res);
  if (pathname.startsWith(STANDIN_PREFIX) || isMirroredScriptPath(pathname)) return handleStandin(method, pathname, res);
  if (isLoginPage(pathname)) return handleLoginPage(sim, method, url, body, res);
  if (pathname === GATEWAY_OPEN_PATH && method === 'POST') return handleGatewayOpen(sim, { query: url.searchParams, headers: req.headers, body, clientAddress: clientAddress(req) }, res);

  const route = ROUTE_TABLE.get(`${method} ${pathname}`) ?? corpTokenRouteFor(method, pathname);
  // The topapi gateway answers an unknown method itself: HTTP 200, errcode 22 (docs/dingtalk-facts.md §7a).
  if (!route && pathname.startsWith('/topapi/')) return sendJson(res, 200, unknownTopapiMethod(pathname));
  if (!route) return sendV1Failure(res, v1Failures.notFound());
  await handleApiCall(route, sim, { query: url.searchParams, headers: req.headers, body, clientAddress: clientAddress(req) }, res);
}

function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
