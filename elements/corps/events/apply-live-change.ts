/**
 * Applies one live change to a corp, once. Everything happens in one transaction: the event's row in
 * corp_events is claimed first (its unique key, corp + eventId, makes a second delivery a duplicate,
 * on this host or any other), then the departments and members are written, the audit rows added and
 * the event's outcome set. A crash anywhere in between leaves nothing: not half a member, not the
 * event's row; the source delivers the event again and it is applied then.
 *
 * The writes are those of a sync: a member listed now goes through the sync's own
 * `writeListedMember` (binding policy, managed users only, profile refresh, membership rules, offline
 * is sticky), a member gone through `endMembership` (the binding marked left, the sessions through it
 * revoked, the user disabled only when we provisioned it and no binding is left). A member that can
 * never be written (AMBIGUOUS_MATCH, BINDING_REJECTED) is rolled back alone (a savepoint) and the
 * event's outcome is its code; any other error rolls the whole event back, for a redelivery.
 */
import type { EntityManager } from 'typeorm';
import { isJitError, transactionRetryingConflicts, type AuditEventInput } from '../../../runtime';
import { endMembership } from '../membership/end-membership';
import { EVENT_APPLIED } from '../models/OrgModel/event-store';
import { writeListedMember } from '../sync/apply';
import { describeError } from '../sync/failures';
import type { CorpDepartment, CorpMember } from '../sync/hooks';
import { departmentChanges } from '../sync/plan';
import type { SyncContext } from '../sync/sync-context';
import { PERMANENT_LIVE_CHANGE_CODES, STILL_MEMBER, type LiveChange, type LiveChangeOutcome, type LiveMemberFact, type LiveMemberResult } from './live-change';

export async function applyLiveChange<M extends CorpMember>(ctx: SyncContext<M>, change: LiveChange<M>): Promise<LiveChangeOutcome> {
  const events = ctx.orgModel.events;
  return transactionRetryingConflicts(ctx.app.db, async (manager) => {
    const claimed = await events.claim({ corpFullName: ctx.corpFullName, eventId: change.eventId, eventType: change.eventType, bornAt: change.bornAt }, manager);
    if (!claimed) return { status: 'duplicate' as const };
    const at = new Date();

    const departments = await writeDepartments(ctx, change, at, manager);
    const members: LiveMemberResult[] = [];
    // Each member is a savepoint of this transaction (the nested transactions join it).
    for (const fact of change.members ?? []) members.push(await writeMemberFact(ctx, fact, at, manager));

    const failed = members.filter((m): m is Extract<LiveMemberResult, { result: 'failed' }> => m.result === 'failed');
    const still = members.filter((m) => m.result === 'stillMember');
    const outcome = failed.length > 0 ? failed[0].code : still.length > 0 ? STILL_MEMBER : EVENT_APPLIED;
    const message =
      failed.length > 0
        ? failed.map((f) => `${f.userid}: ${f.code} ${f.message}`).join('; ')
        : still.length > 0
          ? `${still.map((s) => s.userid).join(', ')} left according to the event, but DingTalk still lists them: nobody was disabled`
          : null;
    await events.finish(claimed.id, outcome, message, manager);
    await recordAudit(ctx, change, outcome, members, manager);
    return { status: outcome === EVENT_APPLIED ? 'applied' : 'notApplied', outcome, message, members, departments };
  });
}

/**
 * Records an event that cannot be applied at all (its details could not be read for good, e.g.
 * DINGTALK_PERMISSION_DENIED): its row with the code, and the audit row. A duplicate when the corp
 * has the event already.
 */
export async function recordNotApplied<M extends CorpMember>(
  ctx: SyncContext<M>,
  event: Pick<LiveChange, 'eventId' | 'eventType' | 'bornAt'>,
  code: string,
  message: string,
): Promise<'recorded' | 'duplicate'> {
  return transactionRetryingConflicts(ctx.app.db, async (manager) => {
    const claimed = await ctx.orgModel.events.claim({ corpFullName: ctx.corpFullName, eventId: event.eventId, eventType: event.eventType, bornAt: event.bornAt }, manager);
    if (!claimed) return 'duplicate' as const;
    await ctx.orgModel.events.finish(claimed.id, code, message, manager);
    await ctx.app.audit.record(
      { type: 'event.applied', outcome: code, instance: ctx.hooks.fullName, corpId: ctx.hooks.orgId, details: { eventId: event.eventId, eventType: event.eventType, bornAt: event.bornAt, message } },
      manager,
    );
    return 'recorded' as const;
  });
}

