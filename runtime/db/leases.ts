/**
 * Leases: time-limited claims in the app's database, so processes that share it (several hosts,
 * `jit org sync`, `jit doctor`; SQLite or PostgreSQL) coordinate without talking to each other.
 *
 * Two forms, one table (`leases`, migration Leases1798200000000):
 *   - **Group membership**: members of a named group each register with an expiry and renew it;
 *     anyone can count the live members. A shared budget uses it: each member takes 1/N of it.
 *   - **Exclusive lease**: at most one live holder per name; acquire, renew, release, and ask who
 *     holds it. "One sync of a corp at a time across hosts" uses it.
 *
 * An expired claim is no claim: a process that died simply stops renewing. Expiry times are
 * written with the writer's clock and compared with the reader's, so hosts need clocks in step
 * (NTP) to well within a lease's time to live. Nothing here knows what the leases are for.
 */
import { EntitySchema, LessThanOrEqual, MoreThan, type EntityManager } from 'typeorm';
import { JitError } from '../errors';
import { insertUnlessExists } from './insert-unless-exists';
import { timestampColumn } from './portable-columns';
import type { Database } from './types';

export type LeaseKind = 'member' | 'exclusive';

export interface LeaseRow {
  kind: LeaseKind;
  /** The group's or the lease's name, e.g. `sync:corps.acme`. */
  name: string;
  /** The member's id within a group; '' for an exclusive lease (its one slot). */
  member: string;
  /** Who holds the claim (for a membership, the member id again). */
  holder: string;
  /** Who that is, in words, for "held by ..." messages (host, process, command). */
  label: string | null;
  acquiredAt: Date;
  expiresAt: Date;
}

export const LeaseEntity = new EntitySchema<LeaseRow>({
  name: 'leases',
  tableName: 'leases',
  columns: {
    kind: { type: 'varchar', length: 16, primary: true },
    name: { type: 'varchar', length: 255, primary: true },
    member: { type: 'varchar', length: 255, primary: true },
    holder: { type: 'varchar', length: 255 },
    label: { type: 'varchar', length: 255, nullable: true },
    acquiredAt: timestampColumn(),
    expiresAt: timestampColumn(),
  },
});

/** A live claim, as a reader sees it. */
export interface LeaseInfo {
  name: string;
  holder: string;
  label?: string;
  acquiredAt: Date;
  expiresAt: Date;
}

export type AcquireResult = { acquired: true; lease: LeaseInfo } | { acquired: false; heldBy: LeaseInfo };

export interface LeaseOptions {
  /** How long the claim lasts without a renewal (ms). */
  ttlMs: number;
  /** Who is claiming, in words (at most 255 characters are kept). */
  label?: string;
}

export interface LeaseStore {
  /** Registers (or renews) `member` in `group` until now + ttl; returns the live members counted after, itself included. */
  join(group: string, member: string, options: LeaseOptions): Promise<number>;
  /** Removes `member` from `group` (nothing when it is not there). */
  leave(group: string, member: string): Promise<void>;
  /** The live members of `group`, oldest first. */
  members(group: string): Promise<LeaseInfo[]>;
  /**
   * Takes the exclusive lease `name` for `holder` when nobody holds it (or its holder let it expire),
   * or renews it when `holder` already has it. Otherwise says who holds it.
   */
  acquire(name: string, holder: string, options: LeaseOptions): Promise<AcquireResult>;
  /** Extends `holder`'s lease to now + ttl; false when `holder` no longer has it (someone took it after it expired). */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up; false when `holder` did not have it. */
  release(name: string, holder: string): Promise<boolean>;
  /** The live holder of `name`, if any. */
  holder(name: string): Promise<LeaseInfo | undefined>;
}

export interface LeaseStoreOptions {
  /** Clock (ms), default Date.now. */
  now?: () => number;
}

const MAX_TEXT = 255;
/** An exclusive lease's one slot. */
const EXCLUSIVE_SLOT = '';
/** A release racing an acquire can empty the row between our insert and our read: look again. */
const ACQUIRE_ATTEMPTS = 3;

