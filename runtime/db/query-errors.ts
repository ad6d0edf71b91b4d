/**
 * Query errors: recognising unique-constraint violations (the signal that a concurrent writer got
 * there first, so the caller re-reads instead of writing a second row), and keeping bound values out
 * of errors that travel on to logs.
 */
import { QueryFailedError } from 'typeorm';

/** PostgreSQL SQLSTATE unique_violation. */
const PG_UNIQUE_VIOLATION = '23505';
/** SQLite reports both as SQLITE_CONSTRAINT; the message says which constraint failed. */
const SQLITE_UNIQUE_MESSAGE = /(UNIQUE|PRIMARY KEY) constraint failed/;

/** True when err (a TypeORM QueryFailedError, possibly wrapped as a `cause`) is a unique violation on SQLite or PostgreSQL. */
export function isUniqueViolation(err: unknown): boolean {
  for (let current = err, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const driverError = current instanceof QueryFailedError ? (current.driverError as unknown) : current;
    if (isDriverUniqueViolation(driverError)) return true;
  }
  return false;
}

/**
 * Removes the bound values TypeORM copies onto a QueryFailedError (they may hold password hashes or
 * token hashes); the SQL text and the driver's code and message stay for diagnosis.
 */
export function withoutQueryParameters(err: unknown): unknown {
  if (err instanceof QueryFailedError) {
    Object.defineProperty(err, 'parameters', { value: [], enumerable: true, configurable: true, writable: true });
  }
  return err;
}

function isDriverUniqueViolation(driverError: unknown): boolean {
  if (!driverError || typeof driverError !== 'object') return false;
  const { code, message } = driverError as { code?: unknown; message?: unknown };
  if (code === PG_UNIQUE_VIOLATION) return true;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT') && typeof message === 'string' && SQLITE_UNIQUE_MESSAGE.test(message);
}
