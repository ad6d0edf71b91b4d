/**
 * The admin_grants table: local users an operator made administrators with `jit users grant-admin`
 * (besides those app.json `admins` names). One row per user; revoking deletes it. The migration
 * (runtime/db/migrations/AdminGrants1798300000000) owns the schema.
 */
import { EntitySchema } from 'typeorm';
import { ID_LENGTH, timestampColumn } from '../db/portable-columns';

export interface AdminGrantRow {
  /** The local user (users.id) who may use /admin. */
  userId: string;
  grantedAt: Date;
  /** Who granted it, as people read it ("cli:alice", "console:<user id>"); null when unknown. */
  grantedBy: string | null;
}

export const AdminGrantEntity = new EntitySchema<AdminGrantRow>({
  name: 'admin_grants',
  tableName: 'admin_grants',
  columns: {
    userId: { type: 'varchar', length: ID_LENGTH, primary: true },
    grantedAt: timestampColumn(),
    grantedBy: { type: 'varchar', length: 255, nullable: true },
  },
});