export function createLeaseStore(db: Database, options: LeaseStoreOptions = {}): LeaseStore {
  const now = options.now ?? Date.now;

  return {
    async join(group, member, { ttlMs, label }) {
      checkName('group', group);
      checkName('member', member);
      checkTtl(ttlMs);
      return db.run(async (m) => {
        const at = new Date(now());
        const expiresAt = new Date(at.getTime() + ttlMs);
        const key = { kind: 'member' as const, name: group, member };
        await upsert(m, key, { holder: member, label: labelOf(label), acquiredAt: at, expiresAt }, label !== undefined);
        await m.delete(LeaseEntity, { kind: 'member', name: group, expiresAt: LessThanOrEqual(at) });
        return m.count(LeaseEntity, { where: { kind: 'member', name: group, expiresAt: MoreThan(at) } });
      });
    },

    async leave(group, member) {
      await db.run((m) => m.delete(LeaseEntity, { kind: 'member', name: group, member }));
    },

    async members(group) {
      const rows = await db.run((m) => m.find(LeaseEntity, {
        where: { kind: 'member', name: group, expiresAt: MoreThan(new Date(now())) },
        order: { acquiredAt: 'ASC' },
      }));
      return rows.map(infoOf);
    },

    async acquire(name, holder, { ttlMs, label }) {
      checkName('lease name', name);
      checkName('holder', holder);
      checkTtl(ttlMs);
      return db.run(async (m) => {
        for (let attempt = 1; ; attempt++) {
          const at = new Date(now());
          const expiresAt = new Date(at.getTime() + ttlMs);
          const slot = { kind: 'exclusive' as const, name, member: EXCLUSIVE_SLOT };
          // An expired lease is free. The condition is checked as the row is deleted, so a holder
          // renewing at this moment either keeps it (renewed first) or finds it gone (renew false).
          await m.delete(LeaseEntity, { ...slot, expiresAt: LessThanOrEqual(at) });
          const row: LeaseRow = { ...slot, holder, label: labelOf(label), acquiredAt: at, expiresAt };
          if (await insertUnlessExists(m, LeaseEntity, row)) return { acquired: true, lease: infoOf(row) };
          // Taken: by this holder already (then this is a renewal) or by someone else.
          const mine = await m.update(LeaseEntity, { ...slot, holder }, { expiresAt, ...(label !== undefined ? { label: labelOf(label) } : {}) });
          const current = await m.findOneBy(LeaseEntity, slot);
          if (current && mine.affected) return { acquired: true, lease: infoOf(current) };
          if (current) return { acquired: false, heldBy: infoOf(current) };
          if (attempt >= ACQUIRE_ATTEMPTS) throw new JitError('INTERNAL_ERROR', `The lease ${name} kept changing hands while being acquired; try again`, { lease: name });
        }
      });
    },

    async renew(name, holder, ttlMs) {
      checkTtl(ttlMs);
      const expiresAt = new Date(now() + ttlMs);
      const result = await db.run((m) => m.update(LeaseEntity, { kind: 'exclusive', name, member: EXCLUSIVE_SLOT, holder }, { expiresAt }));
      return (result.affected ?? 0) > 0;
    },

    async release(name, holder) {
      const result = await db.run((m) => m.delete(LeaseEntity, { kind: 'exclusive', name, member: EXCLUSIVE_SLOT, holder }));
      return (result.affected ?? 0) > 0;
    },

    async holder(name) {
      const row = await db.run((m) => m.findOneBy(LeaseEntity, { kind: 'exclusive', name, member: EXCLUSIVE_SLOT, expiresAt: MoreThan(new Date(now())) }));
      return row ? infoOf(row) : undefined;
    },
  };
}

/**
 * Update, else insert; an insert that loses a race with another insert of the same key updates after
 * all. A renewal keeps the first acquisition time, and the label unless a new one is given.
 */
async function upsert(
  m: EntityManager, key: Pick<LeaseRow, 'kind' | 'name' | 'member'>, values: Omit<LeaseRow, 'kind' | 'name' | 'member'>, newLabel: boolean,
): Promise<void> {
  const renewal: Partial<LeaseRow> = { holder: values.holder, expiresAt: values.expiresAt, ...(newLabel ? { label: values.label } : {}) };
  const updated = await m.update(LeaseEntity, key, renewal);
  if (updated.affected) return;
  if (await insertUnlessExists(m, LeaseEntity, { ...key, ...values })) return;
  await m.update(LeaseEntity, key, renewal);
}

function infoOf(row: LeaseRow): LeaseInfo {
  return {
    name: row.name,
    holder: row.holder,
    ...(row.label ? { label: row.label } : {}),
    acquiredAt: new Date(row.acquiredAt),
    expiresAt: new Date(row.expiresAt),
  };
}

function labelOf(label: string | undefined): string | null {
  return label ? label.slice(0, MAX_TEXT) : null;
}

function checkName(what: string, value: unknown): void {
  if (typeof value !== 'string' || value === '' || value.length > MAX_TEXT) {
    throw new JitError('BAD_REQUEST', `A ${what} must be a non-empty string of at most ${MAX_TEXT} characters`);
  }
}

function checkTtl(ttlMs: unknown): void {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs < 1) {
    throw new JitError('BAD_REQUEST', `A lease's ttlMs must be a number of milliseconds >= 1, got ${String(ttlMs)}`);
  }
}
