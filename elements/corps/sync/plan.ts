/**
 * The diff between what DingTalk listed and what the database holds: which departments and members
 * would be added, updated or left unchanged. Planning reads only (a dry run is exactly a plan), and
 * a real run uses it to skip unchanged members without opening a transaction. Leavers are planned
 * in leavers.ts.
 */
import { isJitError } from '../../../runtime/errors';
import type { DDDepartmentRow } from '../models/OrgModel/DDDepartmentModel';
import { decideBinding } from './bind-member';
import { describeError } from './failures';
import type { MemberFetch } from './fetch-members';
import { snapshotMemberState, type LocalSnapshot } from './local-state';
import { diffMember, type ListedMember } from './member-diff';
import type { SyncContext } from './sync-context';
import type { WalkedDepartment } from './walk-departments';

/** What happened (or, in a dry run, would happen) to one listed member. */
export type MemberResult =
  | { kind: 'added'; userid: string; name: string; binding: 'created' | 'autoBound'; userId: string | null; username: string | null }
  | { kind: 'updated'; userid: string; name: string; userId: string; changes: string[] }
  /** No binding, by policy (`reject` / `bindExisting`); the org record is kept all the same. */
  | { kind: 'unbound'; userid: string; name: string; changes: string[] }
  | { kind: 'unchanged'; userid: string; name: string }
  | { kind: 'failed'; userid: string; name: string; code: string; message: string };

/**
 * What the plan says about one member: a result, or (in a real run) `pending` for a member without a
 * binding, whose binding policy is decided once, inside the member's transaction.
 */
export type PlannedMember = MemberResult | { kind: 'pending'; userid: string; name: string };

export interface DepartmentPlan {
  add: WalkedDepartment[];
  update: Array<{ department: WalkedDepartment; changes: string[] }>;
  unchanged: number;
  /** Departments the database has and a complete walk did not find (empty when incomplete). */
  remove: DDDepartmentRow[];
}

/**
 * Members as listed, each with the departments they are in: where they were listed, plus those of
 * their `dept_id_list` the walk found (a page that failed may hide one of their departments; one
 * outside the app's contacts scope is not linked). `complete`: every fetch succeeded.
 */
export function listedMembers(fetch: MemberFetch, walked: ReadonlySet<number>, complete: boolean): ListedMember[] {
  return [...fetch.members.values()].map(({ member, listedIn }) => {
    const deptIds = new Set(listedIn);
    for (const deptId of member.dept_id_list ?? []) if (walked.has(deptId)) deptIds.add(deptId);
    return { member, deptIds: [...deptIds].sort((a, b) => a - b), partial: !complete };
  });
}

export function planDepartments(walked: readonly WalkedDepartment[], snapshot: LocalSnapshot, complete: boolean): DepartmentPlan {
  const plan: DepartmentPlan = { add: [], update: [], unchanged: 0, remove: [] };
  for (const department of walked) {
    const row = snapshot.departments.get(department.deptId);
    if (!row) {
      plan.add.push(department);
      continue;
    }
    const changes = departmentChanges(row, department);
    if (changes.length > 0) plan.update.push({ department, changes });
    else plan.unchanged++;
  }
  if (complete) {
    const found = new Set(walked.map((d) => d.deptId));
    plan.remove = [...snapshot.departments.values()].filter((row) => row.removedAt == null && !found.has(row.deptId));
  }
  return plan;
}

export function departmentChanges(row: DDDepartmentRow, department: WalkedDepartment): string[] {
  const changes: string[] = [];
  if (row.removedAt != null) changes.push('restored');
  if (row.name !== department.name) changes.push('name');
  if ((row.parentId ?? null) !== department.parentId) changes.push('parentId');
  if ((row.order ?? null) !== department.order) changes.push('order');
  return changes;
}

/**
 * Plans one member from the snapshot. For a member without a binding, `decideBindings` (dry runs)
 * evaluates the binding policy now, read-only; otherwise the member is `pending` and apply decides.
 */
export async function planMember(ctx: SyncContext, listed: ListedMember, snapshot: LocalSnapshot, decideBindings: boolean): Promise<PlannedMember> {
  const { userid } = listed.member;
  const name = listed.member.name;
  const state = snapshotMemberState(snapshot, userid);
  if (state.binding) {
    const { changes } = diffMember(ctx.instance, listed, state);
    return changes.length > 0 ? { kind: 'updated', userid, name, userId: state.binding.userId, changes } : { kind: 'unchanged', userid, name };
  }
  if (!decideBindings) return { kind: 'pending', userid, name };
  try {
    const decision = await ctx.app.db.run((manager) => decideBinding(ctx, listed.member, manager, true));
    if (decision.kind === 'unbound') {
      const { changes } = diffMember(ctx.instance, listed, state);
      return { kind: 'unbound', userid, name, changes };
    }
    const user = decision.user ?? null;
    return { kind: 'added', userid, name, binding: decision.kind, userId: user?.id ?? null, username: user?.username ?? null };
  } catch (err) {
    if (!isJitError(err)) throw err;
    return { kind: 'failed', userid, name, ...describeError(err) };
  }
}
