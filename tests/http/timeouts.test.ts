/**
 * Slow clients (#20 item 5). With no request timeout, a body trickled one byte at a time held a
 * connection (and its memory) as long as the client liked. `server.requestTimeout` bounds the
 * whole request: past it the host answers 408 REQUEST_TIMEOUT in the JSON envelope with its
 * security headers and closes the connection; `server.connectionTimeout` closes a connection that
 * sends nothing. Each attack runs against a host with the timeout and, at the same time, one
 * without a useful timeout, which is still holding the connection when the first has answered.
 */
import * as net from 'net';
import { fn, startTestHost, type TestHost } from './helpers';

interface SlowClient {
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
  isClosed(): boolean;
  stop(): void;
}

/** Sends a POST's headers announcing `length` bytes, then one byte of body every `everyMs`. */
function trickle(base: string, path: string, length: number, everyMs: number): SlowClient {
  const url = new URL(base);
  const socket = net.connect({ host: url.hostname, port: Number(url.port) });
  let data = '';
  let closed = false;
  socket.on('data', (chunk) => (data += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closedPromise = new Promise<void>((resolve) => socket.on('close', () => ((closed = true), resolve())));
  socket.write(`POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n{`);
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(' ');
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
  return { received: () => data, closed: closedPromise, isClosed: () => closed, stop: () => (clearInterval(timer), socket.destroy()) };
}

/** Opens a connection and sends nothing. */
function silent(base: string): SlowClient {
  const url = new URL(base);
  const socket = net.connect({ host: url.hostname, port: Number(url.port) });
  let data = '';
  let closed = false;
  socket.on('data', (chunk) => (data += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closedPromise = new Promise<void>((resolve) => socket.on('close', () => ((closed = true), resolve())));
  return { received: () => data, closed: closedPromise, isClosed: () => closed, stop: () => socket.destroy() };
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

let strict: TestHost;
let lax: TestHost;

beforeAll(async () => {
  strict = await startTestHost({ settings: { server: { requestTimeout: 2, connectionTimeout: 3 } } });
  lax = await startTestHost({ sim: strict.sim, host: { requestTimeout: 600, connectionTimeout: 600 } });
});
afterAll(async () => {
  await lax?.close();
  await strict?.close();
});

test('a body trickled byte by byte is answered 408 REQUEST_TIMEOUT in the envelope and the connection closed', async () => {
  const path = fn('services.echo', 'echo');
  const attack = trickle(strict.url, path, 10_000, 200);
  const control = trickle(lax.url, path, 10_000, 200);
  try {
    await withDeadline(attack.closed, 30_000, 'closing the trickling connection');
    const answer = attack.received();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const [head, body] = answer.split('\r\n\r\n');
    expect(JSON.parse(body)).toEqual({ success: false, error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) } });
    expect(head.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(head.toLowerCase()).toContain("content-security-policy: default-src 'none'");
    expect(head.toLowerCase()).toContain('connection: close');
    // Without the timeout the same client is still being waited for.
    expect(control.isClosed()).toBe(false);
    expect(control.received()).toBe('');
  } finally {
    attack.stop();
    control.stop();
  }
});

test('a connection that sends nothing is closed after the connection timeout', async () => {
  const attack = silent(strict.url);
  const control = silent(lax.url);
  try {
    await withDeadline(attack.closed, 30_000, 'closing the silent connection');
    expect(control.isClosed()).toBe(false);
  } finally {
    attack.stop();
    control.stop();
  }
});

test('ordinary requests are not affected', async () => {
  const res = await fetch(strict.url + fn('services.echo', 'echo'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
  expect(await res.json()).toEqual({ success: true, data: { text: 'hi', count: null, flag: null, data: null } });
});
