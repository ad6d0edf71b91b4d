/**
 * runOrgSync: one corp's organisation into the app's database, for any corps Type.
 *
 *   read the organisation (the Type's getThirdCorpData) as a stream, and write it chunk by chunk
 *   while reading goes on (write-chunk.ts: one transaction and a few bulk statements per chunk of
 *   SYNC_CHUNK_MEMBERS; each listed member stamped with the run's id)
 *   -> leavers (a complete run only: the active members it did not stamp, found in SQL)
 * The run holds one chunk at a time, never the organisation (#12). A dry run plans instead.
 *
 * Members are bound to local users by the Type's binding rules (a DingTalk corp: the rules of the
 * login it names), keyed as logins key them, so a synced member who logs in later lands on the same
 * user. See docs/org-sync.md for the rules (memberships, leavers, offline members, the failed-fetch
 * guard). Every run is recorded in corp_sync_runs (`jit org status`).
 */
import { randomUUID } from 'node:crypto';
import { JitError } from '../../../runtime';
import { applyDepartments } from './apply';
import { collectCorpData, listedMembers } from './collect';
import { describeError } from './failures';
import type { CorpDepartment, CorpMember } from './hooks';
import { applyLeavers, checkLeavers, planLeavers } from './leavers';
import { loadSnapshot } from './local-state';
import { planDepartments, planMember, type MemberResult } from './plan';
import type { SyncProgress } from './progress';
import { SummaryCollector, type SyncSummary } from './summary';
import type { RunContext, SyncContext } from './sync-context';
import { recordSyncFinished } from './sync-record';
import { acquireSyncLease } from './sync-lease';
import { writeChunk, type ChunkMember } from './write-chunk';

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
      await base.orgModel.finishRun(run.id, summary.complete ? 'complete' : 'incomplete', { departments: summary.departments, members: summary.members, failures: summary.failureCount });
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

/**
 * Members per chunk: one transaction and a few statements each (write-chunk.ts). On SQLite every
 * other writer (a login) waits while a chunk's transaction is open: 200 members hold it for about
 * 100 to 200 ms on a busy machine (500 held it for up to half a second), and the statements a chunk
 * costs besides its rows are few enough that smaller chunks cost no measurable time.
 */
export const SYNC_CHUNK_MEMBERS = 200;

async function syncOnce<M extends CorpMember>(ctx: RunContext<M>, options: RunOptions): Promise<SyncSummary> {
  const startedAt = new Date();
  const progress: SyncProgress = { phase: 'departments', departments: 0, departmentsListed: 0, members: 0, applied: 0, total: 0 };
  const report = (patch: Partial<SyncProgress>) => {
    Object.assign(progress, patch);
    options.onProgress?.({ ...progress });
  };
  report({});
  const collector = new SummaryCollector();
  const { departments, leaversSkipped } = options.dryRun ? await planOnce(ctx, options, collector, report) : await streamOnce(ctx, options, collector, report);
  report({ phase: 'done' });

  const summary = collector.build({ corp: ctx.hooks.fullName, corpId: ctx.hooks.orgId, runId: options.dryRun ? null : ctx.runId, dryRun: options.dryRun, startedAt, departments, leaversSkipped });
  // Failures are in the summary the caller gets (the CLI prints them; the scheduler logs them).
  ctx.app.logger.info(options.dryRun ? 'org sync dry run finished' : 'org sync finished', {
    instance: ctx.hooks.fullName,
    corp: ctx.hooks.fullName,
    corpId: ctx.hooks.orgId,
    complete: summary.complete,
    durationMs: summary.durationMs,
    departments: summary.departments,
    members: summary.members,
    failures: summary.failureCount,
  });
  return summary;
}

type Report = (patch: Partial<SyncProgress>) => void;

/**
 * A real run, streamed: members are written chunk by chunk as the organisation lists them (reading
 * and writing overlap: the fetchers keep reading while a chunk is written), so the run holds one
 * chunk, the department tree and the summary's bounded lists, never the organisation. Departments
 * are written as soon as they are known (the whole tree first, where the Type reads it first).
 * Then, after a complete walk only, departments not found are marked removed and the active members
 * the run did not stamp are ended (leavers.ts).
 */
