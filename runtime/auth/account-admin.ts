/**
 * What an operator does to a local account (the CLI's `jit users disable|enable|unlock`, and later
 * the console): each a small, complete operation, so every front end does it the same way.
 */
import type { EntityManager } from 'typeorm';
import type { AppHandle } from '../app-types';
import type { CounterKey } from './failure-counters';
import { normalizePhone } from './phone';
import { ACCOUNT_SCOPE, PHONE_SCOPE } from './proof-limits';
import type { LocalUser } from './types';

type Stores = Pick<AppHandle, 'db' | 'users' | 'sessions' | 'failures' | 'audit'>;

/** In the caller's transaction when it gives one, else in a new one: the change and its audit rows commit together. */
function inTransaction<T>(app: Stores, manager: EntityManager | undefined, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  return manager ? fn(manager) : app.db.transaction(fn);
}

/**
 * Disables the account and, in the same transaction, ends every session it has, with the audit rows
 * `user.disabled` and `session.revoked` (`actor` says who: the CLI, the console's admin). Returns how many sessions ended.
 */
export async function disableUser(app: Stores, user: LocalUser, options: { manager?: EntityManager; actor?: object } = {}): Promise<{ revokedSessions: number }> {
  return inTransaction(app, options.manager, async (manager) => {
    await app.users.update(user.id, { disabled: true }, manager);
    const revokedSessions = await app.sessions.revokeAllForUser(user.id, manager);
    await app.audit.record({ type: 'user.disabled', userId: user.id, details: { username: user.username, ...options.actor } }, manager);
    if (revokedSessions > 0) await app.audit.record({ type: 'session.revoked', userId: user.id, details: { sessions: revokedSessions, reason: 'user.disabled', ...options.actor } }, manager);
    return { revokedSessions };
  });
}

/** Enables the account again, with its `user.enabled` audit row. */
export async function enableUser(app: Stores, user: LocalUser, options: { manager?: EntityManager; actor?: object } = {}): Promise<void> {
  await inTransaction(app, options.manager, async (manager) => {
    await app.users.update(user.id, { disabled: false }, manager);
    await app.audit.record({ type: 'user.enabled', userId: user.id, details: { username: user.username, ...options.actor } }, manager);
  });
}

/** The failure counters that hold an account back: its username and its phone. */
export function accountCounterKeys(user: LocalUser): CounterKey[] {
  const keys: CounterKey[] = [{ scope: ACCOUNT_SCOPE, subject: user.username }];
  const phone = normalizePhone(user.phone);
  if (phone) keys.push({ scope: PHONE_SCOPE, subject: phone });
  return keys;
}

/** Clears the account's back-off (its username's and its phone's counters), with an `account.unlocked` audit row. Returns how many counters there were. */
export async function unlockUser(app: Stores, user: LocalUser, options: { actor?: object } = {}): Promise<number> {
  const counters = await app.failures.clear(accountCounterKeys(user));
  await app.audit.record({ type: 'account.unlocked', userId: user.id, details: { username: user.username, counters, ...options.actor } });
  return counters;
}
