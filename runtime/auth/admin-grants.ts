/**
 * Administrators an operator granted (`jit users grant-admin|revoke-admin <user>`), kept in the
 * database beside app.json `admins`: one row per local user. Granting and revoking each write their
 * audit row (`admin.grant`, `admin.revoke`) in the same transaction as the change.
 */
import type { AppHandle } from '../app-types';
import type { Database } from '../db/types';
import { insertUnlessExists } from '../db/insert-unless-exists';
import { AdminGrantEntity, type AdminGrantRow } from './admin-grant-entity';
import type { LocalUser } from './types';

type Stores = Pick<AppHandle, 'db' | 'audit'>;

/** Who did it, for the audit row's details: `{via: 'cli', osUser}`, `{via: 'console', adminUserId}`. */
export type AdminActor = object;

/** Makes `user` an administrator; false when they were one by grant already (nothing written). */
export async function grantAdmin(app: Stores, user: LocalUser, actor: AdminActor = {}, now = new Date()): Promise<boolean> {
  return app.db.transaction(async (manager) => {
    const row: AdminGrantRow = { userId: user.id, grantedAt: now, grantedBy: describeActor(actor) };
    if (!(await insertUnlessExists(manager, AdminGrantEntity, row))) return false;
    await app.audit.record({ type: 'admin.grant', userId: user.id, details: { username: user.username, ...actor } }, manager);
    return true;
  });
}

/** Takes the grant back; false when there was none. app.json `admins` is not touched (edit it there). */
export async function revokeAdmin(app: Stores, user: LocalUser, actor: AdminActor = {}): Promise<boolean> {
  return app.db.transaction(async (manager) => {
    const result = await manager.delete(AdminGrantEntity, { userId: user.id });
    if (!result.affected) return false;
    await app.audit.record({ type: 'admin.revoke', userId: user.id, details: { username: user.username, ...actor } }, manager);
    return true;
  });
}

export async function isGrantedAdmin(db: Database, userId: string): Promise<boolean> {
  return (await db.run((m) => m.count(AdminGrantEntity, { where: { userId } }))) > 0;
}

/** Every grant, oldest first. */
export function listAdminGrants(db: Database): Promise<AdminGrantRow[]> {
  return db.run((m) => m.find(AdminGrantEntity, { order: { grantedAt: 'ASC' } }));
}

function describeActor(given: AdminActor): string | null {
  const actor = given as Record<string, unknown>;
  const via = typeof actor.via === 'string' ? actor.via : null;
  const who = [actor.osUser, actor.adminUserId].find((v): v is string => typeof v === 'string');
  return via ? (who ? `${via}:${who}` : via) : null;
}
