/**
 * The binding rules applied to a listed member who has no binding yet, in the order a first login
 * applies them (dingtalk/binding/resolve-binding.ts): autoBind rules first, then `whenNotAssociated`.
 * The rules are those of the login the corp names (or the corp's own `binding`). What differs from a
 * login is only the end of the road: where a login would refuse (`reject`) or ask for a proof
 * (`bindExisting`), sync leaves the member unbound; their membership is still kept, and a later
 * login resolves them as usual.
 *
 * AMBIGUOUS_MATCH (a rule matching several local users) is thrown, as at login: the member fails.
 */
import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { LOGIN_ERRORS, type JitError, type LocalUser } from '../../../runtime';
import { findAutoBindUser } from '../../../dingtalk/binding/auto-bind';
import type { BindingContext } from '../../../dingtalk/binding/binding-context';
import { DDBindingEntity, type DDBindingRow } from '../../../dingtalk/binding/binding-store';
import { provisionUser, usernameBase } from '../../../dingtalk/binding/provision-user';
import { bindingProfile, memberAttribute, newUserFromMember } from '../../../dingtalk/profile';
import type { DDMember } from '../../../dingtalk/client/types';
import type { BindDecision } from '../sync/hooks';
import { insertRows } from '../models/OrgModel/bulk-insert';
import { findUsersByAttribute, fitsUserColumns, insertUsers, matchValue, takenUsernames } from '../sync/users-in-bulk';

/**
 * Decides (and, unless `planOnly`, carries out: a created user, the binding row) how the member gets
 * bound, in the caller's transaction. Users created get `source`.
 */
export async function bindMember(ctx: BindingContext, member: DDMember, manager: EntityManager, planOnly: boolean, source: string): Promise<BindDecision> {
  const matched = ctx.policy.autoBind ? await findAutoBindUser(ctx, member, manager) : null;
  let kind: 'autoBound' | 'created';
  if (matched) kind = 'autoBound';
  else if (ctx.policy.whenNotAssociated === 'createUser') kind = 'created';
  else return { kind: 'unbound' };
  if (planOnly) return matched ? { kind, user: matched } : { kind };
  // The same user a first login would create, marked as provisioned by this corp's sync.
  const user = matched ?? (await provisionUser(ctx, member, manager, source));
  const binding = await ctx.model.insert({ userId: user.id, thirdCorpId: ctx.corpId, thirdUserId: member.userid, ...bindingProfile(member) }, manager);
  return { kind, user, binding };
}

/** A member's outcome in `bindMembers`: a decision, or the error that fails that member alone. */
export type BulkBindOutcome = BindDecision | { error: unknown };

/**
 * `bindMember` for many members at once (a sync's chunk), in the caller's transaction, with a few
 * statements per chunk instead of several per member: each match rule is one query for every member
 * it applies to, the new users, their `user.created` audit rows and all bindings are multi-row
 * INSERTs. The same rules and the same rows as `bindMember`:
 *   - a rule's candidates are the enabled users whose attribute matches, less those already bound in
 *     this corp (in the database, or by an earlier member of the chunk); several: AMBIGUOUS_MATCH for
 *     that member only; none: the next rule;
 *   - `createUser`: a user named after the userid; a name already taken (or wanted twice in the
 *     chunk), or a field that does not fit, goes through `provisionUser` one by one, as at login.
 * Rules are tried rule by rule over the chunk (not member by member), so two members of one chunk
 * racing for one local user are decided in a different, equally arbitrary, order than before.
 * A unique violation (a login bound one of them meanwhile) throws: the caller writes the chunk again
 * member by member.
 */
