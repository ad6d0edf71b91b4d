/**
 * The live-event part of a corp's status (`jit org status`, `GET /api/admin/stream-status`), read
 * from the database so any process can show it: the watchers' rows (connected or not, since when,
 * their counts and catch-up syncs; a row whose heartbeat stopped is a process that died) and the
 * record of applied events (counts over the retention window, the latest ones not applied with
 * their code).
 */
import type { CorpEventWatcherRow } from '../models/OrgModel/entities';
import { EVENT_APPLIED } from '../models/OrgModel/event-store';
import type { OrgModel } from '../models/OrgModel/OrgModel';
import { DEFAULT_HEARTBEAT_MS } from './watcher-state';

/** Days the record of applied events (and stopped watchers' rows) is kept. */
export const EVENT_RETENTION_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;
/** A running watcher's row older than this has missed heartbeats: its process is gone. */
const GONE_AFTER_MS = 3 * DEFAULT_HEARTBEAT_MS;
const FAILURES_SHOWN = 20;

export interface WatcherView {
  host: string;
  /** running: heartbeats arrive; stopped: it stopped cleanly; gone: no heartbeat for a while (the process died). */
  state: 'running' | 'stopped' | 'gone';
  connected: boolean;
  connectedSince: Date | null;
  downSince: Date | null;
  startedAt: Date;
  updatedAt: Date;
  lastEventAt: Date | null;
  applied: number;
  duplicates: number;
  notApplied: number;
  retried: number;
  reconnects: number;
  lastCatchUp: { at: Date; reason: string | null; outcome: string | null } | null;
  lastError: string | null;
}

export interface CorpEventsStatus {
  /** `sync.events` in the corp's config: `jit serve` watches it. */
  enabled: boolean;
  /** A running watcher (any host) has its connection open now. */
  connected: boolean;
  /** Connected: since the earliest open connection; not connected: since the last one closed (null: never connected). */
  since: Date | null;
  lastEventAt: Date | null;
  /** The counts below cover this many days (the record is pruned after them). */
  windowDays: number;
  applied: number;
  /** Deliveries of events already applied, skipped (as the watchers counted them). */
  duplicatesSkipped: number;
  /** Events acked without being applied: permanent failures and leaves DingTalk contradicted. */
  notApplied: number;
  /** The latest of those, newest first, with their code. */
  failures: Array<{ eventId: string; eventType: string; outcome: string; message: string | null; at: Date }>;
  lastCatchUp: { at: Date; reason: string | null; outcome: string | null; host: string } | null;
  watchers: WatcherView[];
}

export async function readEventsStatus(orgModel: OrgModel, corpFullName: string, options: { enabled: boolean; now?: Date }): Promise<CorpEventsStatus> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - EVENT_RETENTION_DAYS * DAY_MS);
  const [rows, counts, failures, latest] = await Promise.all([
    orgModel.watchers.list(corpFullName, since),
    orgModel.events.countByOutcome(corpFullName, since),
    orgModel.events.notApplied(corpFullName, { since, limit: FAILURES_SHOWN }),
    orgModel.events.latest(corpFullName),
  ]);
  const watchers = rows.map((row) => view(row, now));
  const running = watchers.filter((w) => w.state === 'running');
  const open = running.filter((w) => w.connected);
  const connected = open.length > 0;
  const closedAt = watchers.map((w) => w.downSince ?? (w.state === 'running' ? null : w.updatedAt)).filter((d): d is Date => d !== null);
  const catchUps = watchers.filter((w) => w.lastCatchUp).sort((a, b) => b.lastCatchUp!.at.getTime() - a.lastCatchUp!.at.getTime());
  const eventTimes = [...watchers.map((w) => w.lastEventAt), latest?.appliedAt ?? null].filter((d): d is Date => d !== null);
  return {
    enabled: options.enabled,
    connected,
    since: connected ? earliest(open.map((w) => w.connectedSince).filter((d): d is Date => d !== null)) : latestOf(closedAt),
    lastEventAt: latestOf(eventTimes),
    windowDays: EVENT_RETENTION_DAYS,
    applied: counts[EVENT_APPLIED] ?? 0,
    duplicatesSkipped: watchers.reduce((n, w) => n + w.duplicates, 0),
    notApplied: Object.entries(counts).reduce((n, [outcome, count]) => (outcome === EVENT_APPLIED ? n : n + count), 0),
    failures: failures.map((f) => ({ eventId: f.eventId, eventType: f.eventType, outcome: f.outcome, message: f.message, at: f.appliedAt })),
    lastCatchUp: catchUps.length > 0 ? { ...catchUps[0].lastCatchUp!, host: catchUps[0].host } : null,
    watchers,
  };
}

function view(row: CorpEventWatcherRow, now: Date): WatcherView {
  const updatedAt = new Date(row.updatedAt);
  const state = row.stoppedAt ? 'stopped' : now.getTime() - updatedAt.getTime() > GONE_AFTER_MS ? 'gone' : 'running';
  return {
    host: row.host,
    state,
    // A process that died may have left `connected` set: it is not.
    connected: state === 'running' && Boolean(row.connected),
    connectedSince: row.connectedSince,
    downSince: row.downSince,
    startedAt: row.startedAt,
    updatedAt,
    lastEventAt: row.lastEventAt,
    applied: Number(row.applied),
    duplicates: Number(row.duplicates),
    notApplied: Number(row.notApplied),
    retried: Number(row.retried),
    reconnects: Number(row.reconnects),
    lastCatchUp: row.lastCatchUpAt ? { at: row.lastCatchUpAt, reason: row.lastCatchUpReason, outcome: row.lastCatchUpOutcome } : null,
    lastError: row.lastError,
  };
}

function earliest(dates: Date[]): Date | null {
  return dates.length === 0 ? null : new Date(Math.min(...dates.map((d) => new Date(d).getTime())));
}

function latestOf(dates: Date[]): Date | null {
  return dates.length === 0 ? null : new Date(Math.max(...dates.map((d) => new Date(d).getTime())));
}
