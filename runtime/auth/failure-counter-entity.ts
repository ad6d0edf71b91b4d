/**
 * The failure_counters table: one row per (scope, subject), e.g. ('account', 'alice'),
 * ('address', '10.0.0.7'). Kept apart from the store so the core models can register the entity
 * without importing the store. The migration (runtime/db/migrations/FailureCounters1797200000000)
 * owns the schema.
 */
import { EntitySchema } from 'typeorm';
import { timestampColumn } from '../db/portable-columns';

export interface FailureCounterRow {
  /** What is counted: 'account', 'member', 'phone', 'address', or an action ('bind-ticket-member', ...). */
  scope: string;
  /** Whom it is counted for, as an operator reads it: a username, `corpId:userid`, a phone, an address. */
  subject: string;
  /** Failures (or actions) counted in the current window. */
  count: number;
  /** When the current window began (the first counted event after the last reset). */
  windowStart: Date;
  /** The last counted event. */
  lastAt: Date;
  /** Attempts are refused until then; null: not backing off. */
  blockedUntil: Date | null;
}

export const FAILURE_SCOPE_LENGTH = 32;
export const FAILURE_SUBJECT_LENGTH = 255;

export const FailureCounterEntity = new EntitySchema<FailureCounterRow>({
  name: 'failure_counters',
  tableName: 'failure_counters',
  columns: {
    scope: { type: 'varchar', length: FAILURE_SCOPE_LENGTH, primary: true },
    subject: { type: 'varchar', length: FAILURE_SUBJECT_LENGTH, primary: true },
    count: { type: 'integer' },
    windowStart: timestampColumn(),
    lastAt: timestampColumn(),
    blockedUntil: timestampColumn({ nullable: true }),
  },
});
