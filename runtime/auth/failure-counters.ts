/**
 * Failure counters, in the database so every host shares them: per account, per DingTalk member,
 * per phone and per client address (the scopes are plain strings; the login Types pick them).
 *
 * Two kinds of limit:
 *
 * - **Failed proofs** (a password, a verification code): `beginProof` counts the attempt against
 *   every key *before* the proof is checked, in one transaction that first refuses when any key is
 *   backing off. Counting first means a burst of parallel guesses is counted in full: the attempt
 *   after the limit is refused, however many run at once. When the proof holds, `succeeded()` takes
 *   the attempt back (successful logins never count). A key's first `limit` failures are free;
 *   from then on each failure makes the next attempt wait, doubling from 30 seconds up to 15
 *   minutes. It is a back-off, never a lock: however many failures someone causes against an
 *   account, its owner waits at most 15 minutes, and an operator clears it (`jit users unlock`).
 *   A key forgets its failures an hour after the last one.
 *
 * - **Costly actions** (a bind ticket issued, a verification code sent): `takeAction` counts every
 *   action, successful or not, in a fixed window, and refuses the ones over the limit.
 *
 * Refusals carry `retryAfterSeconds`; the callers answer RATE_LIMITED with it.
 */
import { isIP } from 'node:net';
import { LessThan, MoreThan, type EntityManager } from 'typeorm';
import { transactionRetryingConflicts } from '../db/retry-on-conflict';
import type { Database } from '../db/types';
import { FAILURE_SUBJECT_LENGTH, FailureCounterEntity, type FailureCounterRow } from './failure-counter-entity';

/** The first wait after the free failures; each further failure doubles it. */
export const BACKOFF_BASE_SECONDS = 30;
/** The longest wait a failure can cause: a back-off, not a lock. */
export const BACKOFF_MAX_SECONDS = 15 * 60;
/** A key forgets its failures this long after the last one. */
export const FORGET_AFTER_SECONDS = 60 * 60;

export interface CounterKey {
  scope: string;
  subject: string;
}

export interface GuardedKey extends CounterKey {
  /** Failures allowed before the back-off starts (app.settings.limits.failures.*). */
  limit: number;
  /**
   * What a successful proof does to the key: 'clear' forgets its failures (the account or member
   * proved), 'undo' only takes this attempt back (an address shared by many people). Default 'clear'.
   */
  onSuccess?: 'clear' | 'undo';
}

export interface ProofAttempt {
  /** The proof held: every key takes the attempt back as its `onSuccess` says. */
  succeeded(): Promise<void>;
  /** The proof was never checked (the server was busy): the attempt is taken back from every key, nothing more. */
  abandoned(): Promise<void>;
}

export type ProofDecision =
  | { allowed: true; attempt: ProofAttempt }
  | { allowed: false; retryAfterSeconds: number; key: CounterKey };

export interface ActionLimit {
  limit: number;
  windowSeconds: number;
}

export type ActionDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A counter as operators see it. */
export interface FailureCounterView extends FailureCounterRow {
  /** Seconds until attempts are accepted again (0: not backing off). */
  retryAfterSeconds: number;
}

export interface FailureCounterStore {
  beginProof(keys: GuardedKey[]): Promise<ProofDecision>;
  takeAction(key: CounterKey, limit: ActionLimit): Promise<ActionDecision>;
  /** Live counters (failures in the last hour, or still backing off), those backing off first. */
  list(filter?: { scope?: string; subject?: string }): Promise<FailureCounterView[]>;
  /** Forgets the keys' counts and back-offs; returns how many counters there were. */
  clear(keys: CounterKey[]): Promise<number>;
  /** Deletes counters nobody has touched for an hour (housekeeping); returns how many. */
  purgeStale(): Promise<number>;
}

/** Writes between two purges of stale counters (the table only holds recent activity). */
const PURGE_EVERY = 500;

