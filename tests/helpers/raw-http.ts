/**
 * A raw HTTP/1.1 client on a plain socket, for requests a polite client refuses to send: paths with
 * `..` or bad percent-encoding kept as written, bodies of any bytes, a Content-Length that lies,
 * a body on a GET. One request per connection, closed once the answer is complete.
 */
import * as net from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Source address to connect from (any 127.x.y.z works on Linux loopback). */
  localAddress?: string;
  /**
   * Send the headers, then wait this long for an early answer before sending the body (what
   * `Expect: 100-continue` clients do). A server refusing the declared length answers at once, and
   * the body is never pushed into a connection the server is closing (which would reset it).
   */
  holdBodyMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie lines, one per cookie. */
  setCookies: string[];
  body: string;
  json: any;
}

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  // Keep-alive, as browsers do: a server that refuses a body early then drains it instead of
  // closing on unread bytes (which makes the kernel reset the connection and drop the answer).
  const headers: Record<string, string> = { host: url.host, ...lowerKeys(request.headers ?? {}) };
  if (request.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  const label = `${request.method} ${request.path.slice(0, 120)}`;

  return new Promise((resolve, reject) => {
    let answered = false;
    let settled = false;
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: url.hostname, port: Number(url.port), localAddress: request.localAddress });
    const finish = (outcome: RawResponse | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new Error(`no answer to ${label} within ${request.timeoutMs ?? 15_000} ms`)), request.timeoutMs ?? 15_000);
    socket.on('data', (c: Buffer) => {
      answered = true;
      chunks.push(c);
      const complete = completeResponse(Buffer.concat(chunks));
      if (complete) finish(complete);
    });
    // The server may answer and close before the whole body is sent: keep what was read.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks);
      finish(raw.length === 0 ? new ClosedWithoutAnswer(label) : parseResponse(raw));
    });
    socket.write(head, 'latin1');
    const hold = request.holdBodyMs ? new Promise<void>((resolve) => setTimeout(resolve, request.holdBodyMs)) : Promise.resolve();
    void hold.then(() => writeBody(socket, body, () => answered));
  });
}

/** The server closed the connection without answering (e.g. on bytes that are not HTTP). */
export class ClosedWithoutAnswer extends Error {
  constructor(label: string) {
    super(`connection closed without an answer to ${label}`);
  }
}

/**
 * Sends the body in slices and stops as soon as the server answers, as browsers and curl do: a
 * server refusing a large body (413) answers before reading it.
 */
async function writeBody(socket: net.Socket, body: Buffer, answered: () => boolean): Promise<void> {
  const SLICE = 16 * 1024;
  for (let offset = 0; offset < body.length; offset += SLICE) {
    if (answered() || socket.destroyed) return;
    const flushed = socket.write(body.subarray(offset, offset + SLICE));
    if (!flushed)
      await new Promise<void>((resolve) => {
        socket.once('drain', resolve);
        socket.once('close', resolve);
      });
  }
}

/** The response once all of it has arrived (by Content-Length or the last chunk), else null. */
function completeResponse(raw: Buffer): RawResponse | null {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return null;
  const head = raw.subarray(0, split).toString('latin1').toLowerCase();
  const status = Number(/^http\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  if (status >= 100 && status < 200) return completeResponse(raw.subarray(split + 4));
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
  const rest = raw.length - (split + 4);
  if (length) return rest >= Number(length[1]) ? parseResponse(raw) : null;
  if (/\r\ntransfer-encoding:[^\r]*chunked/.test(head)) return raw.subarray(split + 4).includes('0\r\n\r\n') ? parseResponse(raw) : null;
  return null;
}

function parseResponse(raw: Buffer): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  const headText = raw.subarray(0, split < 0 ? raw.length : split).toString('latin1');
  let bodyBytes = split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4);
  const [statusLine, ...lines] = headText.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  const setCookies: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'set-cookie') setCookies.push(value);
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  if ((headers['transfer-encoding'] ?? '').includes('chunked')) bodyBytes = dechunk(bodyBytes);
  const body = bodyBytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, setCookies, body, json };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