async function streamOnce<M extends CorpMember>(ctx: RunContext<M>, options: RunOptions, collector: SummaryCollector, report: Report) {
  const { signal } = options;
  const rows = new Map((await ctx.orgModel.listDepartments(ctx.corpFullName)).map((row) => [row.deptId, row]));
  /** Departments found by this run, in the order found; `written`: those already in the database. */
  const departments = new Map<number, CorpDepartment>();
  const written = new Set<number>();
  let walked = false;
  const writeDepartments = async () => {
    const fresh = [...departments.values()].filter((d) => !written.has(d.deptId));
    if (fresh.length === 0) return;
    await applyDepartments(ctx, planDepartments(fresh, rows, false), new Date());
    for (const d of fresh) written.add(d.deptId);
  };
  // Without the whole tree up front (a Type that does not call onWalked), the departments the
  // database already knows count as the organisation's for linking a member's own department list.
  const isDepartment = (deptId: number) => departments.has(deptId) || (!walked && rows.get(deptId)?.removedAt === null);

  // Members of the chunk being gathered, by userid; members this run could not write (few).
  let chunk = new Map<string, ChunkMember<M>>();
  const failed = new Set<string>();
  const flush = async () => {
    if (chunk.size === 0) return;
    signal?.throwIfAborted();
    await writeDepartments();
    const results = await writeChunk(ctx, [...chunk.values()], { isDepartment, partial: collector.fetchFailed > 0, failed, signal });
    chunk = new Map();
    for (const result of results) {
      collector.member(result);
      if (result.kind === 'failed') failed.add(result.userid);
    }
    report({ phase: 'apply', applied: collector.listed, total: Math.max(progress(), collector.listed) });
  };
  let listedPieces = 0;
  const progress = () => collector.listed + chunk.size;

  const data = ctx.hooks.getThirdCorpData({
    pageSize: options.pageSize,
    concurrency: options.concurrency,
    signal,
    onDepartments: (found) => report({ phase: 'departments', departments: found }),
    onWalked: async (tree) => {
      for (const d of tree) if (!departments.has(d.deptId)) departments.set(d.deptId, d);
      walked = true;
      report({ phase: 'members', departments: departments.size });
      await writeDepartments();
    },
  });
  for await (const piece of data) {
    signal?.throwIfAborted();
    const { department } = piece;
    if (!departments.has(department.deptId)) departments.set(department.deptId, department);
    if (piece.failure) collector.fetchFailure(piece.failure);
    for (const member of piece.members) {
      const seen = chunk.get(member.userid);
      if (seen) seen.listedIn.add(department.deptId);
      else chunk.set(member.userid, { member, listedIn: new Set([department.deptId]) });
    }
    listedPieces++;
    report({ phase: 'apply', departments: departments.size, departmentsListed: Math.min(listedPieces, departments.size), members: progress(), total: progress() });
    if (chunk.size >= SYNC_CHUNK_MEMBERS) await flush();
  }
  await flush();
  await writeDepartments();

  // After the whole walk: what a complete run may take away.
  const complete = collector.fetchFailed === 0;
  const plan = planDepartments([...departments.values()], rows, complete);
  const runAt = new Date();
  if (plan.remove.length > 0) await applyDepartments(ctx, { add: [], update: [], unchanged: 0, remove: plan.remove }, runAt);
  report({ phase: 'leavers', total: collector.listed });
  const leaverCheck = checkLeavers(collector.listed, collector.fetchFailed);
  if (!leaverCheck.skipped) await applyLeavers(ctx, failed, runAt, { signal, onLeaver: (leaver) => collector.leaver(leaver) });
  return { departments: plan, leaversSkipped: leaverCheck.skipped };
}

/**
 * A dry run: the organisation read whole, then planned against the database, writing nothing (not
 * even run stamps, so it cannot mark members seen in the database: it holds what it read).
 */
async function planOnce<M extends CorpMember>(ctx: RunContext<M>, options: RunOptions, collector: SummaryCollector, report: Report) {
  const { signal } = options;
  const collected = await collectCorpData(ctx.hooks, { pageSize: options.pageSize, concurrency: options.concurrency, signal }, report);
  const complete = collected.failures.length === 0;
  for (const failure of collected.failures) collector.fetchFailure(failure);
  const listed = listedMembers(collected, complete);
  signal?.throwIfAborted();
  const snapshot = await loadSnapshot(ctx);
  const departments = planDepartments(collected.departments, snapshot.departments, complete);
  const leaverCheck = checkLeavers(listed.length, collected.failures.length);
  report({ phase: 'apply', total: listed.length });
  let applied = 0;
  for (const member of listed) {
    signal?.throwIfAborted();
    collector.member((await planMember(ctx, member, snapshot, true)) as MemberResult);
    report({ applied: ++applied });
  }
  report({ phase: 'leavers' });
  if (!leaverCheck.skipped) {
    for (const leaver of await planLeavers(ctx, snapshot, new Set(listed.map((l) => l.member.userid)), new Date())) collector.leaver(leaver);
  }
  return { departments, leaversSkipped: leaverCheck.skipped };
}

function checkedInteger(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new JitError('BAD_REQUEST', `org sync option ${name} must be an integer from ${min} to ${max} (got ${String(value)})`, { option: name });
  }
  return value;
}
