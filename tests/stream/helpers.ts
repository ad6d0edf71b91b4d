/**
 * Shared helpers for the Stream tests: a simulator with short Stream timings, a DingTalkStreamClient
 * wired to it with a recording handler and a raw (unredacted) log, a raw WebSocket connection for
 * wire-level checks, and waiting for an outcome with a generous deadline (no timed assertions).
 */
import { WebSocket } from 'ws';
import { DingTalkStreamClient, type StreamClientOptions, type StreamEvent, type StreamEventHandler, type StreamGap } from '../../dingtalk/stream';
import type { JitError } from '../../runtime/errors';
import type { Logger } from '../../runtime/logger';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../sim';
import { appA, corpA } from '../sim/helpers';

export { appA, appB, corpA, corpB, memberOf } from '../sim/helpers';

/** Redelivery after 1 s (DingTalk: ~60 s): long enough that a busy machine acks in time, short enough to wait for. */
export const REDELIVERY_MS = 1000;

/** Stream timings for tests: redelivery REDELIVERY_MS, pings on demand only, disconnect closes after 1 s. For useSimulator(). */
export function streamSimulatorOptions(options: SimulatorOptions = {}): SimulatorOptions {
  return { seed: 7, ...options, stream: { redeliveryMs: REDELIVERY_MS, pingIntervalMs: 0, disconnectCloseMs: 1000, ...options.stream } };
}

/** A simulator with the test Stream timings, started now (useSimulator(streamSimulatorOptions()) for a whole block). */
export function startStreamSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  return startSimulator(streamSimulatorOptions(options));
}

/** Makes every registration fail until `unblock`: the client stays down exactly as long as a test needs. */
export function blockRegistration(sim: SimulatorHandle): { unblock: () => void } {
  sim.injectFault({ endpoints: ['gateway/connections/open'], kind: 'busy', count: 1_000_000 });
  return { unblock: () => sim.clearFaults() };
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves after `ms` of real time: only to show that something did NOT happen in that window. */
export function quietFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every log call, with its fields, as written, before any redaction. */
export class RawLog implements Logger {
  readonly lines: string[] = [];
  constructor(private readonly base: Record<string, unknown> = {}) {}
  private write(level: string, msg: string, fields?: Record<string, unknown>): void {
    this.lines.push(JSON.stringify({ level, msg, ...this.base, ...fields }));
  }
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write('error', msg, fields);
  }
  child(fields: Record<string, unknown>): Logger {
    const child = new RawLog({ ...this.base, ...fields });
    // Children write into the same list.
    (child as { lines: string[] }).lines = this.lines;
    return child;
  }
}

export interface TestClient {
  client: DingTalkStreamClient;
  events: StreamEvent[];
  gaps: StreamGap[];
  errors: JitError[];
  log: RawLog;
}

/** A client of app A on the simulator; by default every event is applied. Stopped by `stopAll`. */
export function streamClient(sim: SimulatorHandle, overrides: Partial<StreamClientOptions> & { handler?: StreamEventHandler } = {}): TestClient {
  const events: StreamEvent[] = [];
  const gaps: StreamGap[] = [];
  const errors: JitError[] = [];
  const log = new RawLog();
  const { handler, ...options } = overrides;
  const client = new DingTalkStreamClient({
    credentials: { appKey: appA.appKey, appSecret: appA.appSecret },
    apiUrl: sim.apiUrl,
    backoff: { initialMs: 20, maxMs: 200, stableAfterMs: 60_000 },
    keepAliveMs: 0,
    logger: log,
    ...options,
    onEvent: async (event) => {
      events.push(event);
      return handler ? handler(event) : undefined;
    },
    onGap: (gap) => {
      gaps.push(gap);
      options.onGap?.(gap);
    },
    onError: (error) => {
      errors.push(error);
      options.onError?.(error);
    },
  });
  running.add(client);
  return { client, events, gaps, errors, log };
}

const running = new Set<DingTalkStreamClient>();

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((client) => client.stop()));
  running.clear();
}

/** Registers and opens a raw WebSocket as app A, for wire-level checks. */
export async function rawConnection(sim: SimulatorHandle, app = appA): Promise<RawConnection> {
  const res = await fetch(`${sim.apiUrl}/v1.0/gateway/connections/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ clientId: app.appKey, clientSecret: app.appSecret, subscriptions: [{ type: 'EVENT', topic: '*' }], ua: 'test-sdk-nodejs/1.0.0' }),
  });
  const { endpoint, ticket } = (await res.json()) as { endpoint: string; ticket: string };
  const socket = await openSocket(`${endpoint}?ticket=${encodeURIComponent(ticket)}`);
  return new RawConnection(socket);
}

export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The frames a raw connection received, parsed once (data stays a string, as on the wire). */
export class RawConnection {
  readonly frames: Array<{ specVersion: string; type: string; headers: Record<string, string>; data: string }> = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => this.frames.push(JSON.parse(String(raw))));
  }
  eventFrames() {
    return this.frames.filter((f) => f.type === 'EVENT');
  }
  ack(messageId: string, status: 'SUCCESS' | 'LATER'): void {
    this.socket.send(JSON.stringify({ code: 200, headers: { messageId, contentType: 'application/json' }, message: 'OK', data: JSON.stringify({ status, message: '' }) }));
  }
  close(): void {
    this.socket.terminate();
  }
}

export const CORP_A = corpA.corpId;
