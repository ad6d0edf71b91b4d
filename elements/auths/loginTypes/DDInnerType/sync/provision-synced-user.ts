/**
 * whenNotAssociated: createUser, as org sync does it: the same user as a first login would create
 * (binding/provision-user.ts: username from the userid, profile from the member record), but with
 * source `sync:<instance>`, so one can tell who was provisioned by a sync and who by a login.
 *
 * provisionUser always writes `login:<instance>`; until it takes the source as an argument, the
 * source is corrected in the same transaction (the caller's `manager`), so no reader ever sees it.
 */
import type { EntityManager } from 'typeorm';
import type { LocalUser } from '../../../../../runtime/auth/types';
import { UserEntity } from '../../../../../runtime/db/core-models';
import { provisionUser } from '../binding/provision-user';
import type { DDMember } from '../client/types';
import { syncUserSource, type SyncContext } from './sync-context';

export async function provisionSyncedUser(ctx: SyncContext, member: DDMember, manager: EntityManager): Promise<LocalUser> {
  const user = await provisionUser(ctx, member, manager);
  const source = syncUserSource(ctx.instance);
  if (user.source !== source) await manager.update(UserEntity, { id: user.id }, { source });
  return { ...user, source };
}
