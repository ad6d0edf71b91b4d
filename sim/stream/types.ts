/**
 * The public types of the simulator's Stream mode (docs/dingtalk-facts.md §12): its options, the
 * in-process handle tests drive, and what the admin routes report. No secret appears in any of them.
 */

export interface SimStreamOptions {
  /**
   * How long an EVENT frame waits for its ack, and how long after a `LATER` ack the event is pushed
   * again. DingTalk's is about 60 s (the Node SDK's comment, docs/dingtalk-facts.md §12); tests shorten it.
   * Default 60000.
   */
  redeliveryMs?: number;
  /** Interval of the SYSTEM `ping` frames sent to every connection; 0 = only on demand. Default 30000. */
  pingIntervalMs?: number;
  /** After a SYSTEM `disconnect` frame, the server closes the connection this much later (DingTalk:
   *  about 10 s, docs/dingtalk-facts.md §12). Default 10000. */
  disconnectCloseMs?: number;
  /** Undelivered events kept per app; past it the oldest is dropped (and counted). Default 10000. */
  maxPendingPerApp?: number;
}

/** One open WebSocket of an app, as `GET /__sim/stream/connections` lists it. */
export interface SimStreamConnectionInfo {
  id: string;
  appKey: string;
  corpId: string;
  /** The `ua` and `localIp` the client sent when it registered (may be absent). */
  ua?: string;
  localIp?: string;
  /** Simulator clock, Unix ms. */
  openedAt: number;
  /** A `disconnect` frame was sent; the server closes it shortly. */
  closing: boolean;
  /** Silent both ways since `stall` (a half-open connection). */
  stalled: boolean;
  pingsSent: number;
  pongs: number;
  /** Frames the client sent that do not follow the protocol (the latest few kept in `lastProtocolError`). */
  protocolErrors: number;
  lastProtocolError?: string;
}

/** An event waiting for a SUCCESS ack. */
export interface SimStreamPendingInfo {
  appKey: string;
  eventId: string;
  eventType: string;
  corpId: string;
  /** Frames sent for this delivery so far. */
  attempts: number;
  /** waiting: no connection (or paused); inFlight: sent, ack awaited; retry: a push again is scheduled. */
  state: 'waiting' | 'inFlight' | 'retry';
  /** This delivery is an extra copy made by `duplicate(eventId)`. */
  duplicate: boolean;
}

/** An event the simulator generated (or was asked to push), newest last. */
export interface SimStreamEventInfo {
  eventId: string;
  eventType: string;
  corpId: string;
  /** Simulator clock, Unix ms. */
  bornTime: number;
  /** The parsed `data` of the frame. */
  data: Record<string, unknown>;
  /** The apps it was queued for (those of the corp that have opened a Stream connection). */
  appKeys: string[];
}

export interface SimStreamCounters {
  /** POST /v1.0/gateway/connections/open answered with a ticket. */
  ticketsIssued: number;
  /** WebSocket handshakes refused (no, unknown, used or expired ticket). */
  ticketsRejected: number;
  connectionsOpened: number;
  /** Events queued for an app (one org change seen by two apps counts twice). */
  pushed: number;
  /** EVENT frames sent (first pushes and redeliveries). */
  delivered: number;
  /** EVENT frames sent again for the same delivery (after a LATER ack, no ack in time, or a lost connection). */
  redelivered: number;
  /** Extra copies made by `duplicate(eventId)`. */
  duplicates: number;
  /** Acks with status SUCCESS (the event is done). */
  acked: number;
  /** Acks with status LATER. */
  later: number;
  /** Acks with a code other than 200 (the event is pushed again). */
  failedAcks: number;
  /** Undelivered events dropped because an app's queue was full. */
  dropped: number;
  pingsSent: number;
  pongs: number;
  /** Frames from clients that break the protocol (bad JSON, missing fields, unknown messageId...). */
  protocolErrors: number;
}

/** The contact-change events the simulator generates (docs/dingtalk-facts.md §12). */
export type SimContactEventType =
  | 'user_add_org'
  | 'user_modify_org'
  | 'user_leave_org'
  | 'user_active_org'
  | 'org_admin_add'
  | 'org_admin_remove'
  | 'org_dept_create'
  | 'org_dept_modify'
  | 'org_dept_remove';

/** Controls and views of Stream mode, in process (`sim.stream`). */
export interface SimStreamHandle {
  connections(): SimStreamConnectionInfo[];
  pending(): SimStreamPendingInfo[];
  /** Events generated or pushed so far (the latest 1000), newest last. */
  events(): SimStreamEventInfo[];
  counters(): SimStreamCounters;
  resetCounters(): void;
  /** Queue an event of any type for the corp's subscribed apps (e.g. `label_user_change`); returns its eventId. */
  pushEvent(corpId: string, eventType: string, data: Record<string, unknown>): string;
  /** Push an event once more with the same eventId, as DingTalk may (a duplicate). Returns how many
   *  copies were queued (one per app it was for). */
  duplicate(eventId: string): number;
  /** Send a SYSTEM ping to every connection (of one app); returns the number sent. */
  ping(appKey?: string): number;
  /** Send a SYSTEM disconnect to every connection (of one app), closed `disconnectCloseMs` later. */
  disconnect(appKey?: string, reason?: string): number;
  /** Cut every connection (of one app; or the one with this id) at once, with no frame and no close handshake. */
  drop(appKey?: string, connectionId?: string): number;
  /** Make connections go silent both ways without closing, as a half-open TCP connection after a
   *  NAT or firewall drop: frames pushed to them are lost, nothing sent on them is read; only the
   *  client's keep-alive can notice. `drop(appKey, id)` removes them. */
  stall(appKey?: string, connectionId?: string): number;
  /** Hold delivery (for one app, or all): events queue until `resume`. */
  pause(appKey?: string): void;
  resume(appKey?: string): void;
}
