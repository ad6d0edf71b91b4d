/**
 * Ending one membership of one corp: a sync found the member gone (`left`), or an operator took them
 * offline (`offline`, sticky: a sync does not undo it). The same rules either way, in one transaction
 * decided from fresh rows:
 *
 *   - the membership is marked ended and loses its department links;
 *   - the binding it came through is marked left, and the sessions opened through that binding are
 *     revoked, whoever created the account (a session through another corp's binding stays);
 *   - the local user is disabled (and every session revoked) only when we provisioned it (`login:` or
 *     `sync:` of any element) and it holds no other active binding, through any login or corp; an
 *     account we did not create is kept and listed for an operator, or disabled too under
 *     `leavers.disableUnmanaged`.
 *
 * Nothing is deleted: not the user, not the binding, not the membership. A member who comes back is
 * the same membership, binding and user again (restore-membership.ts, or the next sync listing them).
 */
import type { EntityManager } from 'typeorm';
import { type AuditEventInput, transactionRetryingConflicts, type LocalUser } from '../../../runtime';
import type { CorpMemberRow, MemberFields } from '../models/OrgModel/OrgModel';
import type { CorpMember, MemberBinding } from '../sync/hooks';
import type { SyncContext } from '../sync/sync-context';
import { isProvisioned } from './provisioned';

/**
 * disable: a user with no binding left, whom we provisioned (or disableUnmanaged): disabled, signed out.
 * keep:    the account stays (listed): still bound elsewhere (`boundElsewhere`), or not ours (`unmanaged`).
 * record:  nothing to do to an account (none bound, or already disabled): the membership is recorded ended.
 */
export type LeaverAction = 'disable' | 'keep' | 'record';

export interface EndedMembership {
  userid: string;
  name: string;
  action: LeaverAction;
  /** Why an account was kept. */
  reason?: 'boundElsewhere' | 'unmanaged';
  userId: string | null;
  username: string | null;
  /** Sessions revoked (those through the binding, or all of them when the user was disabled). */
  sessionsRevoked: number;
}

export type EndStatus = 'left' | 'offline';

export interface EndMembershipOptions {
  /** Decide without writing (a dry run). */
  planOnly?: boolean;
  /** Leave a membership that changed after this time as it is (a sync's leaver whose membership a live event changed since the sync read the organisation). */
  unlessChangedAfter?: Date;
  /** Write the `membership.ended` audit row here (default); a live event writes its own, with the event's id. */
  recordMembershipEnded?: boolean;
}

/**
 * Ends the membership of `userid` (see the module comment). Returns what was done, or null when there
 * was nothing to end (already ended that way, the corp knows no such member, or it changed after
 * `unlessChangedAfter`). Runs in its own transaction, or as a savepoint of the caller's.
 */
export async function endMembership<M extends CorpMember>(
  ctx: SyncContext<M>,
  userid: string,
  status: EndStatus,
  at: Date,
  options: EndMembershipOptions = {},
): Promise<EndedMembership | null> {
  const work = async (manager: EntityManager): Promise<EndedMembership | null> => {
    const membership = await ctx.orgModel.findMember(ctx.corpFullName, userid, manager, { forUpdate: !options.planOnly });
    if (membership && (membership.status === status || (status === 'left' && membership.status === 'offline'))) return null;
    if (membership && options.unlessChangedAfter && membership.changedAt > options.unlessChangedAfter) return null;
    const binding = await ctx.hooks.findBinding(userid, manager);
    if (!membership && !binding) return null;
    const user = binding ? await ctx.app.users.findById(binding.userId, manager) : null;
    const name = membership?.name ?? user?.displayName ?? userid;
    const { action, reason } = await decide(ctx, membership, binding, user, manager);
    const ended: EndedMembership = { userid, name, action, ...(reason ? { reason } : {}), userId: user?.id ?? null, username: user?.username ?? null, sessionsRevoked: 0 };
    if (options.planOnly) return ended;

    if (binding && binding.leftAt == null) await ctx.hooks.setBindingLeft(binding, at, manager);
    if (action === 'disable') await ctx.app.users.update(user!.id, { disabled: true }, manager);
    const fields: MemberFields = {
      unionId: membership?.unionId ?? null,
      name,
      status,
      localUserId: binding?.userId ?? membership?.localUserId ?? null,
      bindingId: binding?.id ?? membership?.bindingId ?? null,
      // A membership that had already ended keeps the time it ended.
      leftAt: membership?.leftAt ?? at,
      disabledUserId: action === 'disable' ? user!.id : (membership?.disabledUserId ?? null),
    };
    if (membership) await ctx.orgModel.updateMember(membership.id, fields, undefined, manager);
    else await ctx.orgModel.insertMember(ctx.corpFullName, userid, fields, null, manager);
    await ctx.orgModel.setMemberDepartments(ctx.corpFullName, userid, [], manager);

    // A leaver keeps no session through this corp; a disabled user keeps none at all.
    if (user && action === 'disable') ended.sessionsRevoked = await ctx.app.sessions.revokeAllForUser(user.id, manager);
    else if (user && binding?.id) ended.sessionsRevoked = await ctx.app.sessions.revokeForBinding(user.id, binding.id, manager);
    await recordEnded(ctx, ended, status, { bindingLeft: !!binding && binding.leftAt == null, membershipEnded: options.recordMembershipEnded !== false }, manager);
    return ended;
  };
  return options.planOnly ? ctx.app.db.run(work) : transactionRetryingConflicts(ctx.app.db, work);
}

/** The audit rows of an ended membership, in its transaction: what ended, the binding marked left, a disabled user, the sessions ended. */
async function recordEnded<M extends CorpMember>(
  ctx: SyncContext<M>,
  ended: EndedMembership,
  status: EndStatus,
  rows: { bindingLeft: boolean; membershipEnded: boolean },
  manager: EntityManager,
): Promise<void> {
  const who = { instance: ctx.hooks.fullName, corpId: ctx.hooks.orgId, memberId: ended.userid, userId: ended.userId };
  const events: AuditEventInput[] = [];
  if (rows.membershipEnded) events.push({ type: 'membership.ended', ...who, details: { status, action: ended.action, reason: ended.reason ?? null, sessionsRevoked: ended.sessionsRevoked } });
  if (rows.bindingLeft) events.push({ type: 'binding.left', ...who, details: { status } });
  if (ended.action === 'disable') events.push({ type: 'user.disabled', ...who, details: { reason: 'membership.ended', username: ended.username } });
  if (ended.sessionsRevoked > 0) events.push({ type: 'session.revoked', ...who, details: { sessions: ended.sessionsRevoked, reason: 'membership.ended' } });
  if (events.length > 0) await ctx.app.audit.recordMany(events, manager);
}

async function decide<M extends CorpMember>(
  ctx: SyncContext<M>,
  membership: CorpMemberRow | null,
  binding: MemberBinding | null,
  user: LocalUser | null,
  manager: EntityManager,
): Promise<{ action: LeaverAction; reason?: EndedMembership['reason'] }> {
  if (!user) return { action: 'record' };
  const others = await ctx.hooks.countOtherActiveBindings(user.id, { membershipId: membership?.id ?? null, bindingId: binding?.id ?? null }, manager);
  if (others > 0) return { action: 'keep', reason: 'boundElsewhere' };
  if (!isProvisioned(user) && !ctx.disableUnmanaged) return { action: 'keep', reason: 'unmanaged' };
  return { action: user.disabled ? 'record' : 'disable' };
}
