/**
 * Writes of a real run that are not a chunk's bulk work (write-chunk.ts): the departments, and one
 * member written from rows read again inside the caller's transaction (`writeListedMember`: the
 * path of a live event, and of a chunk written member by member after it failed as a whole).
 *   - a login racing the sync for the same member ends with one binding: the loser's insert fails
 *     on a unique constraint, its transaction rolls back, and the retry finds the winner's row.
 *   - a member or department changed after the run started (a live event applied meanwhile, an
 *     operator) is newer than what the run read: the run leaves it as it is (its change stamp says so).
 *
 * Live events write a member through the same `writeListedMember` (events/apply-live-change.ts).
 */
import type { EntityManager } from 'typeorm';
import { transactionRetryingConflicts } from '../../../runtime';
import { describeError } from './failures';
import type { CorpMember } from './hooks';
import { loadMemberState } from './local-state';
import { diffMember, type ListedMember, type MemberChanges, type MemberState } from './member-diff';
import { departmentChanges, memberName, type DepartmentPlan, type MemberResult } from './plan';
import type { RunContext, SyncContext } from './sync-context';

/**
 * Writes the departments in one transaction: new and changed ones (compared again with rows read in
 * the transaction), and those a complete walk no longer found.
 */
export async function applyDepartments<M extends CorpMember>(ctx: RunContext<M>, plan: DepartmentPlan, at: Date): Promise<void> {
  const writes = [...plan.add, ...plan.update.map((u) => u.department)];
  if (writes.length === 0 && plan.remove.length === 0) return;
  await transactionRetryingConflicts(ctx.app.db, async (manager) => {
    const rows = new Map((await ctx.orgModel.listDepartments(ctx.corpFullName, manager)).map((row) => [row.deptId, row]));
    // A department written after the run started (a live event) is newer than the walk.
    const newer = (deptId: number) => {
      const row = rows.get(deptId);
      return row !== undefined && row.updateTime > ctx.startedAt;
    };
    for (const department of writes) {
      const { deptId, name, parentId, order } = department;
      const row = rows.get(deptId);
      if (!row) await ctx.orgModel.insertDepartment(ctx.corpFullName, deptId, { name, parentId, order }, manager);
      else if (!newer(deptId) && departmentChanges(row, department).length > 0) await ctx.orgModel.updateDepartment(row.id, { name, parentId, order }, manager);
    }
    const removed = plan.remove.map((row) => row.deptId).filter((deptId) => rows.get(deptId)?.removedAt == null && !newer(deptId));
    await ctx.orgModel.markDepartmentsRemoved(ctx.corpFullName, removed, at, manager);
  });
}

/** How a write stamps the membership: the sync run listing it (null for a live event), and the guard against older snapshots. */
export interface MemberStamp {
  runId: string | null;
  /** A membership changed after this time is newer than the record being written: left as it is ('unchanged'). */
  unlessChangedAfter?: Date;
}

/**
 * Writes one member as the organisation lists them now, in the caller's transaction: bound by the
 * Type's rules when not yet (AMBIGUOUS_MATCH is thrown), profile refreshed, membership active, its
 * departments. An offline member is left offline (sticky). The one path of a sync's member and of a
 * live event's.
 */
export async function writeListedMember<M extends CorpMember>(ctx: SyncContext<M>, listed: ListedMember<M>, manager: EntityManager, stamp: MemberStamp): Promise<MemberResult> {
  const { member } = listed;
  const { userid } = member;
  const name = memberName(member);
  const state: MemberState = await loadMemberState(ctx, userid, manager);
  // Offline is sticky: an operator ended it, and only `jit org restore` undoes that.
  if (state.membership?.status === 'offline') return { kind: 'offline', userid, name };
  // Changed since this record was read (a live event during a sync): the newer change stands.
  if (state.membership && stamp.unlessChangedAfter && state.membership.changedAt > stamp.unlessChangedAfter) return { kind: 'unchanged', userid, name };

  let added: { binding: 'created' | 'autoBound' } | undefined;
  if (!state.binding) {
    const decision = await ctx.hooks.bind(member, manager, false);
    if (decision.kind !== 'unbound' && decision.binding) {
      state.binding = decision.binding;
      state.user = decision.user ?? (await ctx.app.users.findById(decision.binding.userId, manager));
      added = { binding: decision.kind };
    }
  }

  const changes = diffMember(ctx.hooks, listed, state);
  await writeChanges(ctx, userid, state, changes, stamp.runId, manager);

  if (added && state.user) return { kind: 'added', userid, name, binding: added.binding, userId: state.user.id, username: state.user.username };
  if (!state.binding) return { kind: 'unbound', userid, name, changes: changes.changes };
  if (changes.changes.length === 0) return { kind: 'unchanged', userid, name };
  return { kind: 'updated', userid, name, userId: state.binding.userId, changes: changes.changes };
}

/** Writes exactly what the diff reports, nothing else (and stamps the membership as listed by this run). */
async function writeChanges<M extends CorpMember>(ctx: SyncContext<M>, userid: string, state: MemberState, changes: MemberChanges, runId: string | null, manager: EntityManager): Promise<void> {
  const { binding } = state;
  if (changes.bindingPatch !== undefined && binding) await ctx.hooks.writeBindingChanges(binding, changes.bindingPatch, manager);
  if (changes.restoreBinding && binding) await ctx.hooks.setBindingLeft(binding, null, manager);
  if (changes.userPatch && state.user) await ctx.app.users.update(state.user.id, changes.userPatch, manager);
  if (changes.memberFields) {
    if (state.membership) await ctx.orgModel.updateMember(state.membership.id, changes.memberFields, runId ?? undefined, manager);
    else await ctx.orgModel.insertMember(ctx.corpFullName, userid, changes.memberFields, runId, manager);
  }
  if (changes.deptIds) await ctx.orgModel.setMemberDepartments(ctx.corpFullName, userid, changes.deptIds, manager, state.deptIds);
}
