/**
 * Step 1 of Stream mode (docs/dingtalk-facts.md §12): register a connection with the app's credentials
 * and get `{endpoint, ticket}`. One HTTP call through the client's transport (keep-alive agents, no
 * proxy, no redirects, errors as data) and its failure table, so bad credentials read as they do for
 * every other call (DINGTALK_API_ERROR, reason APP_CREDENTIALS_REJECTED, with the advice).
 */
import { JitError } from '../../runtime';
import { DINGTALK_ERRORS } from '../error-codes';
import type { CallSpec } from '../client/calls';
import { toJitError } from '../client/errors';
import { interpretResponse } from '../client/response';
import { sendHttp } from '../client/transport';

export const OPEN_CONNECTION_CALL: CallSpec = Object.freeze({
  name: 'gateway/connections/open',
  purpose: 'register a Stream connection',
  family: 'v1',
  method: 'POST',
  path: '/v1.0/gateway/connections/open',
  auth: 'none',
  // No console permission is documented for Stream mode; the subscribed events are ticked in the console.
  permission: 'qyapi_base',
});

export interface OpenConnectionRequest {
  /** Base URL of the api host (DINGTALK_API_URL), without a trailing slash. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  ua: string;
  localIp?: string;
  timeoutMs: number;
}

export interface StreamTarget {
  /** The WebSocket URL to open, the ticket in its query. Never log it. */
  url: string;
  /** The endpoint without the ticket, safe to show. */
  endpoint: string;
}

export async function openConnection(request: OpenConnectionRequest): Promise<StreamTarget> {
  const body: Record<string, unknown> = {
    clientId: request.clientId,
    clientSecret: request.clientSecret,
    // Events only: for EVENT the topic must be `*` (events are chosen in the developer console).
    subscriptions: [{ type: 'EVENT', topic: '*' }],
    ua: request.ua,
  };
  if (request.localIp) body.localIp = request.localIp;
  const outcome = await sendHttp({
    method: 'POST',
    baseUrl: request.apiUrl,
    path: OPEN_CONNECTION_CALL.path,
    // Without it DingTalk answers in XML (the Node SDK's note).
    headers: { Accept: 'application/json' },
    body,
    timeoutMs: request.timeoutMs,
  });
  const answer = interpretResponse('v1', outcome);
  if (!answer.ok) throw toJitError(answer.failure, OPEN_CONNECTION_CALL, { attempts: 1 });
  const data = answer.body as Record<string, unknown> | undefined;
  const endpoint = typeof data === 'object' && data !== null ? data.endpoint : undefined;
  const ticket = typeof data === 'object' && data !== null ? data.ticket : undefined;
  for (const [field, value] of [['endpoint', endpoint], ['ticket', ticket]] as const) {
    if (typeof value !== 'string' || value === '')
      throw toJitError({ kind: 'unexpectedBody', status: answer.status, field }, OPEN_CONNECTION_CALL, { attempts: 1 });
  }
  return target(endpoint as string, ticket as string, request.apiUrl);
}

/** `<endpoint>?ticket=<ticket>`, the endpoint used as given (§1b) but never a downgrade from TLS. */
function target(endpoint: string, ticket: string, apiUrl: string): StreamTarget {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw unusableEndpoint('is not a URL');
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') throw unusableEndpoint(`is not a WebSocket URL (${url.protocol})`);
  if (apiUrl.startsWith('https:') && url.protocol !== 'wss:') throw unusableEndpoint('is not wss: although the api host is https:');
  url.searchParams.set('ticket', ticket);
  return { url: url.toString(), endpoint: `${url.protocol}//${url.host}${url.pathname}` };
}

function unusableEndpoint(why: string): JitError {
  return DINGTALK_ERRORS.error('DINGTALK_API_ERROR', `DingTalk call ${OPEN_CONNECTION_CALL.name} (${OPEN_CONNECTION_CALL.purpose}) failed: the endpoint it returned ${why}.`, {
    call: OPEN_CONNECTION_CALL.name,
    reason: 'UNEXPECTED_RESPONSE',
  });
}
