/**
 * Login sessions: the token (32 random bytes) is handed out once; only its SHA-256 is stored, so the
 * sessions table cannot be replayed. A session is live until it expires, sits unused longer than the
 * idle timeout, or is revoked. Each session records the binding it came through, so ending a binding
 * (unbind, leaving a corp) ends exactly the sessions it opened.
 */
import { randomUUID } from 'node:crypto';
import { In, IsNull, LessThanOrEqual, MoreThan, type EntityManager } from 'typeorm';
import { SessionEntity, type SessionRow } from '../db/core-models';
import type { Database } from '../db/types';
import { expiryAfter, requireLifetime } from './lifetime';
import { hashToken, isTokenShaped, newToken } from './tokens';
import type { Session, SessionCreateOptions, SessionStore, SessionVerifyOptions } from './types';

export const DEFAULT_SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
/** The binding recorded on sessions opened before bindings were recorded: they count as through each binding. */
export const SESSION_FROM_ANY_BINDING = '*';
/** lastSeenAt is written at most this often per session: an idle timeout needs minutes, not a write per request. */
const LAST_SEEN_RESOLUTION_MS = 60 * 1000;

export class DatabaseSessionStore implements SessionStore {
  constructor(
    private readonly db: Database,
    private readonly defaultTtlSeconds: number = DEFAULT_SESSION_TTL_SECONDS,
    private readonly now: () => Date = () => new Date(),
  ) {
    requireLifetime(defaultTtlSeconds);
  }

  async create(userId: string, options: SessionCreateOptions = {}): Promise<{ token: string; session: Session }> {
    const token = newToken();
    const time = this.now();
    const row: SessionRow = {
      id: randomUUID(),
      tokenHash: hashToken(token),
      userId,
      createTime: time,
      expiresAt: expiryAfter(time, options.ttlSeconds ?? this.defaultTtlSeconds),
      revokedAt: null,
      bindingId: options.bindingId ?? null,
      lastSeenAt: null,
    };
    await this.db.run((m) => m.insert(SessionEntity, row), options.manager);
    return { token, session: toSession(row) };
  }

  async verify(token: string, options: SessionVerifyOptions = {}): Promise<Session | null> {
    if (!isTokenShaped(token)) return null;
    const now = this.now();
    const row = await this.db.run((m) => m.findOne(SessionEntity, { where: { tokenHash: hashToken(token), revokedAt: IsNull(), expiresAt: MoreThan(now) } }));
    if (!row) return null;
    const lastUse = row.lastSeenAt ?? row.createTime;
    if (options.idleTimeoutSeconds !== undefined && now.getTime() - lastUse.getTime() > options.idleTimeoutSeconds * 1000) return null;
    if (now.getTime() - lastUse.getTime() >= LAST_SEEN_RESOLUTION_MS) {
      await this.db.run((m) => m.update(SessionEntity, { id: row.id }, { lastSeenAt: now }));
      row.lastSeenAt = now;
    }
    return toSession(row);
  }

  /** true when a live session was revoked (false: unknown or already revoked). */
  async revoke(token: string): Promise<boolean> {
    if (!isTokenShaped(token)) return false;
    const result = await this.db.run((m) => m.update(SessionEntity, { tokenHash: hashToken(token), revokedAt: IsNull() }, { revokedAt: this.now() }));
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every unexpired session of the user; returns how many. */
  async revokeAllForUser(userId: string, manager?: EntityManager): Promise<number> {
    const now = this.now();
    const result = await this.db.run((m) => m.update(SessionEntity, { userId, revokedAt: IsNull(), expiresAt: MoreThan(now) }, { revokedAt: now }), manager);
    return result.affected ?? 0;
  }

  async revokeForBinding(userId: string, bindingId: string, manager?: EntityManager): Promise<number> {
    const now = this.now();
    const where = { userId, bindingId: In([bindingId, SESSION_FROM_ANY_BINDING]), revokedAt: IsNull(), expiresAt: MoreThan(now) };
    const result = await this.db.run((m) => m.update(SessionEntity, where, { revokedAt: now }), manager);
    return result.affected ?? 0;
  }

  async listForUser(userId: string): Promise<Session[]> {
    const rows = await this.db.run((m) => m.find(SessionEntity, { where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(this.now()) }, order: { createTime: 'DESC' } }));
    return rows.map(toSession);
  }

  /** How many sessions are live (not revoked, not expired): the active-sessions metric. */
  async countLive(): Promise<number> {
    return this.db.run((m) => m.count(SessionEntity, { where: { revokedAt: IsNull(), expiresAt: MoreThan(this.now()) } }));
  }

  /** Deletes expired sessions (housekeeping); returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.db.run((m) => m.delete(SessionEntity, { expiresAt: LessThanOrEqual(this.now()) }));
    return result.affected ?? 0;
  }
}

function toSession(row: SessionRow): Session {
  return { id: row.id, userId: row.userId, bindingId: row.bindingId ?? null, createTime: row.createTime, expiresAt: row.expiresAt, lastSeenAt: row.lastSeenAt ?? null };
}
