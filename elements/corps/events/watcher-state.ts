/**
 * A running watcher's own row in corp_event_watchers, kept up to date without a write per event:
 * changes of the connection are written at once, counts and event times at most once per `flushMs`,
 * and a heartbeat every `heartbeatMs` says the process is alive. Writes never fail the watcher (a
 * database hiccup costs a stale status line, not an event); they are logged.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../runtime';
import type { CorpEventWatcherRow } from '../models/OrgModel/entities';
import type { CorpWatcherStore } from '../models/OrgModel/watcher-store';

export const DEFAULT_STATE_FLUSH_MS = 1000;
export const DEFAULT_HEARTBEAT_MS = 30_000;

type Counted = 'applied' | 'duplicates' | 'notApplied' | 'retried';

export class WatcherStateRecorder {
  private readonly row: CorpEventWatcherRow;
  private readonly flushMs: number;
  private readonly heartbeatMs: number;
  private flushTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly store: CorpWatcherStore,
    corpFullName: string,
    private readonly logger: Logger,
    options: { flushMs?: number; heartbeatMs?: number } = {},
  ) {
    const now = new Date();
    this.flushMs = options.flushMs ?? DEFAULT_STATE_FLUSH_MS;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.row = {
      id: randomUUID(),
      corpFullName,
      host: `${hostname()}:${process.pid}`.slice(0, 255),
      startedAt: now,
      connected: false,
      connectedSince: null,
      downSince: null,
      lastEventAt: null,
      applied: 0,
      duplicates: 0,
      notApplied: 0,
      retried: 0,
      reconnects: 0,
      lastCatchUpAt: null,
      lastCatchUpReason: null,
      lastCatchUpOutcome: null,
      lastError: null,
      stoppedAt: null,
      updatedAt: now,
    };
  }

  /** This watcher's row as it stands in memory (what the next write saves). */
  get state(): Readonly<CorpEventWatcherRow> {
    return this.row;
  }

  /** Writes the first row and starts the heartbeat. */
  start(): Promise<void> {
    this.heartbeat = setInterval(() => void this.flush(), this.heartbeatMs);
    this.heartbeat.unref();
    return this.flush();
  }

  /** Changes fields; `now` writes at once (the connection changed), else within `flushMs`. */
  update(patch: Partial<Omit<CorpEventWatcherRow, 'id' | 'corpFullName' | 'host' | 'startedAt'>>, options: { now?: boolean } = {}): void {
    Object.assign(this.row, patch);
    if (this.closed) return;
    if (options.now) void this.flush();
    else this.flushSoon();
  }

  count(field: Counted, at: Date = new Date()): void {
    this.row[field] += 1;
    this.update({ lastEventAt: at });
  }

  /** Stops the timers and writes the last row: not connected, stopped now. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.update({ connected: false, connectedSince: null, stoppedAt: new Date() });
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
  }

  private flushSoon(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.flushMs);
    this.flushTimer.unref();
  }

  /** One write at a time, in order; each saves the row as it is when its turn comes. */
  private flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      try {
        await this.store.save({ ...this.row, updatedAt: new Date() });
      } catch (err) {
        this.logger.warn('could not record the event watcher state', { corp: this.row.corpFullName, error: err instanceof Error ? err.message : String(err) });
      }
    });
    return this.writing;
  }
}
