/**
 * The binding rules applied to a listed member who has no binding yet, in the order a first login
 * applies them (dingtalk/binding/resolve-binding.ts): autoBind rules first, then `whenNotAssociated`.
 * The rules are those of the login the corp names (or the corp's own `binding`). What differs from a
 * login is only the end of the road: where a login would refuse (`reject`) or ask for a proof
 * (`bindExisting`), sync leaves the member unbound; their membership is still kept, and a later
 * login resolves them as usual.
 *
 * AMBIGUOUS_MATCH (a rule matching several local users) is thrown, as at login: the member fails.
 */
import type { EntityManager } from 'typeorm';
import { findAutoBindUser } from '../../../dingtalk/binding/auto-bind';
import type { BindingContext } from '../../../dingtalk/binding/binding-context';
import { provisionUser } from '../../../dingtalk/binding/provision-user';
import { bindingProfile } from '../../../dingtalk/profile';
import type { DDMember } from '../../../dingtalk/client/types';
import type { BindDecision } from '../sync/hooks';

/**
 * Decides (and, unless `planOnly`, carries out: a created user, the binding row) how the member gets
 * bound, in the caller's transaction. Users created get `source`.
 */
export async function bindMember(ctx: BindingContext, member: DDMember, manager: EntityManager, planOnly: boolean, source: string): Promise<BindDecision> {
  const matched = ctx.policy.autoBind ? await findAutoBindUser(ctx, member, manager) : null;
  let kind: 'autoBound' | 'created';
  if (matched) kind = 'autoBound';
  else if (ctx.policy.whenNotAssociated === 'createUser') kind = 'created';
  else return { kind: 'unbound' };
  if (planOnly) return matched ? { kind, user: matched } : { kind };
  // The same user a first login would create, marked as provisioned by this corp's sync.
  const user = matched ?? (await provisionUser(ctx, member, manager, source));
  const binding = await ctx.model.insert({ userId: user.id, thirdCorpId: ctx.corpId, thirdUserId: member.userid, ...bindingProfile(member) }, manager);
  return { kind, user, binding };
}
