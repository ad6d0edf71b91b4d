/**
 * One chunk of a streaming sync (up to a few hundred members, as the organisation listed them)
 * written in ONE transaction with a few statements for the whole chunk: the chunk's rows read in
 * bulk (memberships, bindings, users, department links), the members without a binding bound by the
 * Type's `bindMany` (multi-row INSERTs of users, audit rows and bindings), new memberships and links
 * inserted in bulk, and every member of the chunk stamped with the run's id in one UPDATE. Only
 * members whose rows change get statements of their own (a renamed member, a moved one).
 *
 *   - A chunk commits whole or not at all: a run killed or stopped midway leaves whole chunks, never
 *     half a member, and a re-run finds the written members unchanged and completes the rest.
 *   - A chunk that fails as a whole (a login bound one of its members meanwhile: a unique
 *     violation; a row the database refuses) is rolled back and written again member by member
 *     (`writeListedMember`, one savepoint each, the path live events take), so one odd member fails
 *     alone and never blocks every future run at the same place.
 *   - A member already listed by this run (a person in several departments comes once per
 *     department, possibly in another chunk) is recognised by the run's stamp on their membership:
 *     only the departments of this listing are added. The run holds no set of the members it saw.
 *   - A membership changed after the run started (a live event, an operator) is newer than what the
 *     run read: left as it is ('unchanged').
 */
import type { EntityManager } from 'typeorm';
import { transactionRetryingConflicts } from '../../../runtime';
import type { MemberFields } from '../models/OrgModel/OrgModel';
import { writeListedMember } from './apply';
import { describeError } from './failures';
import type { BindDecision, CorpMember, MemberBinding } from './hooks';
import { diffMember, type ListedMember, type MemberState } from './member-diff';
import { memberName, type MemberResult } from './plan';
import type { RunContext } from './sync-context';
import { findUsersByIds } from './users-in-bulk';

/** A member as a chunk holds them: the record, and the departments this run listed them in so far. */
export interface ChunkMember<M extends CorpMember = CorpMember> {
  member: M;
  listedIn: Set<number>;
}

export interface ChunkOptions {
  /** Whether a department id is one of the organisation's (walked): a member's `dept_id_list` is linked only to those. */
  isDepartment: (deptId: number) => boolean;
  /** A fetch failed before this chunk: links are only added, never removed (nothing is taken away on partial knowledge). */
  partial: boolean;
  /** Members this run failed to write already (listed again in another department: not tried twice). */
  failed: ReadonlySet<string>;
  signal?: AbortSignal;
}

/**
 * Writes the chunk; returns a result per member listed for the first time in this run (a member
 * listed before in the run, in another department, gets their links and no second result).
 */
export async function writeChunk<M extends CorpMember>(ctx: RunContext<M>, chunk: readonly ChunkMember<M>[], options: ChunkOptions): Promise<MemberResult[]> {
  if (chunk.length === 0) return [];
  try {
    return await transactionRetryingConflicts(ctx.app.db, (manager) => writeInBulk(ctx, chunk, options, manager));
  } catch (err) {
    // Stopped: the chunk rolled back whole, and the stop surfaces.
    if (options.signal?.aborted) throw err;
    return writeOneByOne(ctx, chunk, options);
  }
}

/** The member as this listing says: their departments (where listed, plus the walked ones of their own record). */
function listedMember<M extends CorpMember>(c: ChunkMember<M>, options: ChunkOptions): ListedMember<M> {
  const deptIds = new Set(c.listedIn);
  for (const deptId of c.member.dept_id_list ?? []) if (options.isDepartment(deptId)) deptIds.add(deptId);
  return { member: c.member, deptIds: [...deptIds].sort((a, b) => a - b), partial: options.partial };
}

