/**
 * The writes of a real run. Each member is written in one transaction (user, binding, org record and
 * department links together), from rows read again inside it, so:
 *   - a run killed midway leaves every member either fully written or untouched, and a re-run
 *     finds the written ones unchanged and completes the rest;
 *   - a login racing the sync for the same member ends with one binding: the loser's insert fails
 *     on a unique constraint, its transaction rolls back, and the retry finds the winner's row.
 *
 * Members' transactions are grouped: consecutive members are written as savepoints inside one
 * outer transaction that stays open for at most BATCH_WINDOW_MS. A member that fails rolls back to
 * its savepoint only. Every commit costs a disk flush: one commit per member made a 1,000-member
 * first run on SQLite more than twice as slow. The short window keeps logins (which queue behind a
 * batch on SQLite) waiting briefly, and a killed run loses at most one batch, never half a member.
 */
import type { EntityManager } from 'typeorm';
import { transactionRetryingConflicts } from '../../../runtime/db/retry-on-conflict';
import { bindingProfile } from '../../../dingtalk/profile';
import { decideBinding } from './bind-member';
import { describeError } from './failures';
import { loadMemberState } from './local-state';
import { diffMember, type ListedMember, type MemberChanges, type MemberState } from './member-diff';
import { departmentChanges, type DepartmentPlan, type MemberResult, type PlannedMember } from './plan';
import type { SyncContext } from './sync-context';

/** How long one batch transaction may stay open (SQLite queues every other writer behind it). */
const BATCH_WINDOW_MS = 100;
const BATCH_MAX_MEMBERS = 200;

export interface MemberWork {
  listed: ListedMember;
  planned: PlannedMember;
}

/**
 * Writes the departments in one transaction: new and changed ones (compared again with rows read in
 * the transaction), and those a complete walk no longer found.
 */
export async function applyDepartments(ctx: SyncContext, plan: DepartmentPlan, at: Date): Promise<void> {
  const writes = [...plan.add, ...plan.update.map((u) => u.department)];
  if (writes.length === 0 && plan.remove.length === 0) return;
  await transactionRetryingConflicts(ctx.app.db, async (manager) => {
    const rows = new Map((await ctx.orgModel.listDepartments(ctx.corpId, manager)).map((row) => [row.deptId, row]));
    for (const department of writes) {
      const { deptId, name, parentId, order } = department;
      const row = rows.get(deptId);
      if (!row) await ctx.orgModel.insertDepartment(ctx.corpId, deptId, { name, parentId, order }, manager);
      else if (departmentChanges(row, department).length > 0) await ctx.orgModel.updateDepartment(row.id, { name, parentId, order }, manager);
    }
    const removed = plan.remove.map((row) => row.deptId).filter((deptId) => rows.get(deptId)?.removedAt == null);
    await ctx.orgModel.markDepartmentsRemoved(ctx.corpId, removed, at, manager);
  });
}

/**
 * Applies members in batches (see the module comment); `onResult(index, result)` gets each outcome
 * as its member is done. `workers` batches run at once: PostgreSQL gives each its own connection,
 * while SQLite would only queue them, so the caller passes 1 there. Stops between members when the
 * signal fires (the current batches are committed first) or when a batch itself fails (its commit).
 */
export async function applyMembers(
  ctx: SyncContext,
  work: readonly MemberWork[],
  onResult: (index: number, result: MemberResult) => void,
  options: { workers: number; signal?: AbortSignal },
): Promise<void> {
  const { signal } = options;
  let next = 0;
  let failed = false;
  const more = () => next < work.length && !failed && !signal?.aborted;

  const worker = async () => {
    while (more()) {
      // An index is claimed before any await, so no two workers take the same member.
      const first = next++;
      // Unchanged members cost no transaction at all.
      if (!needsWrite(work[first].planned)) {
        onResult(first, work[first].planned as MemberResult);
        continue;
      }
      const started = performance.now();
      await ctx.app.db.transaction(async () => {
        let index = first;
        for (let inBatch = 1; ; inBatch++) {
          onResult(index, await applyMember(ctx, work[index].listed, work[index].planned));
          if (!more() || inBatch >= BATCH_MAX_MEMBERS || performance.now() - started >= BATCH_WINDOW_MS) break;
          index = next++;
        }
      });
    }
  };

  const outcomes = await Promise.allSettled(
    Array.from({ length: options.workers }, () =>
      worker().catch((err) => {
        failed = true;
        throw err;
      }),
    ),
  );
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (rejected) throw rejected.reason;
  signal?.throwIfAborted();
}

/** False when the plan found nothing to write for the member. */
function needsWrite(planned: PlannedMember): boolean {
  return !(planned.kind === 'unchanged' || (planned.kind === 'unbound' && planned.changes.length === 0));
}

/**
 * Writes one member as planned and returns what actually happened (a login may have bound them since
 * the plan was made). Members the plan found unchanged are not touched. Any error fails this member
 * only (AMBIGUOUS_MATCH, or a row the database refuses): its savepoint is rolled back and the others
 * go on, so one odd member can never block every future run at the same place.
 */
async function applyMember(ctx: SyncContext, listed: ListedMember, planned: PlannedMember): Promise<MemberResult> {
  if (!needsWrite(planned)) return planned as MemberResult;
  try {
    return await transactionRetryingConflicts(ctx.app.db, (manager) => writeMember(ctx, listed, manager));
  } catch (err) {
    return { kind: 'failed', userid: listed.member.userid, name: listed.member.name, ...describeError(err) };
  }
}

async function writeMember(ctx: SyncContext, listed: ListedMember, manager: EntityManager): Promise<MemberResult> {
  const { member } = listed;
  const { userid, name } = member;
  const state: MemberState = await loadMemberState(ctx, userid, manager);

  let added: { binding: 'created' | 'autoBound' } | undefined;
  if (!state.binding) {
    const decision = await decideBinding(ctx, member, manager, false);
    if (decision.kind !== 'unbound' && decision.user) {
      state.binding = await ctx.model.insert({ userId: decision.user.id, thirdCorpId: ctx.corpId, thirdUserId: userid, ...bindingProfile(member) }, manager);
      state.user = decision.user;
      added = { binding: decision.kind };
    }
  }

  const changes = diffMember(ctx.instance, listed, state);
  await writeChanges(ctx, userid, state, changes, manager);

  if (added && state.user) return { kind: 'added', userid, name, binding: added.binding, userId: state.user.id, username: state.user.username };
  if (!state.binding) return { kind: 'unbound', userid, name, changes: changes.changes };
  if (changes.changes.length === 0) return { kind: 'unchanged', userid, name };
  return { kind: 'updated', userid, name, userId: state.binding.userId, changes: changes.changes };
}

/** Writes exactly what the diff reports, nothing else. */
async function writeChanges(ctx: SyncContext, userid: string, state: MemberState, changes: MemberChanges, manager: EntityManager): Promise<void> {
  if (changes.profile && state.binding) await ctx.model.updateProfile(state.binding.id, changes.profile, manager);
  if (changes.userPatch && state.user) await ctx.app.users.update(state.user.id, changes.userPatch, manager);
  if (changes.orgFields) {
    if (state.orgRow) await ctx.orgModel.updateMember(state.orgRow.id, changes.orgFields, manager);
    else await ctx.orgModel.insertMember(ctx.corpId, userid, changes.orgFields, manager);
  }
  if (changes.deptIds) await ctx.orgModel.setMemberDepartments(ctx.corpId, userid, changes.deptIds, manager, state.deptIds);
}
