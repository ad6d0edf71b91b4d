/**
 * DingTalkStreamClient: receives an internal app's events over DingTalk Stream mode
 * (docs/dingtalk-facts.md §12) and hands each EVENT to one handler, acking it by the handler's outcome.
 *
 *   const stream = new DingTalkStreamClient({
 *     credentials: { appKey, appSecret },            // the login's authConfig (Client ID / Secret)
 *     apiUrl: dingTalkHostsOf(app).apiUrl,            // DINGTALK_API_URL, or the simulator's
 *     onEvent: async (event) => { ...apply...; return { status: 'applied' }; },
 *     onGap: (gap) => { if (gap.catchUp) startCatchUpSync(); },
 *   });
 *   stream.start();  ...  await stream.stop();
 *
 * Why not the official `dingtalk-stream` npm package: its gateway address is a module constant with
 * no option (docs/dingtalk-facts.md §12), so it cannot be pointed at DINGTALK_API_URL or the
 * simulator without patching it; it reconnects every 1 s, fixed, with no backoff; and older versions
 * fetch a gettoken token on every connect. The protocol is small (one HTTP call, JSON frames, acks),
 * so it is spoken here on `ws`, which that SDK uses underneath as well.
 *
 * Acks: SUCCESS once the handler applied the event (or says it was a duplicate); LATER when it
 * throws a transient error, so DingTalk pushes it again; a permanent failure (the handler returns
 * `{status:'rejected'}` or throws PermanentEventError, AMBIGUOUS_MATCH or BINDING_REJECTED, or the
 * event cannot be read) is acked SUCCESS and reported, never LATER forever (DECISIONS #13).
 * Events are handled one at a time, in the order they arrive; SYSTEM pings are answered at once.
 *
 * Connections: a fresh ticket for every connection; after a `disconnect` frame a new connection is
 * opened at once while the old one drains; after any other close, or a failed attempt, retries back
 * off with jitter (1 s doubling to 60 s). Each stretch without a connection is reported to `onGap`.
 * The secret and the ticket are never logged or put in an error.
 */
import { WebSocket } from 'ws';
import { JitError, isJitError, type Logger, registerSecret, type SecretRegistry } from '../../runtime';
import { DINGTALK_ERRORS } from '../error-codes';
import type { DDCredentials } from '../client/types';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff';
import { MalformedEventError, toStreamEvent, type StreamEvent } from './events';
import { openConnection, type StreamTarget } from './gateway';
import { disconnectReason, eventAck, notSupportedAck, pingAck, readFrame, type DownstreamFrame, type EventAckStatus } from './protocol';

/** What the handler says about an event. Returning nothing means applied. */
export type StreamHandlerResult =
  | void
  | { status: 'applied' }
  /** Already applied before (the handler's own dedup saw its eventId). */
  | { status: 'duplicate' }
  /** Can never be applied; acked SUCCESS and reported. */
  | { status: 'rejected'; reason: string; code?: string };

export type StreamEventHandler = (event: StreamEvent) => StreamHandlerResult | Promise<StreamHandlerResult>;