async function writeInBulk<M extends CorpMember>(ctx: RunContext<M>, chunk: readonly ChunkMember<M>[], options: ChunkOptions, manager: EntityManager): Promise<MemberResult[]> {
  const { corpFullName, orgModel, hooks, runId } = ctx;
  const userids = chunk.map((c) => c.member.userid);
  const memberships = await orgModel.findMembers(corpFullName, userids, manager, { forUpdate: true });
  const bindings = hooks.findBindings ? await hooks.findBindings(userids, manager) : await bindingsOneByOne(ctx, userids, manager);
  const users = await findUsersByIds(manager, [...bindings.values()].map((b) => b.userId));
  const links = await orgModel.departmentsOf(corpFullName, userids, manager);

  const results: MemberResult[] = [];
  const newMemberships: Array<{ userid: string; fields: MemberFields }> = [];
  const newLinks: Array<{ userid: string; deptId: number }> = [];
  const toBind: Array<{ listed: ListedMember<M>; state: MemberState }> = [];

  /** Writes what the diff says; memberships and links to add are collected for the bulk INSERTs. */
  const write = async (listed: ListedMember<M>, state: MemberState) => {
    const changes = diffMember(hooks, listed, state);
    const { binding, user, membership } = state;
    const { userid } = listed.member;
    if (changes.bindingPatch !== undefined && binding) await hooks.writeBindingChanges(binding, changes.bindingPatch, manager);
    if (changes.restoreBinding && binding) await hooks.setBindingLeft(binding, null, manager);
    if (changes.userPatch && user) await ctx.app.users.update(user.id, changes.userPatch, manager);
    if (changes.memberFields) {
      if (membership) await orgModel.updateMember(membership.id, changes.memberFields, runId, manager);
      else newMemberships.push({ userid, fields: changes.memberFields });
    }
    if (changes.deptIds) {
      const wanted = new Set(changes.deptIds);
      const stale = [...state.deptIds].filter((deptId) => !wanted.has(deptId));
      if (stale.length > 0) await orgModel.setMemberDepartments(corpFullName, userid, changes.deptIds, manager, state.deptIds);
      else for (const deptId of changes.deptIds) if (!state.deptIds.has(deptId)) newLinks.push({ userid, deptId });
    }
    return changes.changes;
  };

  for (const c of chunk) {
    const { userid } = c.member;
    if (options.failed.has(userid)) continue;
    const name = memberName(c.member);
    const membership = memberships.get(userid) ?? null;
    const have = new Set(links.get(userid) ?? []);
    if (membership && membership.lastRunId === runId) {
      // Listed before in this run (another department): this listing's departments only.
      if (membership.status !== 'offline') for (const deptId of c.listedIn) if (!have.has(deptId)) newLinks.push({ userid, deptId });
      continue;
    }
    // Offline is sticky: an operator ended it, and only `jit org restore` undoes that.
    if (membership?.status === 'offline') {
      results.push({ kind: 'offline', userid, name });
      continue;
    }
    if (membership && membership.changedAt > ctx.startedAt) {
      results.push({ kind: 'unchanged', userid, name });
      continue;
    }
    const binding = bindings.get(userid) ?? null;
    const state: MemberState = { membership, binding, user: binding ? (users.get(binding.userId) ?? null) : null, deptIds: have };
    const listed = listedMember(c, options);
    if (!binding) {
      toBind.push({ listed, state });
      continue;
    }
    const changes = await write(listed, state);
    results.push(changes.length === 0 ? { kind: 'unchanged', userid, name } : { kind: 'updated', userid, name, userId: binding.userId, changes });
  }

  if (toBind.length > 0) {
    const decisions = hooks.bindMany
      ? await hooks.bindMany(toBind.map((t) => t.listed.member), manager)
      : await bindOneByOne(ctx, toBind.map((t) => t.listed.member));
    for (const { listed, state } of toBind) {
      const { userid } = listed.member;
      const name = memberName(listed.member);
      const decision = decisions.get(userid) ?? { kind: 'unbound' as const };
      if ('error' in decision) {
        results.push({ kind: 'failed', userid, name, ...describeError(decision.error) });
        continue;
      }
      if (decision.kind !== 'unbound' && decision.binding) {
        const binding: MemberBinding = decision.binding;
        const user = decision.user ?? (await ctx.app.users.findById(binding.userId, manager));
        await write(listed, { ...state, binding, user });
        results.push({ kind: 'added', userid, name, binding: decision.kind, userId: user?.id ?? binding.userId, username: user?.username ?? null });
      } else {
        const changes = await write(listed, state);
        results.push({ kind: 'unbound', userid, name, changes });
      }
    }
  }

  await orgModel.insertMembers(corpFullName, newMemberships, runId, manager);
  await orgModel.addMemberDepartments(corpFullName, newLinks, manager);
  // Every member listed is stamped (those unchanged, offline or failed with a row too): a complete
  // run's leavers are the active members it did not stamp.
  await orgModel.stampMembers(corpFullName, userids, runId, manager);
  return results;
}

