/**
 * A raw HTTP/1.1 client on a plain socket, for requests a polite client refuses to send: paths with
 * `..` or bad percent-encoding kept as written, bodies of any bytes, a Content-Length that lies,
 * a body on a GET. One request per connection; the answer is read until the server closes.
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
  const headers: Record<string, string> = { host: url.host, connection: 'close', ...lowerKeys(request.headers ?? {}) };
  if (request.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;

  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port), localAddress: request.localAddress });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${request.method} ${request.path.slice(0, 120)} within ${request.timeoutMs ?? 15_000} ms`));
    }, request.timeoutMs ?? 15_000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    // The server may answer (413) and close before the whole body is sent: keep what was read.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      if (raw.length === 0) return reject(new Error(`connection closed without an answer to ${request.method} ${request.path.slice(0, 120)}`));
      resolve(parseResponse(raw));
    });
    socket.write(head, 'latin1');
    if (body.length > 0) socket.write(body);
  });
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
