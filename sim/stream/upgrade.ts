/**
 * Step 2 of Stream mode (docs/dingtalk-facts.md §12): the WebSocket endpoint, on the simulator's own
 * HTTP server (its `upgrade` event). The ticket from step 1 is checked during the handshake and used
 * up; a missing, unknown, used or expired ticket is refused before the connection opens.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { STREAM_CONNECT_PATH } from './gateway';
import type { StreamHub } from './hub';

/** Acks are small; a client sending more than this is broken. */
const MAX_MESSAGE_BYTES = 64 * 1024;

export interface StreamUpgradeHandler {
  (req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createStreamUpgradeHandler(hub: StreamHub): StreamUpgradeHandler {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, clientTracking: false });
  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    if (url.pathname !== STREAM_CONNECT_PATH) return refuse(socket, 404, 'Not Found', 'no WebSocket endpoint here');
    // Which answer DingTalk gives a bad ticket is undocumented; 401 (400 without one) says what is wrong.
    const check = hub.tickets.redeem(url.searchParams.get('ticket'));
    if (!check.ok) {
      hub.countTicket('rejected');
      return check.reason === 'missing'
        ? refuse(socket, 400, 'Bad Request', 'ticket: required (from POST /v1.0/gateway/connections/open)')
        : refuse(socket, 401, 'Unauthorized', `ticket ${check.reason}: a ticket is valid for 90 seconds and one connection; register again`);
    }
    server.handleUpgrade(req, socket, head, (ws) => hub.attach(ws, check.grant, socket));
  };
  return Object.assign(handle, { close: () => server.close() });
}

function refuse(socket: Duplex, status: number, statusText: string, message: string): void {
  const body = JSON.stringify({ code: statusText.replace(/\s/g, ''), message });
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json;charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
