/**
 * Login sessions: the token (32 random bytes) is handed out once; only its SHA-256 is stored, so the
 * sessions table cannot be replayed. A session is live until it expires or is revoked.
 */
import { randomUUID } from 'node:crypto';
import { IsNull, LessThanOrEqual, MoreThan, type EntityManager } from 'typeorm';
import { SessionEntity, type SessionRow } from '../db/core-models';
import type { Database } from '../db/types';
import { expiryAfter, requireLifetime } from './lifetime';
import { hashToken, isTokenShaped, newToken } from './tokens';
import type { Session, SessionStore } from './types';

export const DEFAULT_SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

export class DatabaseSessionStore implements SessionStore {
  constructor(
    private readonly db: Database,
    private readonly defaultTtlSeconds: number = DEFAULT_SESSION_TTL_SECONDS,
    private readonly now: () => Date = () => new Date(),
  ) {
    requireLifetime(defaultTtlSeconds);
  }

  async create(userId: string, options: { ttlSeconds?: number; manager?: EntityManager } = {}): Promise<{ token: string; session: Session }> {
    const token = newToken();
    const time = this.now();
    const row: SessionRow = {
      id: randomUUID(),
      tokenHash: hashToken(token),
      userId,
      createTime: time,
      expiresAt: expiryAfter(time, options.ttlSeconds ?? this.defaultTtlSeconds),
      revokedAt: null,
    };
    await this.db.run((m) => m.insert(SessionEntity, row), options.manager);
    return { token, session: toSession(row) };
  }

  async verify(token: string): Promise<Session | null> {
    if (!isTokenShaped(token)) return null;
    const row = await this.db.run((m) =>
      m.findOne(SessionEntity, { where: { tokenHash: hashToken(token), revokedAt: IsNull(), expiresAt: MoreThan(this.now()) } }),
    );
    return row ? toSession(row) : null;
  }

  /** true when a live session was revoked (false: unknown or already revoked). */
  async revoke(token: string): Promise<boolean> {
    if (!isTokenShaped(token)) return false;
    const result = await this.db.run((m) => m.update(SessionEntity, { tokenHash: hashToken(token), revokedAt: IsNull() }, { revokedAt: this.now() }));
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every unexpired session of the user; returns how many. */
  async revokeAllForUser(userId: string): Promise<number> {
    const now = this.now();
    const result = await this.db.run((m) => m.update(SessionEntity, { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) }, { revokedAt: now }));
    return result.affected ?? 0;
  }

  /** Deletes expired sessions (housekeeping); returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.db.run((m) => m.delete(SessionEntity, { expiresAt: LessThanOrEqual(this.now()) }));
    return result.affected ?? 0;
  }
}

function toSession(row: SessionRow): Session {
  return { id: row.id, userId: row.userId, createTime: row.createTime, expiresAt: row.expiresAt };
}
