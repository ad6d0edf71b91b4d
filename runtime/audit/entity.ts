/**
 * The `audit_events` table. The migration in ./migrations owns the schema (indexes, the generated
 * id); this schema only maps columns to properties. Ids are generated increasing integers (bigint on
 * PostgreSQL, so they come back as strings there): the order rows were written in, which is what
 * cursors and exports page by.
 */
import { EntitySchema } from 'typeorm';
import { timestampColumn } from '../db/portable-columns';

export interface AuditEventRow {
  /** Left out on insert: the database assigns it. */
  id?: string | number;
  time: Date;
  lastTime: Date;
  type: string;
  outcome: string;
  instance: string | null;
  corpId: string | null;
  memberId: string | null;
  unionId: string | null;
  userId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** JSON text, sanitized. */
  details: string | null;
  count: number;
  /** Set on rows that fold repeats: a digest of type, outcome, client address and instance. */
  aggregateKey: string | null;
}

/** Column sizes, shared with the migration and the store (which truncates to them). */
export const AUDIT_COLUMN_LENGTHS = {
  type: 96,
  outcome: 64,
  instance: 255,
  corpId: 64,
  memberId: 64,
  unionId: 64,
  userId: 64,
  clientAddress: 64,
  userAgent: 512,
  requestId: 64,
  aggregateKey: 64,
} as const;

const L = AUDIT_COLUMN_LENGTHS;

export const AuditEventEntity = new EntitySchema<AuditEventRow>({
  name: 'audit_events',
  tableName: 'audit_events',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    time: timestampColumn(),
    lastTime: timestampColumn(),
    type: { type: 'varchar', length: L.type },
    outcome: { type: 'varchar', length: L.outcome },
    instance: { type: 'varchar', length: L.instance, nullable: true },
    corpId: { type: 'varchar', length: L.corpId, nullable: true },
    memberId: { type: 'varchar', length: L.memberId, nullable: true },
    unionId: { type: 'varchar', length: L.unionId, nullable: true },
    userId: { type: 'varchar', length: L.userId, nullable: true },
    clientAddress: { type: 'varchar', length: L.clientAddress, nullable: true },
    userAgent: { type: 'varchar', length: L.userAgent, nullable: true },
    requestId: { type: 'varchar', length: L.requestId, nullable: true },
    details: { type: 'text', nullable: true },
    count: { type: 'integer' },
    aggregateKey: { type: 'varchar', length: L.aggregateKey, nullable: true },
  },
});