export class DatabaseFailureCounterStore implements FailureCounterStore {
  private writes = 0;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async beginProof(keys: GuardedKey[]): Promise<ProofDecision> {
    const guarded = uniqueKeys(keys.map((key) => ({ ...key, subject: boundedSubject(key.subject) })));
    const decision = await transactionRetryingConflicts(this.db, async (manager): Promise<ProofDecision | null> => {
      const now = this.now();
      const rows = await this.readForUpdate(manager, guarded);
      let refusal: { retryAfterSeconds: number; key: CounterKey } | null = null;
      for (const [i, key] of guarded.entries()) {
        const row = live(rows[i], now);
        const wait = row?.blockedUntil ? secondsUntil(row.blockedUntil, now) : 0;
        if (wait > 0 && (!refusal || wait > refusal.retryAfterSeconds)) refusal = { retryAfterSeconds: wait, key: { scope: key.scope, subject: key.subject } };
      }
      if (refusal) return { allowed: false, ...refusal };
      for (const [i, key] of guarded.entries()) {
        const row = live(rows[i], now);
        const count = (row?.count ?? 0) + 1;
        const blockedUntil = count >= key.limit ? new Date(now.getTime() + backoffSeconds(count - key.limit) * 1000) : null;
        await this.write(manager, rows[i], { scope: key.scope, subject: key.subject, count, windowStart: row?.windowStart ?? now, lastAt: now, blockedUntil });
      }
      return null;
    });
    await this.housekeep();
    if (decision) return decision;
    return { allowed: true, attempt: { succeeded: () => this.takeBack(guarded, false), abandoned: () => this.takeBack(guarded, true) } };
  }

  async takeAction(key: CounterKey, limit: ActionLimit): Promise<ActionDecision> {
    const counted = { scope: key.scope, subject: boundedSubject(key.subject) };
    const decision = await transactionRetryingConflicts(this.db, async (manager): Promise<ActionDecision> => {
      const now = this.now();
      const [stored] = await this.readForUpdate(manager, [counted]);
      const windowEnd = stored ? stored.windowStart.getTime() + limit.windowSeconds * 1000 : 0;
      const current = stored && windowEnd > now.getTime() ? stored : null;
      if (current && current.count >= limit.limit) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)) };
      const windowStart = current?.windowStart ?? now;
      const count = (current?.count ?? 0) + 1;
      const blockedUntil = count >= limit.limit ? new Date(windowStart.getTime() + limit.windowSeconds * 1000) : null;
      await this.write(manager, stored, { ...counted, count, windowStart, lastAt: now, blockedUntil });
      return { allowed: true };
    });
    await this.housekeep();
    return decision;
  }

  async list(filter: { scope?: string; subject?: string } = {}): Promise<FailureCounterView[]> {
    const now = this.now();
    const where = { ...(filter.scope ? { scope: filter.scope } : {}), ...(filter.subject ? { subject: filter.subject } : {}) };
    const rows = await this.db.run((m) => m.find(FailureCounterEntity, { where: [
      { ...where, lastAt: MoreThan(new Date(now.getTime() - FORGET_AFTER_SECONDS * 1000)) },
      { ...where, blockedUntil: MoreThan(now) },
    ], order: { scope: 'ASC', subject: 'ASC' } }));
    return rows
      .map((row) => ({ ...row, retryAfterSeconds: row.blockedUntil ? secondsUntil(row.blockedUntil, now) : 0 }))
      .sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds);
  }

  async clear(keys: CounterKey[]): Promise<number> {
    let cleared = 0;
    for (const key of uniqueKeys(keys)) {
      const result = await this.db.run((m) => m.delete(FailureCounterEntity, { scope: key.scope, subject: boundedSubject(key.subject) }));
      cleared += result.affected ?? 0;
    }
    return cleared;
  }

  async purgeStale(): Promise<number> {
    const now = this.now();
    const before = new Date(now.getTime() - FORGET_AFTER_SECONDS * 1000);
    // A back-off never outlasts FORGET_AFTER (15 minutes < 1 hour), so lastAt alone decides.
    const result = await this.db.run((m) => m.delete(FailureCounterEntity, { lastAt: LessThan(before) }));
    return result.affected ?? 0;
  }

  /** Takes one attempt back: 'clear' keys are forgotten (unless `undoOnly`), 'undo' keys count one less. */
  private async takeBack(keys: GuardedKey[], undoOnly: boolean): Promise<void> {
    await this.db.transaction(async (manager) => {
      const rows = await this.readForUpdate(manager, keys);
      for (const [i, key] of keys.entries()) {
        const row = rows[i];
        if (!row) continue;
        const clear = !undoOnly && (key.onSuccess ?? 'clear') === 'clear';
        if (clear || row.count <= 1) {
          await manager.delete(FailureCounterEntity, { scope: row.scope, subject: row.subject });
          continue;
        }
        const count = row.count - 1;
        await manager.update(FailureCounterEntity, { scope: row.scope, subject: row.subject }, { count, blockedUntil: count < key.limit ? null : row.blockedUntil });
      }
    });
  }

  /** The keys' rows (undefined where there is none), locked for this transaction on PostgreSQL. */
  private async readForUpdate(manager: EntityManager, keys: CounterKey[]): Promise<Array<FailureCounterRow | undefined>> {
    // SQLite transactions already run one at a time (runtime/db/work-scheduler.ts) and have no row locks.
    const lock = this.db.kind === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const rows: Array<FailureCounterRow | undefined> = [];
    for (const key of keys) {
      const row = await manager.findOne(FailureCounterEntity, { where: { scope: key.scope, subject: key.subject }, ...lock });
      rows.push(row ?? undefined);
    }
    return rows;
  }

  /** Updates the row read, or inserts it; a concurrent insert is a unique violation and the transaction runs again. */
  private async write(manager: EntityManager, existing: FailureCounterRow | undefined, row: FailureCounterRow): Promise<void> {
    if (existing) {
      const { scope, subject, ...values } = row;
      await manager.update(FailureCounterEntity, { scope, subject }, values);
    } else {
      await manager.insert(FailureCounterEntity, row);
    }
  }

  private async housekeep(): Promise<void> {
    if (++this.writes % PURGE_EVERY !== 0) return;
    await this.purgeStale().catch(() => undefined);
  }
}

