/**
 * What the database holds for one corp, read in a few queries before a dry run plans, so the plan
 * compares in memory instead of querying per member (a dry run holds the organisation anyway). A real
 * run reads each chunk's rows in bulk instead (write-chunk.ts), and a member written on their own
 * (a live event, a chunk written member by member) is read fresh in its transaction (loadMemberState).
 */
import type { EntityManager } from 'typeorm';
import type { LocalUser } from '../../../runtime';
import type { CorpDepartmentRow, CorpMemberRow } from '../models/OrgModel/OrgModel';
import type { CorpMember, MemberBinding } from './hooks';
import type { MemberState } from './member-diff';
import type { RunContext, SyncContext } from './sync-context';

export interface LocalSnapshot {
  departments: Map<number, CorpDepartmentRow>;
  /** Memberships by userid (active, left and offline). */
  memberships: Map<string, CorpMemberRow>;
  /** Department links by userid. */
  links: Map<string, Set<number>>;
  /** The corp's bindings by userid. */
  bindings: Map<string, MemberBinding>;
  /** The users bound in this corp, by id. */
  users: Map<string, LocalUser>;
}

export async function loadSnapshot<M extends CorpMember>(ctx: RunContext<M>): Promise<LocalSnapshot> {
  const { corpFullName } = ctx;
  const [departments, memberships, links, bindings, users] = await Promise.all([
    ctx.orgModel.listDepartments(corpFullName),
    ctx.orgModel.listMembers(corpFullName),
    ctx.orgModel.listMemberships(corpFullName),
    ctx.hooks.listBindings(),
    ctx.app.users.list(),
  ]);
  const boundUserIds = new Set([...bindings.values()].map((b) => b.userId));
  const byUser = new Map<string, Set<number>>();
  for (const link of links) {
    const set = byUser.get(link.userid) ?? new Set<number>();
    set.add(link.deptId);
    byUser.set(link.userid, set);
  }
  return {
    departments: new Map(departments.map((d) => [d.deptId, d])),
    memberships: new Map(memberships.map((m) => [m.userid, m])),
    links: byUser,
    bindings,
    users: new Map(users.filter((u) => boundUserIds.has(u.id)).map((u) => [u.id, u])),
  };
}

/** One member's state as the snapshot has it. */
export function snapshotMemberState(snapshot: LocalSnapshot, userid: string): MemberState {
  const binding = snapshot.bindings.get(userid) ?? null;
  return {
    membership: snapshot.memberships.get(userid) ?? null,
    binding,
    user: binding ? (snapshot.users.get(binding.userId) ?? null) : null,
    deptIds: snapshot.links.get(userid) ?? new Set(),
  };
}

/** One member's state read fresh, inside the caller's transaction (the membership row locked until it ends, on PostgreSQL). */
export async function loadMemberState<M extends CorpMember>(ctx: SyncContext<M>, userid: string, manager: EntityManager): Promise<MemberState> {
  const membership = await ctx.orgModel.findMember(ctx.corpFullName, userid, manager, { forUpdate: true });
  const binding = await ctx.hooks.findBinding(userid, manager);
  const user = binding ? await ctx.app.users.findById(binding.userId, manager) : null;
  const deptIds = new Set(await ctx.orgModel.listMemberDepartments(ctx.corpFullName, userid, manager));
  return { membership, binding, user, deptIds };
}
