/** Generic auth building blocks: local users, sessions, single-use tickets, verification codes. */
import type { Database } from '../db/types';
import { DatabaseSessionStore, DEFAULT_SESSION_TTL_SECONDS } from './sessions';
import { DatabaseTicketStore } from './tickets';
import { DatabaseUserStore } from './users';

export * from './types';
export { DatabaseUserStore } from './users';
export { DatabaseSessionStore, DEFAULT_SESSION_TTL_SECONDS, SESSION_FROM_ANY_BINDING } from './sessions';
export { DatabaseTicketStore } from './tickets';
export { createLogVerificationSender } from './verification-sender';
export { hashPassword, verifyPassword, SCRYPT_COST } from './passwords';
export { normalizePhone } from './phone';
export { newToken, hashToken } from './tokens';

export interface AuthStoreOptions {
  /** Session lifetime when `sessions.create` is not given one (default 7 days). */
  sessionTtlSeconds?: number;
  /** The clock expiry is judged by (tests move it; default the system clock). */
  now?: () => Date;
}

export interface AuthStores {
  users: DatabaseUserStore;
  sessions: DatabaseSessionStore;
  tickets: DatabaseTicketStore;
}

export function createAuthStores(db: Database, options: AuthStoreOptions = {}): AuthStores {
  const now = options.now ?? (() => new Date());
  return {
    users: new DatabaseUserStore(db, now),
    sessions: new DatabaseSessionStore(db, options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS, now),
    tickets: new DatabaseTicketStore(db, now),
  };
}
