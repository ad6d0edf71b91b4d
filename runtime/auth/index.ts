/**
 * Generic auth building blocks: local users, sessions, single-use tickets, failure counters,
 * binding values to their client, verification codes.
 */
import type { Database } from '../db/types';
import { DatabaseFailureCounterStore } from './failure-counters';
import { passwordCostFromEnv, type PasswordCost } from './passwords';
import { DatabaseSessionStore, DEFAULT_SESSION_TTL_SECONDS } from './sessions';
import { DatabaseTicketStore } from './tickets';
import { DatabaseUserStore } from './users';

export * from './types';
export { DatabaseUserStore } from './users';
export { DatabaseSessionStore, DEFAULT_SESSION_TTL_SECONDS, SESSION_FROM_ANY_BINDING } from './sessions';
export { DatabaseTicketStore } from './tickets';
export { DatabaseFailureCounterStore, addressSubject, backoffSeconds, type FailureCounterStore, type FailureCounterView, type GuardedKey, type CounterKey, type ProofAttempt, type ProofDecision, type ActionLimit, type ActionDecision } from './failure-counters';
export { clientKeyDigest, issueClientBinding, isSameClient, presentedClientKey, type ClientBinding } from './client-binding';
export { createLogVerificationSender, createWebhookVerificationSender, createModuleVerificationSender, resolveVerificationSender } from './verification-sender';
export { hashPassword, verifyPassword, needsRehash, passwordCostFromEnv, checkedCost, passwordGate, SCRYPT_COST, PASSWORD_COST_ENV, type PasswordCost } from './passwords';
export { normalizePhone } from './phone';
export { newToken, hashToken } from './tokens';

export interface AuthStoreOptions {
  /** Session lifetime when `sessions.create` is not given one (default 7 days). */
  sessionTtlSeconds?: number;
  /** The clock expiry is judged by (tests move it; default the system clock). */
  now?: () => Date;
  /** scrypt cost of password hashes (default: JIT_SCRYPT_N, else the recommended cost). */
  passwordCost?: PasswordCost;
}

export interface AuthStores {
  users: DatabaseUserStore;
  sessions: DatabaseSessionStore;
  tickets: DatabaseTicketStore;
  failures: DatabaseFailureCounterStore;
}

export function createAuthStores(db: Database, options: AuthStoreOptions = {}): AuthStores {
  const now = options.now ?? (() => new Date());
  return {
    users: new DatabaseUserStore(db, now, options.passwordCost ?? passwordCostFromEnv()),
    sessions: new DatabaseSessionStore(db, options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS, now),
    tickets: new DatabaseTicketStore(db, now),
    failures: new DatabaseFailureCounterStore(db, now),
  };
}
