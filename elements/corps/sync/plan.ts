/**
 * The diff between what the organisation listed and what the database holds: which departments and
 * members would be added, updated or left unchanged. Planning reads only: a dry run is exactly a
 * plan. A real run plans its departments here and writes its members chunk by chunk
 * (write-chunk.ts, with the same diff). Leavers are planned in leavers.ts.
 */
import { isJitError } from '../../../runtime';
import type { CorpDepartmentRow } from '../models/OrgModel/OrgModel';
import { describeError, type SyncFailureCode } from './failures';
import type { CorpDepartment, CorpMember } from './hooks';
import { snapshotMemberState, type LocalSnapshot } from './local-state';
import { diffMember, type ListedMember } from './member-diff';
import type { RunContext } from './sync-context';

/** What happened (or, in a dry run, would happen) to one listed member. */
export type MemberResult =
  | { kind: 'added'; userid: string; name: string; binding: 'created' | 'autoBound'; userId: string | null; username: string | null }
  | { kind: 'updated'; userid: string; name: string; userId: string | null; changes: string[] }
  /** No binding, by policy (`reject` / `bindExisting`); the membership is kept all the same. */
  | { kind: 'unbound'; userid: string; name: string; changes: string[] }
  | { kind: 'unchanged'; userid: string; name: string }
  /** Taken offline by an operator: listed, but left as it is until `jit org restore`. */
  | { kind: 'offline'; userid: string; name: string }
  | { kind: 'failed'; userid: string; name: string; code: SyncFailureCode; message: string };

/**
 * What the plan says about one member: a result, or (in a real run) `pending` for a member without a
 * binding, whose binding is decided once, inside the member's transaction.
 */
export type PlannedMember = MemberResult | { kind: 'pending'; userid: string; name: string };

export interface DepartmentPlan {
  add: CorpDepartment[];
  update: Array<{ department: CorpDepartment; changes: string[] }>;
  unchanged: number;
  /** Departments the database has and a complete walk did not find (empty when incomplete). */
  remove: CorpDepartmentRow[];
}

/** `rows`: the corp's departments in the database (as the run found them when it started). */
export function planDepartments(walked: readonly CorpDepartment[], rows: ReadonlyMap<number, CorpDepartmentRow>, complete: boolean): DepartmentPlan {
  const plan: DepartmentPlan = { add: [], update: [], unchanged: 0, remove: [] };
  for (const department of walked) {
    const row = rows.get(department.deptId);
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
    plan.remove = [...rows.values()].filter((row) => row.removedAt == null && !found.has(row.deptId));
  }
  return plan;
}

export function departmentChanges(row: CorpDepartmentRow, department: CorpDepartment): string[] {
  const changes: string[] = [];
  if (row.removedAt != null) changes.push('restored');
  if (row.name !== department.name) changes.push('name');
  if ((row.parentId ?? null) !== department.parentId) changes.push('parentId');
  if ((row.order ?? null) !== department.order) changes.push('order');
  return changes;
}

/**
 * Plans one member from the snapshot. For a member without a binding, `decideBindings` (dry runs)
 * evaluates the binding rules now, read-only; otherwise the member is `pending` and apply decides.
 */
export async function planMember<M extends CorpMember>(ctx: RunContext<M>, listed: ListedMember<M>, snapshot: LocalSnapshot, decideBindings: boolean): Promise<PlannedMember> {
  const { userid } = listed.member;
  const name = memberName(listed.member);
  const state = snapshotMemberState(snapshot, userid);
  if (state.membership?.status === 'offline') return { kind: 'offline', userid, name };
  if (state.binding) {
    const { changes } = diffMember(ctx.hooks, listed, state);
    return changes.length > 0 ? { kind: 'updated', userid, name, userId: state.binding.userId, changes } : { kind: 'unchanged', userid, name };
  }
  if (!decideBindings) return { kind: 'pending', userid, name };
  try {
    const decision = await ctx.app.db.run((manager) => ctx.hooks.bind(listed.member, manager, true));
    if (decision.kind === 'unbound') {
      const { changes } = diffMember(ctx.hooks, listed, state);
      return { kind: 'unbound', userid, name, changes };
    }
    const user = decision.user ?? null;
    return { kind: 'added', userid, name, binding: decision.kind, userId: user?.id ?? null, username: user?.username ?? null };
  } catch (err) {
    if (!isJitError(err)) throw err;
    return { kind: 'failed', userid, name, ...describeError(err) };
  }
}

/** How a member is named in results: their name, else their userid. */
export function memberName(member: CorpMember): string {
  return typeof member.name === 'string' && member.name.trim() !== '' ? member.name : member.userid;
}
