/**
 * Restoring an ended membership (`jit org restore <corp> <userid>`, `corp.restoreMember(userid)`):
 * the reverse of end-membership.ts, for an offline member (the usual case: offline is sticky) or one
 * a sync recorded as left. The membership is active again, its binding opens sessions again, and the
 * local user is enabled again if (and only if) the end of this membership disabled it; an account an
 * administrator disabled stays disabled. The member's departments come back with the next sync.
 *
 * A sync that listed the member again does the same through its diff (member-diff.ts).
 */
import { JitError, transactionRetryingConflicts } from '../../../runtime';
import type { CorpMember } from '../sync/hooks';
import type { SyncContext } from '../sync/sync-context';
import type { MemberStatus } from '../models/OrgModel/OrgModel';

export interface RestoredMembership {
  userid: string;
  name: string;
  /** What the membership was before. */
  was: Exclude<MemberStatus, 'active'>;
  userId: string | null;
  username: string | null;
  /** True when the local user was enabled again. */
  userEnabled: boolean;
}

export function restoreMembership<M extends CorpMember>(ctx: SyncContext<M>, userid: string): Promise<RestoredMembership> {
  return transactionRetryingConflicts(ctx.app.db, async (manager) => {
    const membership = await ctx.orgModel.findMember(ctx.corpFullName, userid, manager);
    if (!membership) throw new JitError('NOT_FOUND', `${ctx.hooks.fullName} has no member ${userid}`, { corp: ctx.hooks.fullName, userid });
    if (membership.status === 'active') {
      throw new JitError('BAD_REQUEST', `${userid} is an active member of ${ctx.hooks.fullName}: there is nothing to restore`, { corp: ctx.hooks.fullName, userid });
    }
    const binding = await ctx.hooks.findBinding(userid, manager);
    if (binding?.leftAt != null) await ctx.hooks.setBindingLeft(binding, null, manager);
    const user = binding ? await ctx.app.users.findById(binding.userId, manager) : null;
    const userEnabled = Boolean(user && user.disabled && membership.disabledUserId === user.id);
    if (userEnabled) await ctx.app.users.update(user!.id, { disabled: false }, manager);
    await ctx.orgModel.updateMember(membership.id, { status: 'active', leftAt: null, disabledUserId: null, localUserId: binding?.userId ?? membership.localUserId, bindingId: binding?.id ?? membership.bindingId }, undefined, manager);
    const who = { instance: ctx.hooks.fullName, corpId: ctx.hooks.orgId, memberId: userid, userId: user?.id ?? null };
    await ctx.app.audit.record({ type: 'membership.restored', ...who, details: { was: membership.status, userEnabled } }, manager);
    if (userEnabled) await ctx.app.audit.record({ type: 'user.enabled', ...who, details: { reason: 'membership.restored', username: user!.username } }, manager);
    return {
      userid,
      name: membership.name,
      was: membership.status,
      userId: user?.id ?? null,
      username: user?.username ?? null,
      userEnabled,
    };
  });
}
