/**
 * The audit trail's vocabulary: which events are recorded, what one carries, and how they are read
 * back. Rows live in the `audit_events` table (./entity.ts); `app.audit` is the one way to them.
 */
import type { EntityManager } from 'typeorm';

/** Every event type the runtime records, besides the operators' own `admin.<action>` events. */
export const AUDIT_EVENT_TYPES = [
  'login.succeeded',
  'login.failed',
  'binding.created',
  'binding.updated',
  'binding.removed',
  'binding.left',
  'user.created',
  'user.disabled',
  'user.enabled',
  'session.revoked',
  'account.locked',
  'account.unlocked',
  'membership.ended',
  'membership.restored',
  'sync.finished',
  'event.applied',
  'config.reloaded',
] as const;

export type KnownAuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
/** An operator action (console, CLI): `admin.user.disabled`, `admin.instance.updated`, ... */
export type AdminAuditEventType = `admin.${string}`;
export type AuditEventType = KnownAuditEventType | AdminAuditEventType;

/** Rows a `list` page holds unless told (`limit`), and at most. */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

/** The outcome of an event that went through. Anything else is the error code it failed with. */
export const AUDIT_OK = 'ok';

/**
 * What a caller records. Only `type` is required; the client address, user agent and request id come
 * from the current request context (runtime/request-context.ts) when not given.
 */
export interface AuditEventInput {
  type: AuditEventType;
  /** 'ok' (default) or the stable error code of a failure (`CREDENTIALS_INVALID`, ...). */
  outcome?: string;
  /** fullName of the element the event happened in (a login instance, a corp). */
  instance?: string | null;
  corpId?: string | null;
  /**
   * The person's account id in the external organisation `corpId` (for a DingTalk login, the
   * member's userid), when known. The column was `dingtalkUserId` until migration AuditMemberId1798500000000.
   */
  memberId?: string | null;
  unionId?: string | null;
  /** The local user (users.id). */
  userId?: string | null;
  clientAddress?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  /**
   * Anything else worth keeping, as JSON. Secret-free by construction: keys that name secrets or
   * one-time values (code, token, ticket, password, state, ...) are dropped, and every registered
   * secret is masked in what remains (see ./sanitize.ts).
   */
  details?: Record<string, unknown> | null;
  /**
   * Fold repeats into one row with a count (same type, outcome, client address and instance within
   * the aggregation window) instead of adding a row each. Default: true for `login.failed`, so a
   * flood of failed logins cannot fill the disk.
   */
  aggregate?: boolean;
}

/** One stored row. */
export interface AuditEvent {
  /** Increasing: a later row has a larger id (a decimal string; use it as a cursor). */
  id: string;
  /** When the event (the first of an aggregated row) happened. */
  time: Date;
  /** When the last event folded into this row happened (= time for a single event). */
  lastTime: Date;
  type: AuditEventType;
  outcome: string;
  instance: string | null;
  corpId: string | null;
  memberId: string | null;
  unionId: string | null;
  userId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
  /** How many events this row stands for (1 unless aggregated). */
  count: number;
}

/** Filters shared by `list` and `export`. */
export interface AuditFilter {
  /** Rows whose last event is at or after this time. */
  since?: Date;
  /** Rows whose first event is at or before this time. */
  until?: Date;
  /** A local user id, or an external account's id (`memberId`) or unionId. */
  user?: string;
  /** An exact type, or a prefix ending in `.*` (`admin.*`, `login.*`). */
  type?: string;
  /** The element fullName. */
  instance?: string;
}

export interface AuditQuery extends AuditFilter {
  /** Rows per page (default 100, at most 1000). */
  limit?: number;
  /** Rows to skip (prefer `cursor` for deep pages: it costs nothing). */
  offset?: number;
  /** Continue after this row: the `nextCursor` of the previous page. */
  cursor?: string;
}

export interface AuditPage {
  /** Newest first. */
  events: AuditEvent[];
  /** Pass as `cursor` for the next (older) page; null when this page was the last. */
  nextCursor: string | null;
}

export interface AuditExportOptions extends AuditFilter {
  /** Rows read per query (default 1000): memory stays at one page whatever the table holds. */
  pageSize?: number;
}

export interface AuditLog {
  /**
   * Writes one event. With `manager`, inside that transaction: the event commits with the change it
   * records, and rolls back with it. Throws when the row cannot be written.
   */
  record(event: AuditEventInput, manager?: EntityManager): Promise<void>;
  /** Writes many events in few statements (e.g. one per sync batch); never aggregated. */
  recordMany(events: readonly AuditEventInput[], manager?: EntityManager): Promise<void>;
  /**
   * `record` for paths that are already failing: a row that cannot be written is logged, never
   * thrown, so the caller's own error is the one that surfaces.
   */
  tryRecord(event: AuditEventInput, manager?: EntityManager): Promise<void>;
  /** One page, newest first. */
  list(query?: AuditQuery): Promise<AuditPage>;
  /** Every matching row, oldest first, read a page at a time. */
  export(options?: AuditExportOptions): AsyncIterable<AuditEvent>;
  /** Deletes rows whose last event is older than `retentionDays` days; returns how many. */
  prune(retentionDays: number): Promise<number>;
}
