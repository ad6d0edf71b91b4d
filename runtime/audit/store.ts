/**
 * The audit store behind `app.audit`: writes events (inside the caller's transaction when given one,
 * so a change and its record commit or roll back together), folds floods of repeats into one row,
 * reads pages and exports, and prunes by age.
 *
 * Folding (./aggregate.ts) is an UPDATE of the latest row of the same key within the window, else an
 * INSERT, done under a lock on that key (PostgreSQL: a transaction-scoped advisory lock; SQLite: the
 * database's one write lock), so racing writers, in one process or many, end with one row.
 */
import { createHash } from 'node:crypto';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Database } from '../db/types';
import { JitError, isJitError } from '../errors';
import { silentLogger, type Logger } from '../logger';
import { currentRequestContext } from '../request-context';
import { AUDIT_COLUMN_LENGTHS, AuditEventEntity, type AuditEventRow } from './entity';
import { sanitizeDetails, sanitizeText } from './sanitize';
import { matchesAuditType, readTypeFilter } from './type-filter';
import {
  AUDIT_OK,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  type AuditEvent,
  type AuditEventInput,
  type AuditEventType,
  type AuditExportOptions,
  type AuditFilter,
  type AuditLog,
  type AuditPage,
  type AuditQuery,
} from './types';

export interface AuditStoreOptions {
  logger?: Logger;
  /** The clock rows are stamped and pruned by (tests move it). */
  now?: () => Date;
  /** Repeats of a folded event within this many seconds of its row's first one join that row (default 60). */
  aggregationWindowSeconds?: number;
}

export const DEFAULT_AGGREGATION_WINDOW_SECONDS = 60;
export const DEFAULT_EXPORT_PAGE_SIZE = 1000;
/** Rows deleted per statement when pruning: short statements, so other writers get their turn. */
const PRUNE_BATCH = 5000;
/** Rows per INSERT in recordMany (well under SQLite's bound-variable limit). */
const INSERT_CHUNK = 200;
/** Types folded by default: the ones an anonymous caller can repeat at will. */
const FOLDED_BY_DEFAULT: ReadonlySet<string> = new Set<AuditEventType>(['login.failed']);
/** First key of the PostgreSQL advisory locks taken while folding ("jita"). */
const FOLD_LOCK_CLASS = 0x6a697461;
const OUTCOME = /^(ok|[A-Z][A-Z0-9_]{0,63})$/;
const L = AUDIT_COLUMN_LENGTHS;

export class DatabaseAuditLog implements AuditLog {
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly windowMs: number;

  constructor(
    private readonly db: Database,
    options: AuditStoreOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    const window = options.aggregationWindowSeconds ?? DEFAULT_AGGREGATION_WINDOW_SECONDS;
    if (!(window > 0)) throw new JitError('BAD_REQUEST', `aggregationWindowSeconds must be a positive number of seconds, not ${window}`);
    this.windowMs = window * 1000;
  }

  async record(event: AuditEventInput, manager?: EntityManager): Promise<void> {
    const row = this.toRow(event);
    if (row.aggregateKey) return this.fold(row, manager);
    await this.db.run((m) => m.insert(AuditEventEntity, row), manager);
  }

