/**
 * runOrgSync: one corp's organisation into the app's database, for any corps Type.
 *
 *   read the organisation (the Type's getThirdCorpData) -> plan (diff against the database)
 *   -> apply (one transaction per member; each listed member stamped with the run's id)
 *   -> leavers (a complete run only: the active members it did not stamp)
 *
 * Members are bound to local users by the Type's binding rules (a DingTalk corp: the rules of the
 * login it names), keyed as logins key them, so a synced member who logs in later lands on the same
 * user. See docs/org-sync.md for the rules (memberships, leavers, offline members, the failed-fetch
 * guard). Every run is recorded in corp_sync_runs (`jit org status`).
 */
import { randomUUID } from 'node:crypto';
import { JitError } from '../../../runtime';
import { applyDepartments, applyMembers, type MemberWork } from './apply';
import { collectCorpData, listedMembers } from './collect';
import { describeError } from './failures';
import type { CorpMember } from './hooks';
import { applyLeavers, checkLeavers, planLeavers, type Leaver } from './leavers';
import { loadSnapshot } from './local-state';
import { planDepartments, planMember, type MemberResult } from './plan';
import type { SyncProgress } from './progress';
import { buildSummary, type SyncSummary } from './summary';
import type { RunContext, SyncContext } from './sync-context';
import { recordSyncFinished } from './sync-record';
import { acquireSyncLease } from './sync-lease';

export interface SyncOptions {
  /** Plan only: report what would be added, updated and ended; write nothing. */
  dryRun?: boolean;
  onProgress?: (progress: SyncProgress) => void;
  /** Members per page where the organisation pages them, 1..100 (default 100). */
  pageSize?: number;
  /** Calls to the organisation in flight at once (default 4). */
  concurrency?: number;
  /** Stops the run between steps; what was written stays consistent, and a re-run completes it. */
  signal?: AbortSignal;
  /** Who runs it, for the lease's "held by" message (default "a sync"). */
  holder?: string;
}

export const DEFAULT_SYNC_CONCURRENCY = 4;
export const MAX_SYNC_PAGE_SIZE = 100;

export async function runOrgSync<M extends CorpMember>(base: SyncContext<M>, options: SyncOptions = {}): Promise<SyncSummary> {
  const pageSize = checkedInteger(options.pageSize ?? MAX_SYNC_PAGE_SIZE, 'pageSize', 1, MAX_SYNC_PAGE_SIZE);
  const concurrency = checkedInteger(options.concurrency ?? DEFAULT_SYNC_CONCURRENCY, 'concurrency', 1, 64);
  const dryRun = options.dryRun === true;
  const { signal } = options;
  const runOptions: RunOptions = { dryRun, pageSize, concurrency, signal, onProgress: options.onProgress };
  const lease = await acquireSyncLease(base, options.holder ?? (dryRun ? 'a dry run' : 'a sync'));
  try {
    // A dry run writes nothing, not even its own record.
    if (dryRun) return await syncOnce({ ...base, runId: randomUUID(), startedAt: new Date() }, runOptions);
    const run = await base.orgModel.startRun(base.corpFullName, false);
    try {
      const summary = await syncOnce({ ...base, runId: run.id, startedAt: run.startedAt }, runOptions);
      await base.orgModel.finishRun(run.id, summary.complete ? 'complete' : 'incomplete', { departments: summary.departments, members: summary.members, failures: summary.failures.length });
      await recordSyncFinished(base.app, summary);
      return summary;
    } catch (err) {
      const interrupted = signal?.aborted === true;
      await base.orgModel.finishRun(run.id, interrupted ? 'interrupted' : 'failed', undefined, describeError(err).message).catch(() => undefined);
      throw err;
    }
  } finally {
    await lease.release();
  }
}

interface RunOptions {
  dryRun: boolean;
  pageSize: number;
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

async function syncOnce<M extends CorpMember>(ctx: RunContext<M>, options: RunOptions): Promise<SyncSummary> {
  const { dryRun, signal } = options;
  const startedAt = new Date();
  const progress: SyncProgress = { phase: 'departments', departments: 0, departmentsListed: 0, members: 0, applied: 0, total: 0 };
  const report = (patch: Partial<SyncProgress>) => {
    Object.assign(progress, patch);
    options.onProgress?.({ ...progress });
  };

  // Read the organisation.
  report({});
  const collected = await collectCorpData(ctx.hooks, { pageSize: options.pageSize, concurrency: options.concurrency, signal }, report);
  const complete = collected.failures.length === 0;
  const listed = listedMembers(collected, complete);

  // Compare with the database.
  signal?.throwIfAborted();
  const snapshot = await loadSnapshot(ctx);
  const departmentPlan = planDepartments(collected.departments, snapshot, complete);
  const leaverCheck = checkLeavers(listed.length, collected.failures.length);
  report({ phase: 'apply', total: listed.length });

  // Results are kept in the order the organisation listed the members, however the writes interleave.
  const members: MemberResult[] = new Array(listed.length);
  let applied = 0;
  const done = (index: number, result: MemberResult) => {
    members[index] = result;
    report({ applied: ++applied });
  };
  const work: MemberWork<M>[] = [];
  for (const [index, member] of listed.entries()) {
    signal?.throwIfAborted();
    const planned = await planMember(ctx, member, snapshot, dryRun);
    if (dryRun) done(index, planned as MemberResult); // a dry run's plan is its result
    else work.push({ listed: member, planned });
  }

  // Write (a real run), stamp every member listed, then end the memberships of those not stamped.
  const runAt = new Date();
  let leavers: Leaver[] = [];
  if (!dryRun) {
    await applyDepartments(ctx, departmentPlan, runAt);
    await applyMembers(ctx, work, done, { workers: ctx.app.db.kind === 'postgres' ? options.concurrency : 1, signal });
    await ctx.orgModel.stampMembers(ctx.corpFullName, listed.map((l) => l.member.userid), ctx.runId);
  }
  report({ phase: 'leavers' });
  if (!leaverCheck.skipped) {
    leavers = dryRun
      ? await planLeavers(ctx, snapshot, new Set(listed.map((l) => l.member.userid)), runAt)
      : await applyLeavers(ctx, new Set(members.filter((m) => m.kind === 'failed').map((m) => m.userid)), runAt, { signal });
  }
  report({ phase: 'done' });

  const summary = buildSummary({
    corp: ctx.hooks.fullName,
    corpId: ctx.hooks.orgId,
    runId: dryRun ? null : ctx.runId,
    dryRun,
    startedAt,
    departments: departmentPlan,
    members,
    leavers,
    leaversSkipped: leaverCheck.skipped,
    fetchFailures: collected.failures,
  });
  // Failures are in the summary the caller gets (the CLI prints them; the scheduler logs them).
  ctx.app.logger.info(dryRun ? 'org sync dry run finished' : 'org sync finished', {
    instance: ctx.hooks.fullName,
    corp: ctx.hooks.fullName,
    corpId: ctx.hooks.orgId,
    complete: summary.complete,
    durationMs: summary.durationMs,
    departments: summary.departments,
    members: summary.members,
    failures: summary.failures.length,
  });
  return summary;
}

function checkedInteger(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new JitError('BAD_REQUEST', `org sync option ${name} must be an integer from ${min} to ${max} (got ${String(value)})`, { option: name });
  }
  return value;
}
