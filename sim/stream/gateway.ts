/**
 * Step 1 of Stream mode (docs/dingtalk-facts.md §12): `POST /v1.0/gateway/connections/open` on the api
 * host. No access token: the body carries the app's clientId/clientSecret and what the connection
 * subscribes to; the answer is `{endpoint, ticket}` (the ticket: 90 s, one connection). Goes through
 * the same pipeline as every API call (counters, latency, faults, v1.0 error shape).
 *
 * Without `Accept: application/json` DingTalk answers in XML (the Node SDK's note, §1a); the simulator
 * does the same, so a client that forgets the header fails here as it would in production.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { type ApiContext, type ApiRoute, handleApiCall } from '../api';
import { v1Failures } from '../failures';
import { type ParsedBody, escapeHtml } from '../http-io';
import type { Simulator } from '../simulator';

export const GATEWAY_OPEN_PATH = '/v1.0/gateway/connections/open';
/** Where the simulator's WebSocket endpoint listens (DingTalk's example endpoint ends in /connect). */
export const STREAM_CONNECT_PATH = '/connect';

const SUBSCRIPTION_TYPES = ['EVENT', 'CALLBACK'];

export const openConnectionRoute: ApiRoute = {
  endpoint: 'gateway/connections/open',
  family: 'v1',
  method: 'POST',
  path: GATEWAY_OPEN_PATH,
  auth: 'credentials',
  handle(ctx) {
    if (ctx.body.kind !== 'json') throw v1Failures.missingBody();
    const clientId = requiredString(ctx, 'clientId');
    const clientSecret = requiredString(ctx, 'clientSecret');
    checkSubscriptions(ctx.params.subscriptions);
    const ua = optionalString(ctx, 'ua');
    const localIp = optionalString(ctx, 'localIp');
    const entry = ctx.sim.directory.appByCredentials(clientId, clientSecret);
    if (!entry) throw v1Failures.invalidClient();
    // No console permission is documented for Stream mode itself (the events are ticked in the console).
    const ticket = ctx.sim.stream.tickets.issue({ appKey: entry.app.appKey, corpId: entry.corp.corpId, ua, localIp });
    ctx.sim.stream.countTicket('issued');
    return { endpoint: `ws://${hostOf(ctx.headers)}${STREAM_CONNECT_PATH}`, ticket };
  },
};

/** Serves connections/open: JSON when the client accepts it, else the same answer as XML. */
export async function handleGatewayOpen(
  sim: Simulator,
  request: { query: URLSearchParams; headers: IncomingHttpHeaders; body: ParsedBody; clientAddress: string },
  res: ServerResponse,
): Promise<void> {
  if (acceptsJson(request.headers.accept)) return handleApiCall(openConnectionRoute, sim, request, res);
  const captured = new CapturedResponse();
  await handleApiCall(openConnectionRoute, sim, request, captured as unknown as ServerResponse);
  const fields = captured.json();
  // A gateway failure page (not an API body) goes out as it is.
  const body = fields ? toXml(captured.status === 200 ? 'OpenConnectionResponse' : 'Error', fields) : captured.body;
  const contentType = fields ? 'application/xml;charset=utf-8' : captured.contentType;
  res.writeHead(captured.status, { ...captured.headers, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function acceptsJson(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .map((part) => part.split(';')[0].trim().toLowerCase())
    .some((type) => type === 'application/json' || type.endsWith('+json'));
}

/** Each subscription is `{type, topic}`; for EVENT the only topic accepted is `*` (§1a). */
function checkSubscriptions(value: unknown): void {
  if (value === undefined) throw v1Failures.missingParameter('subscriptions');
  if (!Array.isArray(value) || value.length === 0) throw v1Failures.invalidParameter('subscriptions', 'must be a non-empty array of {type, topic}');
  value.forEach((sub: unknown, i: number) => {
    const at = `subscriptions[${i}]`;
    if (typeof sub !== 'object' || sub === null) throw v1Failures.invalidParameter(at, 'must be an object {type, topic}');
    const { type, topic } = sub as Record<string, unknown>;
    if (typeof type !== 'string' || !SUBSCRIPTION_TYPES.includes(type)) throw v1Failures.invalidParameter(`${at}.type`, 'must be EVENT or CALLBACK');
    if (typeof topic !== 'string' || topic === '') throw v1Failures.invalidParameter(`${at}.topic`, 'must be a non-empty string');
    if (type === 'EVENT' && topic !== '*') throw v1Failures.invalidParameter(`${at}.topic`, 'must be * for EVENT (events are chosen in the developer console)');
  });
}

function requiredString(ctx: ApiContext, name: string): string {
  const value = ctx.params[name];
  if (typeof value !== 'string' || value === '') throw v1Failures.missingParameter(name);
  return value;
}

function optionalString(ctx: ApiContext, name: string): string | undefined {
  const value = ctx.params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw v1Failures.invalidParameter(name, 'must be a string');
  return value;
}

/** The Host the client reached the simulator at, so the endpoint works from wherever it called. */
function hostOf(headers: IncomingHttpHeaders): string {
  const host = headers.host;
  return typeof host === 'string' && /^[\w.\-[\]:]+$/.test(host) ? host : '127.0.0.1';
}

/** Enough of a ServerResponse for sendJson/sendText, keeping what they write. */
class CapturedResponse {
  status = 0;
  headers: Record<string, string> = {};
  contentType = 'text/plain';
  headersSent = false;
  body = '';

  writeHead(status: number, headers: Record<string, string | number> = {}): this {
    this.status = status;
    for (const [name, value] of Object.entries(headers)) {
      if (name === 'content-type') this.contentType = String(value);
      else if (name !== 'content-length') this.headers[name] = String(value);
    }
    this.headersSent = true;
    return this;
  }

  end(chunk?: string): this {
    this.body += chunk ?? '';
    return this;
  }

  destroy(): void {
    this.status ||= 500;
  }

  /** The JSON object written, or undefined when the body is not one. */
  json(): Record<string, unknown> | undefined {
    if (!this.contentType.startsWith('application/json')) return undefined;
    try {
      const value = JSON.parse(this.body);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }
}

function toXml(root: string, fields: Record<string, unknown>): string {
  const children = Object.entries(fields)
    .filter(([, value]) => value === null || typeof value !== 'object')
    .map(([name, value]) => `<${name}>${escapeHtml(value ?? '')}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${children}</${root}>`;
}