/** The chunk again, member by member, each in a savepoint: a member that fails, fails alone. */
async function writeOneByOne<M extends CorpMember>(ctx: RunContext<M>, chunk: readonly ChunkMember<M>[], options: ChunkOptions): Promise<MemberResult[]> {
  const results: MemberResult[] = [];
  const failed: string[] = [];
  await ctx.app.db.transaction(async () => {
    for (const c of chunk) {
      if (options.failed.has(c.member.userid)) continue;
      const listed = listedMember(c, options);
      try {
        const result = await transactionRetryingConflicts(ctx.app.db, async (manager): Promise<MemberResult | null> => {
          const row = await ctx.orgModel.findMember(ctx.corpFullName, c.member.userid, manager, { forUpdate: true });
          if (row && row.lastRunId === ctx.runId) {
            // Listed before in this run (another department): this listing's departments only.
            if (row.status !== 'offline') {
              const have = new Set(await ctx.orgModel.listMemberDepartments(ctx.corpFullName, c.member.userid, manager));
              await ctx.orgModel.setMemberDepartments(ctx.corpFullName, c.member.userid, [...new Set([...have, ...c.listedIn])], manager, have);
            }
            return null;
          }
          const written = await writeListedMember(ctx, listed, manager, { runId: ctx.runId, unlessChangedAfter: ctx.startedAt });
          await ctx.orgModel.stampMembers(ctx.corpFullName, [c.member.userid], ctx.runId, manager);
          return written;
        });
        if (result) results.push(result);
      } catch (err) {
        failed.push(c.member.userid);
        results.push({ kind: 'failed', userid: c.member.userid, name: memberName(c.member), ...describeError(err) });
      }
    }
    // A member that failed is still listed: not a leaver.
    await ctx.orgModel.stampMembers(ctx.corpFullName, failed, ctx.runId);
  });
  return results;
}

async function bindingsOneByOne<M extends CorpMember>(ctx: RunContext<M>, userids: readonly string[], manager: EntityManager): Promise<Map<string, MemberBinding>> {
  const result = new Map<string, MemberBinding>();
  for (const userid of userids) {
    const binding = await ctx.hooks.findBinding(userid, manager);
    if (binding) result.set(userid, binding);
  }
  return result;
}

/** A Type without `bindMany`: its `bind` per member, each in a savepoint (an error fails that member only). */
async function bindOneByOne<M extends CorpMember>(ctx: RunContext<M>, members: readonly M[]): Promise<Map<string, BindDecision | { error: unknown }>> {
  const decisions = new Map<string, BindDecision | { error: unknown }>();
  for (const member of members) {
    try {
      decisions.set(member.userid, await ctx.app.db.transaction((manager) => ctx.hooks.bind(member, manager, false)));
    } catch (err) {
      decisions.set(member.userid, { error: err });
    }
  }
  return decisions;
}

