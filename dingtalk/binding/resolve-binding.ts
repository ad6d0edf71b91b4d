/**
 * Binding resolution: which local user a DingTalk member (corpId + userid) is, per the instance's
 * binding policy. Used by both login flows and, with the same rules, by org sync.
 *
 * Each resolution runs in one transaction, guarded by the unique constraints on bindings
 * (corpId + userid) and usernames. When a concurrent resolution of the same member wins the race,
 * ours fails on a constraint, rolls back, and runs again: it then finds the winner's binding, so a
 * member never gets a second row or a second user.
 */
import type { EntityManager } from 'typeorm';
import { transactionRetryingConflicts, JitError, type LocalUser, LOGIN_ERRORS } from '../../runtime';
import { DINGTALK_ERRORS } from '../error-codes';
import type { DDMember } from '../client/types';
import type { BindingKind } from './policy';
import { bindingProfile, changedProfileFields } from '../profile';
import { findAutoBindUser } from './auto-bind';
import type { BindingContext } from './binding-context';
import { provisionUser } from './provision-user';

export type BindingOutcome =
  | { kind: 'bound'; binding: BindingKind; user: LocalUser; bindingId: string }
  /** whenNotAssociated: bindExisting and no binding yet: the person must prove a local account. */
  | { kind: 'proofRequired' };

type Bound = Extract<BindingOutcome, { kind: 'bound' }>;

/**
 * Resolves the member's binding: an existing one (its profile refreshed from the member record), an
 * autoBind match, or the whenNotAssociated policy (createUser / reject -> BINDING_REJECTED /
 * bindExisting -> proofRequired). AMBIGUOUS_MATCH when a rule matches several users.
 */
export async function resolveBinding(ctx: BindingContext, member: DDMember): Promise<BindingOutcome> {
  // Most logins are returning members: reading their binding needs no transaction (and, on SQLite, no
  // turn of the write queue). Only a first login, which may create rows, takes the transaction below,
  // which reads again in case a concurrent login bound the member in between.
  const returning = await refreshExisting(ctx, member);
  if (returning) return returning;
  return transactionRetryingConflicts(ctx.app.db, async (manager) => {
    const existing = await refreshExisting(ctx, member, manager);
    if (existing) return existing;

    const matched = ctx.policy.autoBind ? await findAutoBindUser(ctx, member, manager) : null;
    if (matched) return bind(ctx, member, matched, 'autoBound', manager);

    switch (ctx.policy.whenNotAssociated) {
      case 'reject':
        throw LOGIN_ERRORS.error('BINDING_REJECTED', 'This DingTalk account is not associated with a local account, and this login does not create one; ask an administrator', {
          instance: ctx.instance,
        });
      case 'bindExisting':
        return { kind: 'proofRequired' };
      case 'createUser':
        return bind(ctx, member, await provisionUser(ctx, member, manager), 'created', manager);
    }
  });
}

/**
 * Binds the member to a user who proved the account (bindExisting). If the member was bound in the
 * meantime (another tab, another host), that binding stands and is the one logged in.
 */
export function bindProvenUser(ctx: BindingContext, member: DDMember, user: LocalUser): Promise<Bound> {
  return transactionRetryingConflicts(ctx.app.db, async (manager) => {
    const existing = await refreshExisting(ctx, member, manager);
    if (existing) return existing;
    await assertUserFreeInCorp(ctx, user, manager);
    return bind(ctx, member, user, 'existing', manager);
  });
}

/** A local user is bound to at most one member per corp (the model's unique constraint says so too). */
export async function assertUserFreeInCorp(ctx: BindingContext, user: LocalUser, manager?: EntityManager): Promise<void> {
  if ((await ctx.model.findByUserId(user.id, ctx.corpId, manager)).length > 0) {
    throw LOGIN_ERRORS.error('BINDING_REJECTED', 'That local account is already bound to another DingTalk account of this organisation; an administrator can unbind it (jit bindings unbind)', {
      instance: ctx.instance,
    });
  }
}

async function refreshExisting(ctx: BindingContext, member: DDMember, manager?: EntityManager): Promise<Bound | null> {
  const row = await ctx.model.findByMember(ctx.corpId, member.userid, manager);
  if (!row) return null;
  // The membership behind this binding ended (a corp's sync found the member gone, or an operator took
  // them offline): no session through it until the corp restores it (a sync listing them again, or
  // `jit org restore`). DingTalk itself refuses most leavers before this point.
  if (row.leftAt != null) {
    throw DINGTALK_ERRORS.error('NOT_CORP_MEMBER', 'This DingTalk account is no longer a member of the organisation here (it left, or an operator took it offline); an administrator can restore it (jit org restore)', {
      instance: ctx.instance,
    });
  }
  // Refreshed from the member record, written only when DingTalk changed something: most logins are
  // returning ones with nothing new, and every write waits its turn on SQLite.
  const profile = bindingProfile(member);
  const changed = changedProfileFields(row, profile);
  if (changed.length > 0) {
    // The refresh and its audit event commit together (a savepoint when already in a transaction).
    await ctx.app.db.transaction(async (m) => {
      await ctx.model.updateProfile(row.id, profile, m);
      await ctx.app.audit.record({ type: 'binding.updated', instance: ctx.instance, corpId: ctx.corpId, memberId: member.userid, unionId: member.unionid ?? null, userId: row.userId, details: { bindingId: row.id, fields: changed } }, m);
    });
  }
  const user = await ctx.app.users.findById(row.userId, manager);
  if (!user) throw new JitError('INTERNAL_ERROR', `Binding ${row.id} points at a local user that no longer exists`);
  return { kind: 'bound', binding: 'existing', user, bindingId: row.id };
}

async function bind(ctx: BindingContext, member: DDMember, user: LocalUser, binding: BindingKind, manager: EntityManager): Promise<Bound> {
  const row = await ctx.model.insert({ userId: user.id, thirdCorpId: ctx.corpId, thirdUserId: member.userid, ...bindingProfile(member) }, manager);
  await ctx.app.audit.record({ type: 'binding.created', instance: ctx.instance, corpId: ctx.corpId, memberId: member.userid, unionId: member.unionid ?? null, userId: user.id, details: { bindingId: row.id, binding } }, manager);
  return { kind: 'bound', binding, user, bindingId: row.id };
}
