/**
 * Members who left: known to the database (a binding in this corp, or an org record) but not listed
 * by a complete walk. Leavers are disabled, never deleted, and only when this instance manages them
 * (users it provisioned: source `sync:<instance>` or `login:<instance>`); a pre-existing local user
 * who was bound keeps their account, and the summary names them for an administrator.
 *
 * Nothing is done when the walk was incomplete (a department or a page failed: the member may only
 * be hidden by the failure) or listed nobody at all (a contacts scope misconfigured in the DingTalk
 * console looks like that). A leaver already recorded as left is not looked at again, so a second
 * run writes nothing, and an administrator who re-enables a leaver is not overruled.
 */
import type { EntityManager } from 'typeorm';
import { transactionRetryingConflicts } from '../../../runtime/db/retry-on-conflict';
import { loadMemberState, snapshotMemberState, type LocalSnapshot } from './local-state';
import type { MemberState } from './member-diff';
import { isManagedBy, type SyncContext } from './sync-context';

/**
 * disable: a managed, enabled user: disabled, their sessions revoked.
 * keep:    bound to a local user this instance does not manage: recorded as left, account untouched.
 * record:  nothing to disable (no binding, or the user is already disabled): recorded as left.
 */
export type LeaverAction = 'disable' | 'keep' | 'record';

export interface Leaver {
  userid: string;
  name: string;
  action: LeaverAction;
  userId: string | null;
  username: string | null;
}

export interface LeaverPlan {
  leavers: Leaver[];
  /** Why no leaver was looked for, when the run cannot tell who left. */
  skipped?: string;
}

export function planLeavers(ctx: SyncContext, snapshot: LocalSnapshot, listed: ReadonlySet<string>, fetchFailures: number): LeaverPlan {
  if (fetchFailures > 0) {
    return { leavers: [], skipped: `${fetchFailures} fetch${fetchFailures === 1 ? '' : 'es'} failed, so the member list is incomplete: nobody is disabled in this run` };
  }
  if (listed.size === 0) {
    return { leavers: [], skipped: "DingTalk listed no members (check the app's contacts scope in the DingTalk console): nobody is disabled" };
  }
  const known = new Set([...snapshot.bindings.keys(), ...snapshot.orgMembers.keys()]);
  const leavers: Leaver[] = [];
  for (const userid of [...known].sort()) {
    if (listed.has(userid)) continue;
    const leaver = leaverFrom(ctx, userid, snapshotMemberState(snapshot, userid));
    if (leaver) leavers.push(leaver);
  }
  return { leavers };
}

/** What to do about a member no longer listed, or null when they are already recorded as left. */
function leaverFrom(ctx: SyncContext, userid: string, state: MemberState): Leaver | null {
  if (state.orgRow?.leftAt != null) return null;
  const { user } = state;
  const name = state.orgRow?.name ?? user?.displayName ?? userid;
  const action: LeaverAction = !user ? 'record' : !isManagedBy(ctx.instance, user) ? 'keep' : user.disabled ? 'record' : 'disable';
  return { userid, name, action, userId: user?.id ?? null, username: user?.username ?? null };
}

/**
 * Records one leaver in one transaction, deciding again from fresh rows (a login may have happened
 * since the plan). Returns what was done, or null when there was nothing left to do.
 */
export async function applyLeaver(ctx: SyncContext, planned: Leaver, at: Date): Promise<Leaver | null> {
  const done = await transactionRetryingConflicts(ctx.app.db, async (manager) => {
    const state = await loadMemberState(ctx, planned.userid, manager);
    const leaver = leaverFrom(ctx, planned.userid, state);
    if (!leaver) return null;
    await recordLeft(ctx, leaver, state, at, manager);
    return leaver;
  });
  // Someone who left the organisation keeps no open session. (Outside the transaction: the session
  // store has no transactional revoke; a failure here leaves the user disabled, which logins check.)
  if (done?.action === 'disable' && done.userId) await ctx.app.sessions.revokeAllForUser(done.userId);
  return done;
}

async function recordLeft(ctx: SyncContext, leaver: Leaver, state: MemberState, at: Date, manager: EntityManager): Promise<void> {
  const disabling = leaver.action === 'disable' && state.user !== null;
  if (disabling) await ctx.app.users.update(state.user!.id, { disabled: true }, manager);
  const fields = {
    unionId: state.orgRow?.unionId ?? state.binding?.unionId ?? null,
    name: leaver.name,
    leftAt: at,
    disabledUserId: disabling ? state.user!.id : null,
  };
  if (state.orgRow) await ctx.orgModel.updateMember(state.orgRow.id, fields, manager);
  else await ctx.orgModel.insertMember(ctx.corpId, leaver.userid, fields, manager);
  if (state.deptIds.size > 0) await ctx.orgModel.setMemberDepartments(ctx.corpId, leaver.userid, [], manager, state.deptIds);
}