async function writeDepartments<M extends CorpMember>(ctx: SyncContext<M>, change: LiveChange<M>, at: Date, manager: EntityManager): Promise<{ upserted: number[]; removed: number[]; missing: number[] }> {
  const upserted: number[] = [];
  for (const department of change.departments ?? []) {
    const row = await ctx.orgModel.findDepartment(ctx.corpFullName, department.deptId, manager);
    // DingTalk's department/get may omit `order`: a known department keeps the one it has.
    const wanted: CorpDepartment = { ...department, order: department.order ?? row?.order ?? null };
    if (!row) await ctx.orgModel.insertDepartment(ctx.corpFullName, wanted.deptId, { name: wanted.name, parentId: wanted.parentId, order: wanted.order }, manager);
    else if (departmentChanges(row, wanted).length > 0) await ctx.orgModel.updateDepartment(row.id, { name: wanted.name, parentId: wanted.parentId, order: wanted.order }, manager);
    else continue;
    upserted.push(wanted.deptId);
  }
  const removed: number[] = [];
  for (const deptId of change.removedDepartments ?? []) {
    const row = await ctx.orgModel.findDepartment(ctx.corpFullName, deptId, manager);
    if (row && row.removedAt == null) removed.push(deptId);
  }
  await ctx.orgModel.markDepartmentsRemoved(ctx.corpFullName, removed, at, manager);
  return { upserted, removed, missing: [...(change.missingDepartments ?? [])] };
}

async function writeMemberFact<M extends CorpMember>(ctx: SyncContext<M>, fact: LiveMemberFact<M>, at: Date, manager: EntityManager): Promise<LiveMemberResult> {
  const { userid } = fact;
  try {
    switch (fact.kind) {
      case 'stillMember':
      case 'notFound':
        return { userid, result: fact.kind };
      case 'gone': {
        // A savepoint of this event's transaction (endMembership opens it).
        const ended = await endMembership(ctx, userid, 'left', at, { recordMembershipEnded: false });
        if (!ended) return { userid, result: 'notMember' };
        return { userid, result: 'ended', action: ended.action, ...(ended.reason ? { reason: ended.reason } : {}), userId: ended.userId, sessionsRevoked: ended.sessionsRevoked };
      }
      case 'present': {
        const deptIds = await knownDepartments(ctx, fact.member.dept_id_list ?? [], manager);
        const written = await transactionRetryingConflicts(ctx.app.db, (m) => writeListedMember(ctx, { member: fact.member, deptIds, partial: false }, m, { runId: null }));
        if (written.kind === 'failed') return { userid, result: 'failed', code: written.code, message: written.message };
        return { userid, result: written.kind, ...('changes' in written ? { changes: written.changes } : {}) };
      }
    }
  } catch (err) {
    // Rolled back to this member's savepoint; a permanent failure is this member's outcome, anything else fails the event.
    if (isJitError(err) && PERMANENT_LIVE_CHANGE_CODES.includes(err.code)) return { userid, result: 'failed', ...describeError(err) };
    throw err;
  }
}

/** The member's departments as their own record lists them, those the corp has (as a sync links only departments it walked). */
async function knownDepartments<M extends CorpMember>(ctx: SyncContext<M>, deptIds: readonly number[], manager: EntityManager): Promise<number[]> {
  const known: number[] = [];
  for (const deptId of new Set(deptIds)) {
    const row = await ctx.orgModel.findDepartment(ctx.corpFullName, deptId, manager);
    if (row && row.removedAt == null) known.push(deptId);
  }
  return known.sort((a, b) => a - b);
}

async function recordAudit<M extends CorpMember>(ctx: SyncContext<M>, change: LiveChange<M>, outcome: string, members: LiveMemberResult[], manager: EntityManager): Promise<void> {
  const where = { instance: ctx.hooks.fullName, corpId: ctx.hooks.orgId };
  const single = members.length === 1 ? members[0] : null;
  const rows: AuditEventInput[] = [
    {
      type: 'event.applied',
      outcome: outcome === EVENT_APPLIED ? 'ok' : outcome,
      ...where,
      memberId: single?.userid ?? null,
      userId: single && 'userId' in single ? single.userId : null,
      details: { eventId: change.eventId, eventType: change.eventType, bornAt: change.bornAt, members },
    },
  ];
  for (const member of members) {
    if (member.result !== 'ended') continue;
    rows.push({
      type: 'membership.ended',
      ...where,
      memberId: member.userid,
      userId: member.userId,
      details: { status: 'left', action: member.action, reason: member.reason ?? null, sessionsRevoked: member.sessionsRevoked, eventId: change.eventId },
    });
  }
  await ctx.app.audit.recordMany(rows, manager);
}