/** Thrown by a handler for a failure that a retry would not mend: acked SUCCESS and reported. */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** JitError codes that mean "this event can never be applied" (DECISIONS #13). */
export const PERMANENT_EVENT_ERROR_CODES: readonly string[] = Object.freeze(['AMBIGUOUS_MATCH', 'BINDING_REJECTED']);

/** A stretch of time with no open connection, reported when the next connection opens. */
export interface StreamGap {
  /** Unix ms: when the last connection closed. */
  startedAt: number;
  /** Unix ms: when the new one opened. */
  endedAt: number;
  ms: number;
  /** `disconnect`: the server announced the close with a disconnect frame; `closed`: it just closed or dropped. */
  cause: 'disconnect' | 'closed';
  /** The gap is at least `catchUpAfterMs` long: events may have been missed, run one catch-up sync. */
  catchUp: boolean;
}

export interface StreamEventFailure {
  eventId?: string;
  eventType?: string;
  reason: string;
  code?: string;
  at: number;
}

export type StreamClientState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'stopped';

/** A snapshot for status pages and `jit org status`. Times are Unix ms. */
export interface StreamClientStatus {
  state: StreamClientState;
  connected: boolean;
  /** When the connection in use opened. */
  connectedSince?: number;
  /** When the last EVENT frame arrived. */
  lastEventAt?: number;
  /** Events the handler completed (applied or duplicate), acked SUCCESS. */
  eventsHandled: number;
  /** Of those, the ones the handler reported as duplicates. */
  duplicates: number;
  /** Events acked LATER (the handler threw a transient error). */
  transientFailures: number;
  /** Events acked SUCCESS without being applied (rejected, or unreadable). */
  permanentFailures: number;
  /** Connections opened after the first one. */
  reconnects: number;
  /** Set while there is no connection after there was one: since when. */
  downSince?: number;
  /** The last gap: when it started and how long it lasted. */
  lastGap?: StreamGap;
  lastError?: { code: string; reason?: string; message: string; at: number };
  lastFailure?: StreamEventFailure;
  /** When the next connection attempt is due (while backing off). */
  nextAttemptAt?: number;
}

export interface StreamClientOptions {
  /** The app's Client ID and Client Secret (authConfig appKey/appSecret). */
  credentials: DDCredentials;
  /** Base URL of DingTalk's api host (DINGTALK_API_URL; the simulator's URL in tests). */
  apiUrl: string;
  /**
   * Where the secret is masked: the app's registry (`app.secrets`, which holds an instance's secret
   * already). Omitted: the process registry, as for any caller without an app.
   */
  secrets?: SecretRegistry;
  onEvent: StreamEventHandler;
  /** Called when a connection opens after a stretch without one. */
  onGap?: (gap: StreamGap) => void;
  /** Called for each event acked without being applied. */
  onPermanentFailure?: (failure: StreamEventFailure) => void;
  /** Called for each failed connection attempt or lost connection. */
  onError?: (error: JitError) => void;
  /** Called when `state` changes. */
  onStateChange?: (status: StreamClientStatus) => void;
  /** Connection lines (info), failures (warn), frames (debug); never the secret or the ticket. */
  logger?: Logger;
  backoff?: Partial<BackoffPolicy>;
  /** A gap at least this long asks for a catch-up sync (DECISIONS #13: 5 minutes). */
  catchUpAfterMs?: number;
  /** WebSocket ping interval; a connection with no pong by the next one is dropped. 0 = off. Default 30000. */
  keepAliveMs?: number;
  /** Timeout of the registration call and of the WebSocket handshake. Default 10000. */
  timeoutMs?: number;
  /** How long `stop()` waits for an event being handled. Default 5000. */
  stopTimeoutMs?: number;
  /** After a disconnect frame, the old connection is closed this long after the new one opened, if
   *  the server has not closed it. Default 15000. */
  drainMs?: number;
  /** Sent as `ua` (format name-sdk-lang/version). */
  ua?: string;
  /** Sent as `localIp` for DingTalk's troubleshooting; not sent unless given. */
  localIp?: string;
  /** Decides whether a handler error is permanent (default: PermanentEventError, AMBIGUOUS_MATCH, BINDING_REJECTED). */
  isPermanentError?: (error: unknown) => boolean;
  now?: () => number;
  /** Jitter source (tests). */
  random?: () => number;
}

export const DEFAULT_CATCH_UP_AFTER_MS = 5 * 60_000;
export const DEFAULT_STREAM_UA = 'jit-runtime-stream-nodejs/1.0.0';

/** Frames are small JSON; anything near this is not DingTalk. */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;

interface Link {
  socket: WebSocket;
  endpoint: string;
  opened: boolean;
  openedAt?: number;
  /** Why the connection attempt or the connection failed (for the error raised on close). */
  failure?: string;
  /** A disconnect frame was received: being replaced. */
  draining: boolean;
  alive: boolean;
  keepAlive?: NodeJS.Timeout;
  drainTimer?: NodeJS.Timeout;
}

export class DingTalkStreamClient {
  private readonly credentials: DDCredentials;
  private readonly apiUrl: string;
  private readonly options: StreamClientOptions;
  private readonly backoff: BackoffPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly catchUpAfterMs: number;
  private readonly keepAliveMs: number;
  private readonly timeoutMs: number;

  private state: StreamClientState = 'idle';
  /** The connection in use (open), or being opened. */
  private current?: Link;
  private readonly draining = new Set<Link>();
  private attempts = 0;
  private everConnected = false;
  private retryTimer?: NodeJS.Timeout;
  private connecting = false;
  /** Events are handled one at a time, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private gapCause: StreamGap['cause'] = 'closed';
  private counts = { eventsHandled: 0, duplicates: 0, transientFailures: 0, permanentFailures: 0, reconnects: 0 };
  private marks: Pick<StreamClientStatus, 'connectedSince' | 'lastEventAt' | 'downSince' | 'lastGap' | 'lastError' | 'lastFailure' | 'nextAttemptAt'> = {};

  constructor(options: StreamClientOptions) {
    const { appKey, appSecret } = options?.credentials ?? ({} as Partial<DDCredentials>);
    requireOption(typeof appKey === 'string' && appKey.trim() !== '', 'credentials.appKey', 'a non-empty string (the Client ID)');
    requireOption(typeof appSecret === 'string' && appSecret !== '', 'credentials.appSecret', 'a non-empty string (the Client Secret)');
    if (options.secrets) {
      if (!options.secrets.has(appSecret)) options.secrets.register(appSecret);
    } else {
      registerSecret(appSecret);
    }
    requireOption(typeof options.apiUrl === 'string' && /^https?:\/\/[^/]/.test(options.apiUrl), 'apiUrl', 'an http(s) URL (DINGTALK_API_URL)');
    requireOption(typeof options.onEvent === 'function', 'onEvent', 'a function');
    this.backoff = { ...DEFAULT_BACKOFF, ...definedOnly(options.backoff ?? {}) };
    for (const key of ['initialMs', 'maxMs', 'stableAfterMs'] as const) requireOption(isNonNegative(this.backoff[key]), `backoff.${key}`, 'a number of ms >= 0');
    requireOption(isNonNegative(this.backoff.factor) && this.backoff.factor >= 1, 'backoff.factor', 'a number >= 1');
    this.catchUpAfterMs = options.catchUpAfterMs ?? DEFAULT_CATCH_UP_AFTER_MS;
    this.keepAliveMs = options.keepAliveMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    requireOption(isNonNegative(this.catchUpAfterMs), 'catchUpAfterMs', 'a number of ms >= 0');
    requireOption(isNonNegative(this.keepAliveMs), 'keepAliveMs', 'a number of ms >= 0 (0 = off)');
    requireOption(isNonNegative(this.timeoutMs) && this.timeoutMs > 0, 'timeoutMs', 'a number of ms > 0');
    this.credentials = { appKey: (appKey as string).trim(), appSecret: appSecret as string };
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.options = options;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** The app key this client connects as (safe to show). */
  get appKey(): string {
    return this.credentials.appKey;
  }

  get status(): StreamClientStatus {
    const link = this.current;
    const connected = (link?.opened === true && link.socket.readyState === WebSocket.OPEN) || [...this.draining].some((l) => l.socket.readyState === WebSocket.OPEN);
    return { state: this.state, connected, ...this.counts, ...this.marks };
  }

  /** Starts connecting (and keeps reconnecting until `stop`). Calling it again does nothing. */
  start(): void {
    if (this.state !== 'idle') return;
    this.setState('connecting');
    void this.connect();
  }

  /** Stops: no more connections; waits (bounded) for the event being handled, acks it, closes. */
  async stop(): Promise<void> {
    if (this.isStopped()) return;
    this.setState('stopped');
    clearTimeout(this.retryTimer);
    this.marks.nextAttemptAt = undefined;
    const timeout = this.options.stopTimeoutMs ?? 5000;
    if (this.inFlight > 0) await Promise.race([this.queue, delay(timeout)]);
    const links = [...this.draining, ...(this.current ? [this.current] : [])];
    this.current = undefined;
    this.draining.clear();
    await Promise.all(links.map((link) => closeLink(link, timeout)));
    this.log('info', 'DingTalk Stream client stopped');
  }

  // ---- connecting --------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.isStopped() || this.connecting) return;
    this.connecting = true;
    this.marks.nextAttemptAt = undefined;
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    let target: StreamTarget;
    try {
      target = await openConnection({
        apiUrl: this.apiUrl,
        clientId: this.credentials.appKey,
        clientSecret: this.credentials.appSecret,
        ua: this.options.ua ?? DEFAULT_STREAM_UA,
        localIp: this.options.localIp,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      this.connecting = false;
      return this.attemptFailed(asJitError(error));
    }
    if (this.isStopped()) {
      this.connecting = false;
      return;
    }
    let socket: WebSocket;
    try {
      socket = new WebSocket(target.url, { handshakeTimeout: this.timeoutMs, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, followRedirects: false });
    } catch (error) {
      this.connecting = false;
      return this.attemptFailed(DINGTALK_ERRORS.error('DINGTALK_API_ERROR', `The DingTalk Stream endpoint ${target.endpoint} cannot be opened: ${scrubTicket(errorMessage(error))}.`, { call: 'stream/connect', reason: 'UNEXPECTED_RESPONSE' }));
    }
    const link: Link = { socket, endpoint: target.endpoint, opened: false, draining: false, alive: true };
    this.current = link;
    socket.on('open', () => this.opened(link));
    socket.on('message', (data, isBinary) => this.received(link, data, isBinary));
    socket.on('pong', () => (link.alive = true));
    // ws reports a refused handshake ("Unexpected server response: 401"), a reset or a timeout here,
    // then closes; the close decides what happens next. Its messages carry no URL, so no ticket.
    socket.on('error', (error) => (link.failure ??= scrubTicket(error.message)));
    socket.on('close', (code, reason) => this.closed(link, code, reason.toString()));
  }

  private opened(link: Link): void {
    this.connecting = false;
    if (this.isStopped() || this.current !== link) return void link.socket.close(1000);
    const now = this.now();
    link.opened = true;
    link.openedAt = now;
    if (this.everConnected) this.counts.reconnects += 1;
    this.everConnected = true;
    this.marks.connectedSince = now;
    this.startKeepAlive(link);
    this.log('info', 'DingTalk Stream connected', { endpoint: link.endpoint, reconnects: this.counts.reconnects });
    // The replaced connections (after a disconnect frame) close by themselves; this bounds the wait.
    for (const old of this.draining) old.drainTimer ??= unref(setTimeout(() => old.socket.close(1000), this.options.drainMs ?? 15_000));
    const downSince = this.marks.downSince;
    this.marks.downSince = undefined;
    this.setState('connected');
    if (downSince !== undefined) {
      const ms = Math.max(0, now - downSince);
      const gap: StreamGap = { startedAt: downSince, endedAt: now, ms, cause: this.gapCause, catchUp: ms >= this.catchUpAfterMs };
      this.marks.lastGap = gap;
      this.log(gap.catchUp ? 'warn' : 'info', 'DingTalk Stream was down', { ms, cause: gap.cause, catchUp: gap.catchUp });
      this.safely(() => this.options.onGap?.(gap));
    }
  }

  private closed(link: Link, code: number, reason: string): void {
    this.stopKeepAlive(link);
    clearTimeout(link.drainTimer);
    const wasDraining = this.draining.delete(link);
    if (this.isStopped()) return;
    const now = this.now();

    if (wasDraining) {
      // Replaced after a disconnect frame (its replacement is connecting, or a retry is scheduled):
      // a gap only if no connection is up now.
      if (!this.hasOpenConnection()) this.wentDown(now, 'disconnect');
      return;
    }
    if (this.current !== link) return;
    this.current = undefined;
    if (!link.opened) {
      this.connecting = false;
      const why = link.failure ?? `closed during the handshake (${code})`;
      return this.attemptFailed(DINGTALK_ERRORS.error('DINGTALK_UNAVAILABLE', `The DingTalk Stream connection to ${link.endpoint} failed: ${why}.`, { call: 'stream/connect', reason: 'STREAM_HANDSHAKE_FAILED' }));
    }
    // A connection still draining after a disconnect frame serves until it closes too: no gap yet.
    if (!this.hasOpenConnection()) this.wentDown(now, 'closed');
    // A connection that stayed up a while resets the backoff; one that drops at once keeps growing it.
    if (now - (link.openedAt ?? now) >= this.backoff.stableAfterMs) this.attempts = 0;
    const why = link.failure ?? `closed by the server (${code}${reason ? ` ${reason}` : ''})`;
    this.attemptFailed(DINGTALK_ERRORS.error('DINGTALK_UNAVAILABLE', `The DingTalk Stream connection to ${link.endpoint} was lost: ${scrubTicket(why)}.`, { call: 'stream/connect', reason: 'STREAM_CLOSED', closeCode: code }));
  }

  private wentDown(now: number, cause: StreamGap['cause']): void {
    this.marks.connectedSince = undefined;
    if (this.marks.downSince === undefined) {
      this.marks.downSince = now;
      this.gapCause = cause;
    }
    if (this.state === 'connected') this.setState('reconnecting');
  }

  private hasOpenConnection(): boolean {
    return (this.current?.opened === true && this.current.socket.readyState === WebSocket.OPEN) || [...this.draining].some((l) => l.socket.readyState === WebSocket.OPEN);
  }

  /** A failed attempt or a lost connection: record it and retry after the backoff. */
  private attemptFailed(error: JitError): void {
    this.marks.lastError = { code: error.code, reason: stringDetail(error, 'reason'), message: error.message, at: this.now() };
    this.log('warn', 'DingTalk Stream connection failed', { code: error.code, reason: stringDetail(error, 'reason'), error: error.message });
    this.safely(() => this.options.onError?.(error));
    if (this.isStopped()) return;
    this.attempts += 1;
    const wait = backoffDelay(this.attempts, this.backoff, this.random);
    this.marks.nextAttemptAt = this.now() + wait;
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = unref(setTimeout(() => void this.connect(), wait));
  }

  private startKeepAlive(link: Link): void {
    if (this.keepAliveMs === 0) return;
    link.keepAlive = unref(
      setInterval(() => {
        if (!link.alive) {
          link.failure ??= `no answer to a keep-alive ping within ${this.keepAliveMs} ms`;
          return void link.socket.terminate();
        }
        link.alive = false;
        link.socket.ping();
      }, this.keepAliveMs),
    );
  }

  private stopKeepAlive(link: Link): void {
    clearInterval(link.keepAlive);
  }

  // ---- frames ------------------------------------------------------------------------------------

  private received(link: Link, raw: unknown, isBinary: boolean): void {
    link.alive = true;
    const frame = isBinary ? undefined : readFrame(String(raw));
    if (!frame) return this.log('warn', 'DingTalk Stream sent a message that is not a frame; ignored');
    if (frame.type === 'SYSTEM') return this.system(link, frame);
    // Once stopping, new events are left unacked: DingTalk pushes them again (to another host, if any).
    if (frame.type === 'EVENT') return this.isStopped() ? undefined : this.enqueue(link, frame);
    // CALLBACK frames (bots, cards) are not subscribed to; say so rather than leave them unanswered.
    this.log('debug', 'DingTalk Stream frame of an unserved type', { type: frame.type, topic: frame.headers.topic });
    send(link, notSupportedAck(frame));
  }

  private system(link: Link, frame: DownstreamFrame): void {
    switch (frame.headers.topic) {
      case 'ping':
        // At once, ahead of any event being handled.
        send(link, pingAck(frame));
        return;
      case 'disconnect':
        return this.disconnectFrame(link, disconnectReason(frame));
      default:
        // CONNECTED, REGISTERED, KEEPALIVE (the Node SDK's) need no action.
        this.log('debug', 'DingTalk Stream system frame', { topic: frame.headers.topic });
    }
  }

  /** The server will close this connection shortly: open the next one now and let this one drain. */
  private disconnectFrame(link: Link, reason: string): void {
    if (this.current !== link || this.isStopped()) return;
    this.log('info', 'DingTalk Stream asked to reconnect', { reason });
    link.draining = true;
    this.draining.add(link);
    this.current = undefined;
    this.stopKeepAlive(link);
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  private enqueue(link: Link, frame: DownstreamFrame): void {
    this.marks.lastEventAt = this.now();
    this.inFlight += 1;
    // handle() catches the handler's errors; this catch keeps the chain alive whatever else throws.
    this.queue = this.queue
      .then(() => this.handle(link, frame))
      .catch((error) => this.log('warn', 'DingTalk Stream event handling broke', { error: errorMessage(error) }))
      .finally(() => (this.inFlight -= 1));
  }

  private async handle(link: Link, frame: DownstreamFrame): Promise<void> {
    const messageId = frame.headers.messageId;
    let status: EventAckStatus;
    let message: string;
    let event: StreamEvent | undefined;
    try {
      event = toStreamEvent(frame.headers, frame.data);
      this.log('debug', 'DingTalk event', { eventId: event.eventId, eventType: event.eventType });
      const result = await this.options.onEvent(event);
      if (result && result.status === 'rejected') {
        this.permanentFailure({ eventId: event.eventId, eventType: event.eventType, reason: result.reason, code: result.code });
        [status, message] = ['SUCCESS', `rejected: ${result.reason}`];
      } else {
        this.counts.eventsHandled += 1;
        if (result && result.status === 'duplicate') this.counts.duplicates += 1;
        [status, message] = ['SUCCESS', result && result.status === 'duplicate' ? 'duplicate' : 'applied'];
      }
    } catch (error) {
      if (error instanceof MalformedEventError || this.isPermanent(error)) {
        const code = error instanceof MalformedEventError ? 'MALFORMED_EVENT' : errorCode(error);
        this.permanentFailure({ eventId: event?.eventId ?? (error as MalformedEventError).eventId, eventType: event?.eventType ?? (error as MalformedEventError).eventType, reason: errorMessage(error), code });
        [status, message] = ['SUCCESS', `not applicable: ${code ?? 'failed'}`];
      } else {
        this.counts.transientFailures += 1;
        this.marks.lastError = { code: errorCode(error) ?? 'HANDLER_FAILED', message: errorMessage(error), at: this.now() };
        this.log('warn', 'DingTalk event failed; DingTalk will push it again', { eventId: event?.eventId, eventType: event?.eventType, error: errorMessage(error) });
        [status, message] = ['LATER', 'failed; push again'];
      }
    }
    if (!messageId) return this.log('warn', 'DingTalk Stream EVENT frame without a messageId; cannot ack');
    // On a connection that is gone the ack is lost; DingTalk pushes the event again.
    send(link, eventAck(messageId, status, message));
  }

  private isPermanent(error: unknown): boolean {
    if (this.options.isPermanentError) return this.options.isPermanentError(error);
    return error instanceof PermanentEventError || (isJitError(error) && PERMANENT_EVENT_ERROR_CODES.includes(error.code));
  }

  private permanentFailure(failure: Omit<StreamEventFailure, 'at'>): void {
    const report: StreamEventFailure = { ...failure, at: this.now() };
    this.counts.permanentFailures += 1;
    this.marks.lastFailure = report;
    this.log('warn', 'DingTalk event not applied (acked, will not come again)', { eventId: report.eventId, eventType: report.eventType, code: report.code, reason: report.reason });
    this.safely(() => this.options.onPermanentFailure?.(report));
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  /** A method, not a narrowed field: `stop()` can run while another method awaits. */
  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private setState(state: StreamClientState): void {
    if (this.state === state) return;
    if (this.isStopped()) return;
    this.state = state;
    const status = this.status;
    this.safely(() => this.options.onStateChange?.(status));
  }

  /** A callback's failure must not break the connection logic. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log('warn', 'DingTalk Stream callback threw', { error: errorMessage(error) });
    }
  }

  private log(level: 'debug' | 'info' | 'warn', msg: string, fields: Record<string, unknown> = {}): void {
    this.options.logger?.[level](msg, { appKey: this.credentials.appKey, ...fields });
  }
}

function send(link: Link, text: string): void {
  if (link.socket.readyState === WebSocket.OPEN) link.socket.send(text);
}

function closeLink(link: Link, timeoutMs: number): Promise<void> {
  clearInterval(link.keepAlive);
  clearTimeout(link.drainTimer);
  const { socket } = link;
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = unref(
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, timeoutMs),
    );
    socket.once('close', done);
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close(1000, 'client stopping');
  });
}

function asJitError(error: unknown): JitError {
  if (error instanceof JitError) return error;
  return DINGTALK_ERRORS.error('DINGTALK_UNAVAILABLE', `DingTalk Stream registration failed: ${scrubTicket(errorMessage(error))}`, { call: 'gateway/connections/open', reason: 'UNAVAILABLE' });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stringDetail(error: JitError, name: string): string | undefined {
  const value = error.details[name];
  return typeof value === 'string' ? value : undefined;
}

/** A ticket must not reach a log line or an error, even inside a library's message. */
function scrubTicket(text: string): string {
  return text.replace(/(ticket=)[^&\s"']+/gi, '$1[redacted]');
}

function requireOption(ok: boolean, field: string, rule: string): void {
  if (!ok) throw new JitError('CONFIG_INVALID', `DingTalk Stream client option ${field} must be ${rule}`);
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => unref(setTimeout(resolve, ms)));
}

function unref<T extends NodeJS.Timeout>(timer: T): T {
  timer.unref();
  return timer;
}
