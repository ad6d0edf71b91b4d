/**
 * syncOrganization: the DingTalk organisation of one DDInnerType instance into the app's database.
 *
 *   walk departments (BFS over listsub) -> list members (paged, deduped by userid)
 *   -> plan (diff against the database) -> apply (one transaction per member) -> leavers
 *
 * Members become local users with DDInnerAuthModel bindings by the instance's binding policy, keyed
 * as at login (corpId + userid), so a synced member who logs in later lands on the same user.
 * See docs/org-sync.md for the rules (who is managed, leavers, the failed-fetch guard).
 */
import type { AppHandle } from '../../../runtime/app-types';
import { JitError } from '../../../runtime/errors';
import { MAX_PAGE_SIZE } from '../../../dingtalk/client/DDInnerClient';
import type { DDInnerType } from '../../auths/loginTypes/DDInnerType/DDInnerType';
import { applyDepartments, applyMembers, type MemberWork } from './apply';
import { fetchMembers } from './fetch-members';
import { applyLeaver, planLeavers, type Leaver } from './leavers';
import { loadSnapshot } from './local-state';
import { listedMembers, planDepartments, planMember, type MemberResult } from './plan';
import type { SyncProgress } from './progress';
import { buildSummary, type SyncSummary } from './summary';
import { syncContextOf } from './sync-context';
import { walkDepartments } from './walk-departments';

export interface SyncOptions {
  /** Plan only: report what would be added, updated and disabled; write nothing. */
  dryRun?: boolean;
  onProgress?: (progress: SyncProgress) => void;
  /** Members per `topapi/v2/user/list` page, 1..100 (default 100). */
  pageSize?: number;
  /** DingTalk calls in flight at once (default 4). Throttles (90018) are absorbed by the client's backoff. */
  concurrency?: number;
  /** Stops the run between steps; what was written stays consistent, and a re-run completes it. */
  signal?: AbortSignal;
}

export const DEFAULT_SYNC_CONCURRENCY = 4;

/** Syncs the organisation of a DDInnerType instance; the same as `auth.syncOrganization(options)`. */
export function syncOrganization(auth: DDInnerType, options: SyncOptions = {}): Promise<SyncSummary> {
  return auth.syncOrganization(options);
}

/** The sync itself, for an instance and its app (DDInnerType.syncOrganization calls it); see the module comment. */
export async function runOrgSync(auth: DDInnerType, app: AppHandle, options: SyncOptions = {}): Promise<SyncSummary> {
  const pageSize = checkedInteger(options.pageSize ?? MAX_PAGE_SIZE, 'pageSize', 1, MAX_PAGE_SIZE);
  const concurrency = checkedInteger(options.concurrency ?? DEFAULT_SYNC_CONCURRENCY, 'concurrency', 1, 64);
  const dryRun = options.dryRun === true;
  const { signal } = options;
  const ctx = syncContextOf(auth, app);
  const startedAt = new Date();

  const progress: SyncProgress = { phase: 'departments', departments: 0, departmentsListed: 0, members: 0, applied: 0, total: 0 };
  const report = (patch: Partial<SyncProgress>) => {
    Object.assign(progress, patch);
    options.onProgress?.({ ...progress });
  };

  // Read DingTalk.
  report({});
  const walk = await walkDepartments(ctx.client, { concurrency, signal, onProgress: (departments) => report({ departments }) });
  report({ phase: 'members' });
  const deptIds = walk.departments.map((d) => d.deptId);
  const fetched = await fetchMembers(ctx.client, deptIds, {
    pageSize,
    concurrency,
    signal,
    onProgress: ({ departmentsDone, members }) => report({ departmentsListed: departmentsDone, members }),
  });
  const fetchFailures = [...walk.failures, ...fetched.failures];
  const complete = fetchFailures.length === 0;
  const listed = listedMembers(fetched, new Set(deptIds), complete);

  // Compare with the database.
  signal?.throwIfAborted();
  const snapshot = await loadSnapshot(ctx);
  const departmentPlan = planDepartments(walk.departments, snapshot, complete);
  const leaverPlan = planLeavers(ctx, snapshot, new Set(listed.map((l) => l.member.userid)), fetchFailures.length);
  report({ phase: 'apply', total: listed.length });

  // Results are kept in the order DingTalk listed the members, however the writes interleave.
  const members: MemberResult[] = new Array(listed.length);
  let applied = 0;
  const done = (index: number, result: MemberResult) => {
    members[index] = result;
    report({ applied: ++applied });
  };
  const work: MemberWork[] = [];
  for (const [index, member] of listed.entries()) {
    signal?.throwIfAborted();
    const planned = await planMember(ctx, member, snapshot, dryRun);
    if (dryRun) done(index, planned as MemberResult); // a dry run's plan is its result
    else work.push({ listed: member, planned });
  }

  // Write (a real run).
  const runAt = new Date();
  if (!dryRun) {
    await applyDepartments(ctx, departmentPlan, runAt);
    await applyMembers(ctx, work, done, { workers: ctx.app.db.kind === 'postgres' ? concurrency : 1, signal });
  }
  report({ phase: 'leavers' });
  const leavers: Leaver[] = [];
  for (const planned of leaverPlan.leavers) {
    signal?.throwIfAborted();
    const leaver = dryRun ? planned : await applyLeaver(ctx, planned, runAt);
    if (leaver) leavers.push(leaver);
  }
  report({ phase: 'done' });

  const summary = buildSummary({ instance: ctx.instance, corpId: ctx.corpId, dryRun, startedAt, departments: departmentPlan, members, leavers, leaverPlan, fetchFailures });
  // Failures are in the summary the caller gets (the CLI prints them; the scheduler logs them).
  ctx.app.logger.info(dryRun ? 'org sync dry run finished' : 'org sync finished', {
    instance: ctx.instance,
    corpId: ctx.corpId,
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
