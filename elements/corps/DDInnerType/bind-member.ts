/**
 * The binding policy applied to a listed member who has no binding yet, in the order a first login
 * applies it (binding/resolve-binding.ts): autoBind rules first, then `whenNotAssociated`. What
 * differs from a login is only the end of the road: where a login would refuse (`reject`) or ask
 * for a proof (`bindExisting`), sync leaves the member unbound; their org record is still kept, and
 * a later login resolves them as usual.
 *
 * AMBIGUOUS_MATCH (a rule matching several local users) is thrown, as at login: the member fails.
 */
import type { EntityManager } from 'typeorm';
import type { LocalUser } from '../../../runtime/auth/types';
import { findAutoBindUser } from '../../../dingtalk/binding/auto-bind';
import { provisionUser } from '../../../dingtalk/binding/provision-user';
import type { DDMember } from '../../../dingtalk/client/types';
import { syncUserSource, type SyncContext } from './sync-context';

export type BindingDecision =
  | { kind: 'autoBound'; user: LocalUser }
  /** `user` is absent when planning (a dry run creates nobody). */
  | { kind: 'created'; user?: LocalUser }
  | { kind: 'unbound'; policy: 'reject' | 'bindExisting' };

/**
 * Decides (and, unless `planOnly`, carries out: a created user) how the member gets bound. The
 * caller inserts the binding row in the same transaction.
 */
export async function decideBinding(ctx: SyncContext, member: DDMember, manager: EntityManager, planOnly: boolean): Promise<BindingDecision> {
  if (ctx.policy.autoBind) {
    const matched = await findAutoBindUser(ctx, member, manager);
    if (matched) return { kind: 'autoBound', user: matched };
  }
  switch (ctx.policy.whenNotAssociated) {
    case 'createUser':
      // The same user a first login would create, marked as provisioned by this instance's sync.
      return planOnly ? { kind: 'created' } : { kind: 'created', user: await provisionUser(ctx, member, manager, syncUserSource(ctx.instance)) };
    case 'reject':
    case 'bindExisting':
      return { kind: 'unbound', policy: ctx.policy.whenNotAssociated };
  }
}
