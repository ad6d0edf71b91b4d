/**
 * autoBind: find the one local user a DingTalk member should be bound to on a first login, trying the
 * instance's `match` rules in order. A rule whose source the member lacks is skipped; a rule with no
 * candidate passes to the next; a rule with several candidates stops everything with AMBIGUOUS_MATCH,
 * because picking one would hand an account to the wrong person.
 */
import type { EntityManager } from 'typeorm';
import { JitError, type LocalUser, LOGIN_ERRORS } from '../../runtime';
import type { DDMember } from '../client/types';
import { memberAttribute } from '../profile';
import type { BindingContext } from './binding-context';

export async function findAutoBindUser(ctx: BindingContext, member: DDMember, manager: EntityManager): Promise<LocalUser | null> {
  for (const [index, rule] of ctx.policy.match.entries()) {
    const value = memberAttribute(member, rule.source);
    if (value === null) continue;
    const found = await ctx.app.users.findByAttribute(rule.target, value, manager);
    const candidates = await withoutUsersBoundElsewhere(ctx, found, manager);
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) {
      throw LOGIN_ERRORS.error(
        'AMBIGUOUS_MATCH',
        `binding.match[${index}] (${rule.source} -> ${rule.target}) matches ${candidates.length} local users; ` +
          'an administrator must bind this DingTalk account (or make the attribute unique)',
        { instance: ctx.instance, rule: index, source: rule.source, target: rule.target, candidates: candidates.length },
      );
    }
  }
  return null;
}

/**
 * A local user already bound to another member of this corp is not a candidate: an attribute that
 * happens to repeat (a shared phone, a reused job number) must not give a second person that account.
 */
async function withoutUsersBoundElsewhere(ctx: BindingContext, users: LocalUser[], manager: EntityManager): Promise<LocalUser[]> {
  const free: LocalUser[] = [];
  for (const user of users) {
    const bindings = await ctx.model.findByUserId(user.id, ctx.corpId, manager);
    if (bindings.length === 0) free.push(user);
  }
  return free;
}