export async function bindMembers(ctx: BindingContext, members: readonly DDMember[], manager: EntityManager, source: string): Promise<Map<string, BulkBindOutcome>> {
  const outcomes = new Map<string, BulkBindOutcome>();
  const matched = new Map<string, LocalUser>();
  let pending = [...members];
  if (ctx.policy.autoBind) {
    const takenHere = new Set<string>();
    for (const [index, rule] of ctx.policy.match.entries()) {
      if (pending.length === 0) break;
      const valueOf = new Map<string, string>();
      for (const member of pending) {
        const raw = memberAttribute(member, rule.source);
        const value = raw === null ? null : matchValue(rule.target, raw);
        if (value !== null) valueOf.set(member.userid, value);
      }
      if (valueOf.size === 0) continue;
      const found = await findUsersByAttribute(manager, rule.target, valueOf.values());
      const candidateIds = [...found.values()].flat().map((u) => u.id);
      const boundHere = candidateIds.length === 0 ? new Set<string>() : new Set((await manager.find(DDBindingEntity, { select: { userId: true }, where: { thirdCorpId: ctx.corpId, userId: In(candidateIds) } })).map((b) => b.userId));
      const next: DDMember[] = [];
      for (const member of pending) {
        const value = valueOf.get(member.userid);
        const candidates = value === undefined ? [] : (found.get(value) ?? []).filter((u) => !boundHere.has(u.id) && !takenHere.has(u.id));
        if (candidates.length === 1) {
          matched.set(member.userid, candidates[0]);
          takenHere.add(candidates[0].id);
        } else if (candidates.length > 1) {
          outcomes.set(member.userid, {
            error: LOGIN_ERRORS.error(
              'AMBIGUOUS_MATCH',
              `binding.match[${index}] (${rule.source} -> ${rule.target}) matches ${candidates.length} local users; ` +
                'an administrator must bind this DingTalk account (or make the attribute unique)',
              { instance: ctx.instance, rule: index, source: rule.source, target: rule.target, candidates: candidates.length },
            ),
          });
        } else next.push(member);
      }
      pending = next;
    }
  }

  // Members no rule matched: a new user each (createUser), else left unbound.
  const users = new Map<string, LocalUser>(matched);
  if (ctx.policy.whenNotAssociated !== 'createUser') {
    for (const member of pending) outcomes.set(member.userid, { kind: 'unbound' });
  } else if (pending.length > 0) {
    const wanted = pending.map((member) => ({ member, user: newUserFromMember(member, usernameBase(member.userid), source) }));
    const taken = await takenUsernames(manager, wanted.map((w) => w.user.username));
    const plain: typeof wanted = [];
    const oneByOne: DDMember[] = [];
    for (const w of wanted) {
      if (taken.has(w.user.username) || !fitsUserColumns(w.user)) oneByOne.push(w.member);
      else {
        taken.add(w.user.username);
        plain.push(w);
      }
    }
    const created = await insertUsers(manager, plain.map((w) => w.user));
    plain.forEach((w, i) => users.set(w.member.userid, created[i]));
    await ctx.app.audit.recordMany(
      plain.map((w, i) => ({ type: 'user.created', instance: ctx.instance, corpId: ctx.corpId, dingtalkUserId: w.member.userid, unionId: w.member.unionid ?? null, userId: created[i].id, details: { username: created[i].username, source } })),
      manager,
    );
    // After the chunk's own names are in: provisionUser then sees them as taken too.
    for (const member of oneByOne) {
      try {
        users.set(member.userid, await ctx.app.db.transaction((m) => provisionUser(ctx, member, m, source)));
      } catch (err) {
        outcomes.set(member.userid, { error: err });
      }
    }
  }

  // The bindings of every member who got a user, in one go.
  const now = new Date();
  const rows: DDBindingRow[] = [];
  for (const member of members) {
    const user = users.get(member.userid);
    if (!user || outcomes.has(member.userid)) continue;
    rows.push({ id: randomUUID(), userId: user.id, thirdCorpId: ctx.corpId, thirdUserId: member.userid, ...bindingProfile(member), createTime: now, leftAt: null });
  }
  await insertRows(manager, DDBindingEntity, rows);
  for (const binding of rows) {
    outcomes.set(binding.thirdUserId, { kind: matched.has(binding.thirdUserId) ? 'autoBound' : 'created', user: users.get(binding.thirdUserId)!, binding });
  }
  return outcomes;
}
