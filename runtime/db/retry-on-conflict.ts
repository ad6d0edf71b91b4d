/**
 * A transaction that is run again when a concurrent writer won a unique constraint. The losing
 * transaction is rolled back whole, and its next attempt re-reads and finds the winner's row: the
 * way a race is resolved here (by re-reading, never by a second row).
 */
import type { EntityManager } from 'typeorm';
import type { Database } from './types';

/** Enough for a burst of racing writers of one key; a persistent conflict is a bug and surfaces. */
export const CONFLICT_ATTEMPTS = 4;

export async function transactionRetryingConflicts<T>(db: Database, work: (manager: EntityManager) => Promise<T>, attempts = CONFLICT_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (attempt >= attempts || !db.isUniqueViolation(err)) throw err;
    }
  }
}
