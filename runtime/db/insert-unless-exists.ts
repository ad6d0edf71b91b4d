/**
 * Insert-or-learn-it-exists, safe inside a transaction. PostgreSQL aborts a whole transaction on any
 * failed statement, so inside one the insert runs in a savepoint: a unique violation rolls back just
 * the savepoint and the caller's transaction carries on (e.g. to re-read the row that won the race).
 */
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { isUniqueViolation } from './query-errors';

/** Inserts row; false when a unique constraint says an equal row exists. Other errors are thrown. */
export async function insertUnlessExists<Entity extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<Entity>, row: Entity): Promise<boolean> {
  const inTransaction = manager.queryRunner?.isTransactionActive === true;
  try {
    if (inTransaction) await manager.transaction((savepoint) => savepoint.insert(target, row));
    else await manager.insert(target, row);
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
