/**
 * A corp's event watcher: what `corp.watchEvents()` returns, for any corps Type with a live source
 * (DingTalk's is a Stream connection, DDInnerType/events/stream-watcher.ts). `jit serve` runs one per
 * corp with `sync.events`; `jit org watch <corp>` runs one on its own.
 *
 * A watcher applies each event once (events/apply-live-change.ts), runs one catch-up sync when it
 * starts and after a gap of at least `sync.catchUpAfterSeconds` without a connection (through the
 * corp's `syncCorp`, so under the sync lease), keeps its row in corp_event_watchers for `jit org
 * status`, and reports metrics (events/event-metrics.ts).
 */
import type { Logger } from '../../../runtime';
import type { CorpEventWatcherRow } from '../models/OrgModel/entities';

export interface WatchEventsOptions {
  /** Default: the app's logger, with the corp's name. */
  logger?: Logger;
  /** A connection down at least this long asks for a catch-up sync; default the corp's `sync.catchUpAfterSeconds` (300). */
  catchUpAfterMs?: number;
  /** Run one catch-up sync once the first connection is open (default true: what happened while no watcher ran is unknown). */
  catchUpOnStart?: boolean;
  /** How often counts reach the watcher's row at most (default 1000 ms) and its heartbeat (default 30 s). */
  stateFlushMs?: number;
  heartbeatMs?: number;
  /** Settings of the Type's own transport (DingTalk: the Stream client's backoff, keepAliveMs, ...; see docs/events.md §4). */
  transport?: object;
}

export type CorpWatcherState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'stopped';

/** A watcher's view of itself, in its own process (the database row is what other processes see). */
export interface CorpWatcherStatus {
  corp: string;
  state: CorpWatcherState;
  connected: boolean;
  /** The row it keeps in corp_event_watchers, as it stands in memory. */
  row: Readonly<CorpEventWatcherRow>;
  /** A catch-up sync is running. */
  catchingUp: boolean;
}

export interface CorpEventWatcher {
  /** The corp's fullName. */
  readonly corp: string;
  readonly status: CorpWatcherStatus;
  /** Connects (and keeps reconnecting until `stop`); resolves once the watcher's row is written. */
  start(): Promise<void>;
  /** Stops: the event in hand is finished and acked (bounded wait), a catch-up sync is interrupted, the row says stopped. */
  stop(): Promise<void>;
  /** Resolves once no catch-up sync is running (at once when none is). */
  whenCaughtUp(): Promise<void>;
}