  async recordMany(events: readonly AuditEventInput[], manager?: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((event) => ({ ...this.toRow(event), aggregateKey: null }));
    const write = async (m: EntityManager) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await m.insert(AuditEventEntity, rows.slice(i, i + INSERT_CHUNK));
    };
    // Several statements: all or none, in the caller's transaction or a transaction of their own.
    if (manager || rows.length <= INSERT_CHUNK) await this.db.run(write, manager);
    else await this.db.transaction(write);
  }

  async tryRecord(event: AuditEventInput, manager?: EntityManager): Promise<void> {
    try {
      await this.record(event, manager);
    } catch (err) {
      this.logger.error('audit event not recorded', { type: event.type, outcome: event.outcome ?? AUDIT_OK, error: isJitError(err) ? err.code : describeError(err) });
    }
  }

  async list(query: AuditQuery = {}): Promise<AuditPage> {
    const limit = readLimit(query.limit);
    const offset = readOffset(query.offset);
    const rows = await this.db.run((m) => {
      const select = this.filtered(m, query).orderBy('a.id', 'DESC').limit(limit + 1);
      if (query.cursor !== undefined) select.andWhere('a.id < :cursor', { cursor: readCursor(query.cursor) });
      if (offset > 0) select.offset(offset);
      return select.getMany();
    });
    const events = rows.slice(0, limit).map(toEvent);
    return { events, nextCursor: rows.length > limit ? events[events.length - 1].id : null };
  }

  export(options: AuditExportOptions = {}): AsyncIterable<AuditEvent> {
    const pageSize = options.pageSize ?? DEFAULT_EXPORT_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new JitError('BAD_REQUEST', `pageSize must be a positive whole number, not ${pageSize}`);
    // Checked now, so a bad filter fails at the call rather than at the first read.
    this.filtered(this.db.dataSource.manager, options);
    const pages = (after: string | null) =>
      this.db.run((m) => {
        const select = this.filtered(m, options).orderBy('a.id', 'ASC').limit(pageSize);
        if (after !== null) select.andWhere('a.id > :after', { after });
        return select.getMany();
      });
    return {
      async *[Symbol.asyncIterator]() {
        let after: string | null = null;
        for (;;) {
          const rows = await pages(after);
          for (const row of rows) yield toEvent(row);
          if (rows.length < pageSize) return;
          after = String(rows[rows.length - 1].id);
        }
      },
    };
  }

  async prune(retentionDays: number): Promise<number> {
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new JitError('BAD_REQUEST', `retentionDays must be a whole number of days, at least 1 (app.json audit.retentionDays), not ${retentionDays}`);
    }
    const cutoff = new Date(this.now().getTime() - retentionDays * 24 * 60 * 60 * 1000);
    let total = 0;
    for (;;) {
      const result = await this.db.run((m) =>
        m
          .createQueryBuilder()
          .delete()
          .from(AuditEventEntity)
          .where(`id IN (SELECT id FROM audit_events WHERE "lastTime" < :cutoff ORDER BY id LIMIT ${PRUNE_BATCH})`, { cutoff })
          .execute(),
      );
      const deleted = result.affected ?? 0;
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }

  /**
   * Folds the row into the latest row of its key that started within the window, or inserts it.
   * Under the key's lock: two writers of one key never both find nothing and both insert.
   */
  private fold(row: AuditEventRow, manager?: EntityManager): Promise<void> {
    const work = async (m: EntityManager) => {
      if (this.db.kind === 'postgres') await m.query('SELECT pg_advisory_xact_lock($1, $2)', [FOLD_LOCK_CLASS, lockIdOf(row.aggregateKey!)]);
      // On SQLite this UPDATE is the transaction's first statement: it takes the write lock (waiting
      // for another process's writer) before it reads, so it reads what that writer committed.
      const folded = await m
        .createQueryBuilder()
        .update(AuditEventEntity)
        .set({
          count: () => '"count" + 1',
          lastTime: row.time,
          // An identity stays on the row only while every folded event shares it.
          userId: () => 'CASE WHEN "userId" = :foldUserId THEN "userId" ELSE NULL END',
          memberId: () => 'CASE WHEN "memberId" = :foldMemberId THEN "memberId" ELSE NULL END',
          unionId: () => 'CASE WHEN "unionId" = :foldUnionId THEN "unionId" ELSE NULL END',
          corpId: () => 'CASE WHEN "corpId" = :foldCorpId THEN "corpId" ELSE NULL END',
          userAgent: () => 'CASE WHEN "userAgent" = :foldUserAgent THEN "userAgent" ELSE NULL END',
        })
        .where(`id = (SELECT id FROM audit_events WHERE "aggregateKey" = :key AND "time" >= :windowStart ORDER BY "time" DESC, id DESC LIMIT 1)`, {
          key: row.aggregateKey,
          windowStart: new Date(row.time.getTime() - this.windowMs),
        })
        .setParameters({
          foldUserId: row.userId,
          foldMemberId: row.memberId,
          foldUnionId: row.unionId,
          foldCorpId: row.corpId,
          foldUserAgent: row.userAgent,
        })
        .execute();
      if ((folded.affected ?? 0) > 0) return;
      await m.insert(AuditEventEntity, row);
    };
    // The lock and both statements need one transaction: the caller's, or one of our own.
    if (manager?.queryRunner?.isTransactionActive) return work(manager);
    return this.db.transaction(work);
  }

  private toRow(event: AuditEventInput): AuditEventRow {
    if (!event || typeof event !== 'object') throw new JitError('BAD_REQUEST', 'An audit event must be an object with at least a type');
    const type = readType(event.type);
    const outcome = event.outcome ?? AUDIT_OK;
    if (typeof outcome !== 'string' || !OUTCOME.test(outcome)) {
      throw new JitError('BAD_REQUEST', `Audit event outcome must be "ok" or an error code (CREDENTIALS_INVALID, ...), not ${JSON.stringify(outcome)}`);
    }
    const context = currentRequestContext();
    const time = this.now();
    const clientAddress = sanitizeText(pick(event.clientAddress, context.clientAddress), L.clientAddress);
    const instance = sanitizeText(event.instance, L.instance);
    const folds = event.aggregate ?? FOLDED_BY_DEFAULT.has(type);
    return {
      time,
      lastTime: time,
      type,
      outcome,
      instance,
      corpId: sanitizeText(event.corpId, L.corpId),
      memberId: sanitizeText(event.memberId, L.memberId),
      unionId: sanitizeText(event.unionId, L.unionId),
      userId: sanitizeText(event.userId, L.userId),
      clientAddress,
      userAgent: sanitizeText(pick(event.userAgent, context.userAgent), L.userAgent),
      requestId: sanitizeText(pick(event.requestId, context.requestId), L.requestId),
      details: sanitizeDetails(event.details),
      count: 1,
      aggregateKey: folds ? foldKey(type, outcome, clientAddress, instance) : null,
    };
  }

  /** A select of the rows matching the filter (BAD_REQUEST for a malformed one). */
  private filtered(manager: EntityManager, filter: AuditFilter): SelectQueryBuilder<AuditEventRow> {
    const select = manager.createQueryBuilder(AuditEventEntity, 'a').where('1 = 1');
    if (filter.since !== undefined) select.andWhere('a.lastTime >= :since', { since: readDate(filter.since, 'since') });
    if (filter.until !== undefined) select.andWhere('a.time <= :until', { until: readDate(filter.until, 'until') });
    if (filter.user !== undefined && filter.user !== '') {
      select.andWhere('(a.userId = :user OR a.memberId = :user OR a.unionId = :user)', { user: String(filter.user) });
    }
    if (filter.instance !== undefined && filter.instance !== '') select.andWhere('a.instance = :instance', { instance: String(filter.instance) });
    if (filter.type !== undefined && filter.type !== '') {
      const type = readTypeFilter(filter.type);
      if (type.prefix === undefined) select.andWhere('a.type = :type', { type: type.exact });
      else select.andWhere(`a.type LIKE :typePrefix ESCAPE '\\'`, { typePrefix: `${escapeLike(type.prefix)}%` });
    }
    return select;
  }
}

