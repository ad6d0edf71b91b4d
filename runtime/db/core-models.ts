/**
 * The runtime's own tables: local users, login sessions, one-time tickets, failure counters (the
 * entity lives in runtime/auth/failure-counter-entity.ts), leases (./leases.ts), administrator grants
 * (runtime/auth/admin-grant-entity.ts) and the audit trail (runtime/audit). Every app gets them;
 * model elements add theirs beside them. The migration in ./migrations owns the schema (indexes,
 * constraints); the entity schemas here only map columns to properties.
 */
import { EntitySchema } from 'typeorm';
import type { LocalUser } from '../auth/types';
import type { ModelContribution } from './types';
import { ID_LENGTH, timestampColumn } from './portable-columns';
import { CoreModels1760000000000 } from './migrations/CoreModels1760000000000';
import { SessionBindingAndLastSeen1797000000000 } from './migrations/SessionBindingAndLastSeen1797000000000';
import { AuditEventEntity } from '../audit/entity';
import { AuditEvents1797100000000 } from '../audit/migrations/AuditEvents1797100000000';
import { AuditMemberId1798500000000 } from '../audit/migrations/AuditMemberId1798500000000';
import { FailureCounters1797200000000 } from './migrations/FailureCounters1797200000000';
import { FailureCounterEntity } from '../auth/failure-counter-entity';
import { Leases1798200000000 } from './migrations/Leases1798200000000';
import { LeaseEntity } from './leases';
import { AdminGrantEntity } from '../auth/admin-grant-entity';
import { AdminGrants1798300000000 } from './migrations/AdminGrants1798300000000';

/** A users row: the local user plus what never leaves the store. */
export interface UserRow extends LocalUser {
  /** `scrypt$N$r$p$salt$hash`, or null for a user who cannot log in with a password. */
  passwordHash: string | null;
}

export interface SessionRow {
  id: string;
  /** SHA-256 (hex) of the session token; the token itself is never stored. */
  tokenHash: string;
  userId: string;
  createTime: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** The binding the session was opened through (a login Type's binding row id); null: a password login, or a session from before bindings were recorded. */
  bindingId: string | null;
  /** When the session was last used (written at most once a minute); null: never since creation. */
  lastSeenAt: Date | null;
}

export interface TicketRow {
  /** SHA-256 (hex) of the ticket id (or of kind + id for a claimOnce marker). */
  idHash: string;
  kind: string;
  audience: string;
  /** JSON text. */
  payload: string;
  expiresAt: Date;
  usedAt: Date | null;
  createTime: Date;
}

export const UserEntity = new EntitySchema<UserRow>({
  name: 'users',
  tableName: 'users',
  columns: {
    id: { type: 'varchar', length: ID_LENGTH, primary: true },
    username: { type: 'varchar', length: 128 },
    displayName: { type: 'varchar', length: 255 },
    phone: { type: 'varchar', length: 32, nullable: true },
    email: { type: 'varchar', length: 255, nullable: true },
    employeeNo: { type: 'varchar', length: 64, nullable: true },
    passwordHash: { type: 'varchar', length: 255, nullable: true },
    disabled: { type: Boolean },
    source: { type: 'varchar', length: 255 },
    createTime: timestampColumn(),
    updateTime: timestampColumn(),
  },
});

export const SessionEntity = new EntitySchema<SessionRow>({
  name: 'sessions',
  tableName: 'sessions',
  columns: {
    id: { type: 'varchar', length: ID_LENGTH, primary: true },
    tokenHash: { type: 'varchar', length: 64 },
    userId: { type: 'varchar', length: ID_LENGTH },
    createTime: timestampColumn(),
    expiresAt: timestampColumn(),
    revokedAt: timestampColumn({ nullable: true }),
    bindingId: { type: 'varchar', length: ID_LENGTH, nullable: true },
    lastSeenAt: timestampColumn({ nullable: true }),
  },
});

export const TicketEntity = new EntitySchema<TicketRow>({
  name: 'tickets',
  tableName: 'tickets',
  columns: {
    idHash: { type: 'varchar', length: 64, primary: true },
    kind: { type: 'varchar', length: 64 },
    audience: { type: 'varchar', length: 255 },
    payload: { type: 'text' },
    expiresAt: timestampColumn(),
    usedAt: timestampColumn({ nullable: true }),
    createTime: timestampColumn(),
  },
});

/** The runtime's contribution; `openDatabase` callers pass it first, then the model elements'. */
export const coreModels: ModelContribution = {
  source: 'runtime.core',
  entities: [UserEntity, SessionEntity, TicketEntity, AuditEventEntity, FailureCounterEntity, LeaseEntity, AdminGrantEntity],
  migrations: [CoreModels1760000000000, SessionBindingAndLastSeen1797000000000, AuditEvents1797100000000, FailureCounters1797200000000, Leases1798200000000, AdminGrants1798300000000, AuditMemberId1798500000000],
};
