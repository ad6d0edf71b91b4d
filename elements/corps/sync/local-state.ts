/**
 * What the database holds for one corp, read in a few queries before planning, so the plan compares
 * in memory instead of querying per member (a 10,000-member second run then costs no member query).
 * Apply reads one member's rows again inside that member's transaction (loadMemberState).
 */
import type { EntityManager } from 'typeorm';
import type { LocalUser } from '../../../runtime/auth/types';
import type { DDInnerAuthRow } from '../../auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import type { DDDepartmentRow, DDOrgMemberRow } from '../models/OrgModel/DDDepartmentModel';
import type { MemberState } from './member-diff';
import type { SyncContext } from './sync-context';

export interface LocalSnapshot {
  departments: Map<number, DDDepartmentRow>;
  /** Org records by userid. */
  orgMembers: Map<string, DDOrgMemberRow>;
  /** Department links by userid. */
  memberships: Map<string, Set<number>>;
  /** This corp's bindings by DingTalk userid. */
  bindings: Map<string, DDInnerAuthRow>;
  /** The users bound in this corp, by id. */
  users: Map<string, LocalUser>;
}

export async function loadSnapshot(ctx: SyncContext): Promise<LocalSnapshot> {
  const { corpId } = ctx;
  const [departments, orgMembers, links, bindings, users] = await Promise.all([
    ctx.orgModel.listDepartments(corpId),
    ctx.orgModel.listMembers(corpId),
    ctx.orgModel.listMemberships(corpId),
    ctx.model.list({ corpId }),
    ctx.app.users.list(),
  ]);
  const boundUserIds = new Set(bindings.map((b) => b.userId));
  const memberships = new Map<string, Set<number>>();
  for (const link of links) {
    const set = memberships.get(link.userid) ?? new Set<number>();
    set.add(link.deptId);
    memberships.set(link.userid, set);
  }
  return {
    departments: new Map(departments.map((d) => [d.deptId, d])),
    orgMembers: new Map(orgMembers.map((m) => [m.userid, m])),
    memberships,
    bindings: new Map(bindings.map((b) => [b.thirdUserId, b])),
    users: new Map(users.filter((u) => boundUserIds.has(u.id)).map((u) => [u.id, u])),
  };
}

/** One member's state as the snapshot has it. */
export function snapshotMemberState(snapshot: LocalSnapshot, userid: string): MemberState {
  const binding = snapshot.bindings.get(userid) ?? null;
  return {
    binding,
    user: binding ? (snapshot.users.get(binding.userId) ?? null) : null,
    orgRow: snapshot.orgMembers.get(userid) ?? null,
    deptIds: snapshot.memberships.get(userid) ?? new Set(),
  };
}

/** One member's state read fresh, inside the caller's transaction. */
export async function loadMemberState(ctx: SyncContext, userid: string, manager: EntityManager): Promise<MemberState> {
  const binding = await ctx.model.findByMember(ctx.corpId, userid, manager);
  const user = binding ? await ctx.app.users.findById(binding.userId, manager) : null;
  const orgRow = await ctx.orgModel.findMember(ctx.corpId, userid, manager);
  const deptIds = new Set(await ctx.orgModel.listMemberDepartments(ctx.corpId, userid, manager));
  return { binding, user, orgRow, deptIds };
}
