/**
 * What an operator does to a local account (the CLI's `jit users disable|enable|unlock`, and later
 * the console): each a small, complete operation, so every front end does it the same way.
 */
import type { AppHandle } from '../app-types';
import type { CounterKey } from './failure-counters';
import { normalizePhone } from './phone';
import { ACCOUNT_SCOPE, PHONE_SCOPE } from './proof-limits';
import type { LocalUser } from './types';

type Stores = Pick<AppHandle, 'db' | 'users' | 'sessions' | 'failures'>;

/** Disables the account and, in the same transaction, ends every session it has. Returns how many were ended. */
export async function disableUser(app: Stores, user: LocalUser): Promise<{ revokedSessions: number }> {
  return app.db.transaction(async (manager) => {
    await app.users.update(user.id, { disabled: true }, manager);
    return { revokedSessions: await app.sessions.revokeAllForUser(user.id, manager) };
  });
}

export async function enableUser(app: Stores, user: LocalUser): Promise<void> {
  await app.users.update(user.id, { disabled: false });
}

/** The failure counters that hold an account back: its username and its phone. */
export function accountCounterKeys(user: LocalUser): CounterKey[] {
  const keys: CounterKey[] = [{ scope: ACCOUNT_SCOPE, subject: user.username }];
  const phone = normalizePhone(user.phone);
  if (phone) keys.push({ scope: PHONE_SCOPE, subject: phone });
  return keys;
}

/** Clears the account's back-off (its username's and its phone's counters). Returns how many counters there were. */
export async function unlockUser(app: Stores, user: LocalUser): Promise<number> {
  return app.failures.clear(accountCounterKeys(user));
}
