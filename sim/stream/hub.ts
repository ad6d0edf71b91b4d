/**
 * The simulator's Stream mode, server side (docs/dingtalk-facts.md §12): the open WebSocket connections of
 * each app, the events waiting for an ack, redelivery, SYSTEM ping / disconnect frames, and the
 * controls tests use (drop, pause, duplicate) with counters.
 *
 * Delivery follows the protocol page: each push goes to one connection of the app, picked at random
 * (§1f); an event acked `SUCCESS` is done; one acked `LATER`, acked with a code other than 200, or not
 * acked in time is pushed again after `redeliveryMs` (§1d). Choices where the doc is silent:
 * - an app counts as subscribed once it has opened a Stream connection (DingTalk's console only saves
 *   the event subscription after it has seen a live connection, configure-stream-push); events of a
 *   corp are queued for its subscribed apps only;
 * - an event for an app with no open connection waits (up to `maxPendingPerApp` per app) and is pushed
 *   as soon as one connects; whether DingTalk keeps events across a gap is undocumented, which is why
 *   the client reports gaps and its caller runs a catch-up sync after a long one;
 * - a connection that was sent a `disconnect` frame gets no new pushes;
 * - an ack must come back on the connection the frame went out on.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SimClock } from '../clock';
import type { RandomSource } from '../random';
import type { SimOrg } from '../types';
import { contactEventsBetween } from './contact-events';
import {
  eventFrame, newEventId, newMessageId, readAck, readEventAckData, readPingAckData, systemFrame, unifiedAppIdOf, type DownstreamFrame,
} from './frames';
import { TicketStore, type TicketGrant } from './tickets';
import type {
  SimStreamConnectionInfo, SimStreamCounters, SimStreamEventInfo, SimStreamHandle, SimStreamOptions, SimStreamPendingInfo,
} from './types';

export const DEFAULT_STREAM_OPTIONS: Readonly<Required<SimStreamOptions>> = Object.freeze({
  redeliveryMs: 60_000,
  pingIntervalMs: 30_000,
  disconnectCloseMs: 10_000,
  maxPendingPerApp: 10_000,
});

/** The `reason` of a `disconnect` frame when the caller gives none (the doc's example). */
export const DEFAULT_DISCONNECT_REASON = 'persistent connection is timeout';

const HISTORY_LIMIT = 1000;
/** messageIds of settled frames remembered, so a late ack for one is not called a protocol error. */
const RETIRED_LIMIT = 10_000;

interface Connection {
  readonly id: string;
  readonly grant: TicketGrant;
  readonly socket: WebSocket;
  /** The TCP connection under it (for `stall`). */
  readonly raw?: Duplex;
  readonly openedAt: number;
  closing: boolean;
  /** Gone silent both ways (`stall`): frames sent to it are lost, nothing it sends is read. */
  stalled: boolean;
  closeTimer?: NodeJS.Timeout;
  pingsSent: number;
  pongs: number;
  protocolErrors: number;
  lastProtocolError?: string;
}

interface StoredEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly corpId: string;
  readonly bornTime: number;
  readonly data: Record<string, unknown>;
  readonly appKeys: string[];
}

interface Delivery {
  readonly key: number;
  readonly appKey: string;
  readonly event: StoredEvent;
  readonly duplicate: boolean;
  attempts: number;
  state: 'waiting' | 'inFlight' | 'retry';
  timer?: NodeJS.Timeout;
  /** Every messageId this delivery was sent under (the latest last). */
  messageIds: string[];
}

type SentFrame = { kind: 'event'; delivery: number; connection: string } | { kind: 'ping'; opaque: string; connection: string };