function readType(type: unknown): AuditEventType {
  if (typeof type === 'string' && matchesAuditType(type)) return type as AuditEventType;
  throw new JitError('BAD_REQUEST', `Audit event type ${JSON.stringify(type)} is not one of the audit types (see AUDIT_EVENT_TYPES); operator actions are admin.<action>`);
}

function pick(given: string | null | undefined, fromContext: string | undefined): string | null | undefined {
  return given === undefined ? fromContext : given;
}

/** The key repeats fold under: the same type, outcome, client address and instance. */
function foldKey(type: string, outcome: string, clientAddress: string | null, instance: string | null): string {
  return createHash('sha256').update(JSON.stringify([type, outcome, clientAddress, instance])).digest('hex');
}

/** A signed 32-bit lock id from the key's digest (the advisory lock's second key). */
function lockIdOf(aggregateKey: string): number {
  return parseInt(aggregateKey.slice(0, 8), 16) | 0;
}

function toEvent(row: AuditEventRow): AuditEvent {
  return {
    id: String(row.id),
    time: row.time,
    lastTime: row.lastTime,
    type: row.type as AuditEventType,
    outcome: row.outcome,
    instance: row.instance ?? null,
    corpId: row.corpId ?? null,
    memberId: row.memberId ?? null,
    unionId: row.unionId ?? null,
    userId: row.userId ?? null,
    clientAddress: row.clientAddress ?? null,
    userAgent: row.userAgent ?? null,
    requestId: row.requestId ?? null,
    details: parseDetails(row.details),
    count: Number(row.count),
  };
}

function parseDetails(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function readLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new JitError('BAD_REQUEST', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, not ${limit}; page with the cursor for more`);
  }
  return limit;
}

function readOffset(offset: number | undefined): number {
  if (offset === undefined) return 0;
  if (!Number.isInteger(offset) || offset < 0) throw new JitError('BAD_REQUEST', `offset must be a whole number, 0 or more, not ${offset}`);
  return offset;
}

function readCursor(cursor: string): string {
  if (typeof cursor !== 'string' || !/^\d{1,19}$/.test(cursor)) {
    throw new JitError('BAD_REQUEST', `cursor must be the nextCursor of a previous page (an event id), not ${JSON.stringify(cursor)}`);
  }
  return cursor;
}

function readDate(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new JitError('BAD_REQUEST', `${field} must be a valid Date`);
  return value;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