/** The wait after `excess` failures past the free ones (0 -> 30 s, 1 -> 60 s, ...), at most 15 minutes. */
export function backoffSeconds(excess: number): number {
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.min(Math.max(0, excess), 20));
}

/**
 * The subject a client address is counted under: an IPv4 address as is; an IPv6 address by its /64
 * (one household or office gets a whole /64, so single addresses would be free to rotate through).
 */
export function addressSubject(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  if (mapped) return mapped[1];
  if (isIP(trimmed) !== 6) return trimmed;
  return `${expandIpv6(trimmed).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head, tail = ''] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.map((group) => (group.includes('.') ? group : parseInt(group || '0', 16).toString(16)));
}

/** Rows older than FORGET_AFTER count as nothing (they are purged later). */
function live(row: FailureCounterRow | undefined, now: Date): FailureCounterRow | undefined {
  if (!row) return undefined;
  return now.getTime() - row.lastAt.getTime() >= FORGET_AFTER_SECONDS * 1000 ? undefined : row;
}

function secondsUntil(until: Date, now: Date): number {
  const ms = until.getTime() - now.getTime();
  return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
}

/** Long subjects are cut to the column (an over-long username cannot exist; it still counts, as its prefix). */
function boundedSubject(subject: string): string {
  return subject.length > FAILURE_SUBJECT_LENGTH ? subject.slice(0, FAILURE_SUBJECT_LENGTH) : subject;
}

function uniqueKeys<K extends CounterKey>(keys: K[]): K[] {
  const seen = new Set<string>();
  return keys.filter((key) => {
    const id = `${key.scope}\u0000${key.subject}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