export class StreamHub implements SimStreamHandle {
  readonly tickets: TicketStore;
  private readonly options: Required<SimStreamOptions>;
  private readonly open = new Map<string, Connection>();
  private readonly deliveries = new Map<number, Delivery>();
  private readonly sent = new Map<string, SentFrame>();
  private readonly retired = new Set<string>();
  private readonly subscribed = new Set<string>();
  private readonly pausedApps = new Set<string>();
  private pausedAll = false;
  private history: StoredEvent[] = [];
  private count: SimStreamCounters = zeroCounters();
  private nextConnection = 1;
  private nextDelivery = 1;
  private pingTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly clock: SimClock,
    /** The appKeys of a corp in the current org. */
    private readonly appsOfCorp: (corpId: string) => string[],
    private readonly random: RandomSource,
    options: SimStreamOptions = {},
  ) {
    this.options = checkOptions(options);
    this.tickets = new TicketStore(clock);
  }

  // ---- connections -------------------------------------------------------------------------------

  /** Takes over a WebSocket whose ticket was redeemed. */
  attach(socket: WebSocket, grant: TicketGrant, raw?: Duplex): void {
    if (this.closed) return void socket.terminate();
    const connection: Connection = {
      id: `c${this.nextConnection++}`,
      grant,
      socket,
      raw,
      openedAt: this.clock.now(),
      closing: false,
      stalled: false,
      pingsSent: 0,
      pongs: 0,
      protocolErrors: 0,
    };
    this.open.set(connection.id, connection);
    this.subscribed.add(grant.appKey);
    this.count.connectionsOpened += 1;
    socket.on('message', (raw, isBinary) => this.receive(connection, raw, isBinary));
    socket.on('close', () => this.detach(connection));
    // A reset connection emits 'error' then 'close'; the close does the work.
    socket.on('error', () => undefined);
    this.startPinging();
    this.flush(grant.appKey);
  }

  private detach(connection: Connection): void {
    clearTimeout(connection.closeTimer);
    this.open.delete(connection.id);
    // Frames in flight on it are pushed again when their ack timer runs out, as for any missing ack.
  }

  private connectionsOf(appKey?: string): Connection[] {
    return [...this.open.values()].filter((c) => appKey === undefined || c.grant.appKey === appKey);
  }

  private send(connection: Connection, frame: DownstreamFrame): boolean {
    if (connection.socket.readyState !== connection.socket.OPEN) return false;
    // A stalled connection looks alive to the server: the frame goes into the void.
    if (connection.stalled) return true;
    connection.socket.send(JSON.stringify(frame));
    return true;
  }

  // ---- what clients send -------------------------------------------------------------------------

  private receive(connection: Connection, raw: unknown, isBinary: boolean): void {
    if (isBinary) return this.protocolError(connection, 'a binary message (acks are JSON text)');
    const reading = readAck(String(raw));
    if (!reading.ok) return this.protocolError(connection, reading.problem);
    const { ack } = reading;
    const frame = this.sent.get(ack.messageId);
    if (!frame) {
      if (!this.retired.has(ack.messageId)) this.protocolError(connection, `headers.messageId: no frame "${ack.messageId}" was sent`);
      return;
    }
    if (frame.connection !== connection.id) return this.protocolError(connection, 'an ack on another connection than its frame');

    if (frame.kind === 'ping') {
      this.retire(ack.messageId);
      const problem = ack.code === 200 ? readPingAckData(ack.data, frame.opaque) : 'code: a ping is answered with 200';
      if (problem) return this.protocolError(connection, problem);
      connection.pongs += 1;
      this.count.pongs += 1;
      return;
    }

    const delivery = this.deliveries.get(frame.delivery);
    if (!delivery) return this.retire(ack.messageId); // already settled: a late ack of an earlier push
    if (ack.code !== 200) {
      this.retire(ack.messageId);
      this.count.failedAcks += 1;
      return this.retryLater(delivery, ack.messageId);
    }
    const status = readEventAckData(ack.data);
    if (!status.ok) return this.protocolError(connection, status.problem);
    this.retire(ack.messageId);
    if (status.status === 'SUCCESS') {
      this.count.acked += 1;
      return this.settle(delivery);
    }
    this.count.later += 1;
    this.retryLater(delivery, ack.messageId);
  }

  private protocolError(connection: Connection, problem: string): void {
    connection.protocolErrors += 1;
    connection.lastProtocolError = problem;
    this.count.protocolErrors += 1;
  }

  private retire(messageId: string): void {
    this.sent.delete(messageId);
    this.retired.add(messageId);
    if (this.retired.size > RETIRED_LIMIT) this.retired.delete(this.retired.values().next().value as string);
  }

  // ---- delivery ----------------------------------------------------------------------------------

  /** Queues an event of a corp for every subscribed app of the corp; returns its eventId. */
  publish(corpId: string, eventType: string, data: Record<string, unknown>): string {
    const event: StoredEvent = {
      eventId: newEventId(),
      eventType,
      corpId,
      bornTime: this.clock.now(),
      data,
      appKeys: this.appsOfCorp(corpId).filter((appKey) => this.subscribed.has(appKey)),
    };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history = this.history.slice(-HISTORY_LIMIT);
    for (const appKey of event.appKeys) this.enqueue(appKey, event, false);
    return event.eventId;
  }

  /** The org changed: push the contact events of each corp to its subscribed apps. */
  orgChanged(before: SimOrg, after: SimOrg): void {
    if (this.subscribed.size === 0) return; // nobody listens: skip comparing large orgs
    const previous = new Map(before.corps.map((corp) => [corp.corpId, corp]));
    const now = this.clock.now();
    for (const corp of after.corps) {
      const prev = previous.get(corp.corpId);
      if (!prev || !corp.apps.some((app) => this.subscribed.has(app.appKey))) continue;
      for (const change of contactEventsBetween(prev, corp, now)) this.publish(corp.corpId, change.eventType, change.data);
    }
  }

  private enqueue(appKey: string, event: StoredEvent, duplicate: boolean): void {
    const queued = [...this.deliveries.values()].filter((d) => d.appKey === appKey);
    if (queued.length >= this.options.maxPendingPerApp) {
      const oldest = queued.find((d) => d.state === 'waiting') ?? queued[0];
      this.dropDelivery(oldest);
    }
    const delivery: Delivery = { key: this.nextDelivery++, appKey, event, duplicate, attempts: 0, state: 'waiting', messageIds: [] };
    this.deliveries.set(delivery.key, delivery);
    if (duplicate) this.count.duplicates += 1;
    else this.count.pushed += 1;
    this.deliver(delivery);
  }

  private deliver(delivery: Delivery): void {
    clearTimeout(delivery.timer);
    delivery.timer = undefined;
    delivery.state = 'waiting';
    if (this.closed || this.pausedAll || this.pausedApps.has(delivery.appKey)) return;
    const candidates = this.connectionsOf(delivery.appKey).filter((c) => !c.closing && c.socket.readyState === c.socket.OPEN);
    if (candidates.length === 0) return;
    // DingTalk picks one connection at random for each push (§1f).
    const connection = candidates[Math.floor(this.random() * candidates.length)];
    const messageId = newMessageId();
    const { event } = delivery;
    const frame = eventFrame({
      messageId,
      time: this.clock.now(),
      eventType: event.eventType,
      eventId: event.eventId,
      bornTime: event.bornTime,
      corpId: event.corpId,
      unifiedAppId: unifiedAppIdOf(delivery.appKey),
      data: event.data,
    });
    if (!this.send(connection, frame)) return;
    this.sent.set(messageId, { kind: 'event', delivery: delivery.key, connection: connection.id });
    delivery.messageIds.push(messageId);
    delivery.attempts += 1;
    delivery.state = 'inFlight';
    this.count.delivered += 1;
    if (delivery.attempts > 1) this.count.redelivered += 1;
    delivery.timer = unrefTimer(setTimeout(() => this.deliver(delivery), this.options.redeliveryMs));
  }

  private retryLater(delivery: Delivery, messageId: string): void {
    // Only the latest push decides; a LATER for an earlier one is already overtaken.
    if (delivery.messageIds[delivery.messageIds.length - 1] !== messageId) return;
    clearTimeout(delivery.timer);
    delivery.state = 'retry';
    delivery.timer = unrefTimer(setTimeout(() => this.deliver(delivery), this.options.redeliveryMs));
  }

  private settle(delivery: Delivery): void {
    clearTimeout(delivery.timer);
    this.deliveries.delete(delivery.key);
    for (const id of delivery.messageIds) if (this.sent.delete(id)) this.retired.add(id);
  }

  /** Pushes every waiting event (of one app). */
  private flush(appKey?: string): void {
    for (const delivery of [...this.deliveries.values()])
      if (delivery.state === 'waiting' && (appKey === undefined || delivery.appKey === appKey)) this.deliver(delivery);
  }

  // ---- SYSTEM frames -----------------------------------------------------------------------------

  private startPinging(): void {
    if (this.pingTimer || this.options.pingIntervalMs === 0) return;
    this.pingTimer = unrefTimer(setInterval(() => this.ping(), this.options.pingIntervalMs));
  }

  ping(appKey?: string): number {
    let sent = 0;
    for (const connection of this.connectionsOf(appKey)) {
      const messageId = newMessageId();
      const opaque = randomUUID();
      if (!this.send(connection, systemFrame('ping', messageId, this.clock.now(), { opaque }))) continue;
      this.sent.set(messageId, { kind: 'ping', opaque, connection: connection.id });
      connection.pingsSent += 1;
      this.count.pingsSent += 1;
      sent += 1;
    }
    return sent;
  }

  disconnect(appKey?: string, reason = DEFAULT_DISCONNECT_REASON): number {
    let sent = 0;
    for (const connection of this.connectionsOf(appKey)) {
      if (connection.closing) continue;
      if (!this.send(connection, systemFrame('disconnect', newMessageId(), this.clock.now(), { reason }))) continue;
      connection.closing = true;
      connection.closeTimer = unrefTimer(setTimeout(() => connection.socket.close(1000, 'disconnect'), this.options.disconnectCloseMs));
      sent += 1;
    }
    return sent;
  }

  drop(appKey?: string, connectionId?: string): number {
    const connections = this.connectionsOf(appKey).filter((c) => connectionId === undefined || c.id === connectionId);
    for (const connection of connections) connection.socket.terminate();
    return connections.length;
  }

  stall(appKey?: string, connectionId?: string): number {
    const connections = this.connectionsOf(appKey).filter((c) => !c.stalled && (connectionId === undefined || c.id === connectionId));
    for (const connection of connections) {
      connection.stalled = true;
      // Nothing the client sends is read any more, its keep-alive pings included.
      connection.raw?.pause();
    }
    return connections.length;
  }

  private dropDelivery(delivery: Delivery): void {
    this.settle(delivery);
    this.count.dropped += 1;
  }

  // ---- controls and views ------------------------------------------------------------------------

  pause(appKey?: string): void {
    if (appKey === undefined) this.pausedAll = true;
    else this.pausedApps.add(appKey);
  }

  resume(appKey?: string): void {
    if (appKey === undefined) {
      this.pausedAll = false;
      this.pausedApps.clear();
    } else this.pausedApps.delete(appKey);
    this.flush(appKey);
  }

  pushEvent(corpId: string, eventType: string, data: Record<string, unknown>): string {
    if (this.appsOfCorp(corpId).length === 0) throw new RangeError(`no corp "${corpId}" with an app in the simulator's org`);
    if (typeof eventType !== 'string' || !/^[a-z][a-z0-9_]*$/.test(eventType)) throw new RangeError('eventType: must be an event name such as "label_user_change"');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new RangeError('data: must be a JSON object');
    return this.publish(corpId, eventType, structuredClone(data));
  }

  duplicate(eventId: string): number {
    const event = this.history.find((e) => e.eventId === eventId);
    if (!event) throw new RangeError(`no event "${eventId}" among the last ${HISTORY_LIMIT} the simulator pushed`);
    for (const appKey of event.appKeys) this.enqueue(appKey, event, true);
    return event.appKeys.length;
  }

  connections(): SimStreamConnectionInfo[] {
    return [...this.open.values()].map((c) => ({
      id: c.id,
      appKey: c.grant.appKey,
      corpId: c.grant.corpId,
      ...(c.grant.ua !== undefined ? { ua: c.grant.ua } : {}),
      ...(c.grant.localIp !== undefined ? { localIp: c.grant.localIp } : {}),
      openedAt: c.openedAt,
      closing: c.closing,
      stalled: c.stalled,
      pingsSent: c.pingsSent,
      pongs: c.pongs,
      protocolErrors: c.protocolErrors,
      ...(c.lastProtocolError !== undefined ? { lastProtocolError: c.lastProtocolError } : {}),
    }));
  }

  pending(): SimStreamPendingInfo[] {
    return [...this.deliveries.values()].map((d) => ({
      appKey: d.appKey,
      eventId: d.event.eventId,
      eventType: d.event.eventType,
      corpId: d.event.corpId,
      attempts: d.attempts,
      state: d.state,
      duplicate: d.duplicate,
    }));
  }

  events(): SimStreamEventInfo[] {
    return this.history.map((e) => ({ ...e, data: structuredClone(e.data), appKeys: [...e.appKeys] }));
  }

  counters(): SimStreamCounters {
    return { ...this.count };
  }

  resetCounters(): void {
    this.count = zeroCounters();
  }

  /** Counts a ticket answered by connections/open, or a handshake refused. */
  countTicket(outcome: 'issued' | 'rejected'): void {
    if (outcome === 'issued') this.count.ticketsIssued += 1;
    else this.count.ticketsRejected += 1;
  }

  /** Stops every timer and cuts every connection (the simulator is closing). */
  close(): void {
    this.closed = true;
    clearInterval(this.pingTimer);
    for (const delivery of this.deliveries.values()) clearTimeout(delivery.timer);
    for (const connection of this.open.values()) {
      clearTimeout(connection.closeTimer);
      connection.socket.terminate();
    }
    this.open.clear();
  }
}

function zeroCounters(): SimStreamCounters {
  return {
    ticketsIssued: 0, ticketsRejected: 0, connectionsOpened: 0, pushed: 0, delivered: 0, redelivered: 0, duplicates: 0,
    acked: 0, later: 0, failedAcks: 0, dropped: 0, pingsSent: 0, pongs: 0, protocolErrors: 0,
  };
}

function checkOptions(options: SimStreamOptions): Required<SimStreamOptions> {
  const resolved = { ...DEFAULT_STREAM_OPTIONS, ...definedOnly(options) };
  for (const [name, min] of [['redeliveryMs', 1], ['pingIntervalMs', 0], ['disconnectCloseMs', 0], ['maxPendingPerApp', 1]] as const) {
    const value = resolved[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new RangeError(`stream.${name}: must be a number >= ${min} (got ${JSON.stringify(value)})`);
  }
  return resolved;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function unrefTimer<T extends NodeJS.Timeout>(timer: T): T {
  timer.unref();
  return timer;
}
