/**
 * Single-use, expiring tickets (bind tickets, verification codes) and replay markers for stateless
 * tokens (claimOnce). Ticket ids are 32 random bytes; only their SHA-256 is stored.
 *
 * Single use under any race, on both databases: `consume` is ONE conditional UPDATE
 * (`... WHERE idHash = ? AND kind = ? AND audience = ? AND usedAt IS NULL AND expiresAt > now`) and
 * succeeds iff it changed one row. The database decides the winner; no read-then-write window.
 */
import { IsNull, LessThanOrEqual, MoreThan, type EntityManager } from 'typeorm';
import { TicketEntity, type TicketRow } from '../db/core-models';
import { insertUnlessExists } from '../db/insert-unless-exists';
import type { Database } from '../db/types';
import { expiryAfter } from './lifetime';
import { hashToken, isTokenShaped, newToken } from './tokens';
import type { Ticket, TicketStore } from './types';

/** Hash scope of claimOnce markers, so a marker can never collide with an issued ticket's id hash. */
const CLAIM_SCOPE = 'claim';

export class DatabaseTicketStore implements TicketStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async issue<P extends Record<string, unknown>>(kind: string, audience: string, payload: P, ttlSeconds: number, manager?: EntityManager): Promise<Ticket<P>> {
    const id = newToken();
    const time = this.now();
    const row: TicketRow = {
      idHash: hashToken(id),
      kind,
      audience,
      payload: JSON.stringify(payload ?? {}),
      expiresAt: expiryAfter(time, ttlSeconds),
      usedAt: null,
      createTime: time,
    };
    await this.db.run((m) => m.insert(TicketEntity, row), manager);
    return { id, kind, audience, payload, expiresAt: row.expiresAt };
  }

  async consume<P = Record<string, unknown>>(kind: string, audience: string, id: string, manager?: EntityManager): Promise<Ticket<P> | null> {
    if (!isTokenShaped(id)) return null;
    const idHash = hashToken(id);
    return this.db.run(async (m) => {
      const now = this.now();
      const claimed = await m.update(TicketEntity, { idHash, kind, audience, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now });
      if (claimed.affected !== 1) return null;
      // The row is ours now and its payload never changes, so reading it back is race-free.
      const row = await m.findOne(TicketEntity, { where: { idHash } });
      return row ? toTicket<P>(id, row) : null;
    }, manager);
  }

  /**
   * Inserts a used marker for kind+id; a unique violation means it was claimed before. Inside the
   * caller's transaction the insert runs in a savepoint, so a replay does not abort that transaction.
   */
  async claimOnce(kind: string, id: string, expiresAt: Date, manager?: EntityManager): Promise<boolean> {
    if (!isTokenShaped(id)) return false;
    const time = this.now();
    const marker: TicketRow = {
      idHash: hashToken(`${kind}\u0000${id}`, CLAIM_SCOPE),
      kind,
      audience: '',
      payload: '{}',
      expiresAt,
      usedAt: time,
      createTime: time,
    };
    return this.db.run((m) => insertUnlessExists(m, TicketEntity, marker), manager);
  }

  async peek<P = Record<string, unknown>>(kind: string, audience: string, id: string): Promise<Ticket<P> | null> {
    if (!isTokenShaped(id)) return null;
    const row = await this.db.run((m) =>
      m.findOne(TicketEntity, { where: { idHash: hashToken(id), kind, audience, usedAt: IsNull(), expiresAt: MoreThan(this.now()) } }),
    );
    return row ? toTicket<P>(id, row) : null;
  }

  /** Deletes expired tickets and replay markers (housekeeping); returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.db.run((m) => m.delete(TicketEntity, { expiresAt: LessThanOrEqual(this.now()) }));
    return result.affected ?? 0;
  }
}

function toTicket<P>(id: string, row: TicketRow): Ticket<P> {
  return { id, kind: row.kind, audience: row.audience, payload: JSON.parse(row.payload) as P, expiresAt: row.expiresAt };
}
