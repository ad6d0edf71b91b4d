/**
 * The result of one sync: counts, the members added / updated / who left, and every failure with its
 * reason. The same object is the library's return value, `jit org sync --json`'s output and, as
 * lines, the CLI's report. Each listed member is counted exactly once:
 * added + updated + unchanged + unbound + offline + failed = members.listed.
 */
import { describeFailure, type SyncFailure } from './failures';
import type { Leaver } from './leavers';
import type { DepartmentPlan, MemberResult } from './plan';

export interface LeaverSummary {
  userid: string;
  name: string;
  userId: string | null;
  username: string | null;
}

export interface SyncSummary {
  /** fullName of the corp (an implied corp's is its login's). */
  corp: string;
  /** The same as `corp` (the name summaries had before the corps family). */
  instance: string;
  /** The organisation's id (DingTalk's corpId), or null for a Type without one. */
  corpId: string | null;
  /** The run's id (its stamp on the members it listed); null for a dry run. */
  runId: string | null;
  /** True for --dry-run: the counts say what would happen; nothing was written. */
  dryRun: boolean;
  /** True when every department and every page of members was read. */
  complete: boolean;
  startedAt: string;
  durationMs: number;
  departments: { listed: number; added: number; updated: number; removed: number; unchanged: number };
  members: {
    /** Distinct members listed (a person in several departments counts once). */
    listed: number;
    /** Got a binding: a new local user (`created`) or an existing one matched by the binding rules. */
    added: number;
    /** Already bound; their profile, departments, membership or account state changed. */
    updated: number;
    unchanged: number;
    /** Left without a binding by the binding policy (`reject` / `bindExisting`). */
    unbound: number;
    /** Listed, but taken offline by an operator: kept offline (`jit org restore` brings them back). */
    offline: number;
    failed: number;
    /** Memberships ended because the member was not listed (every leaver, whatever became of the account). */
    left: number;
    /** Leavers whose local user was disabled (we provisioned it, and no binding was left). */
    disabled: number;
    /** Leavers whose account was kept: not created by us (`unmanaged`), or still bound elsewhere. */
    leftKept: number;
  };
  added: Array<{ userid: string; name: string; binding: 'created' | 'autoBound'; userId: string | null; username: string | null }>;
  updated: Array<{ userid: string; name: string; changes: string[] }>;
  offline: Array<{ userid: string; name: string }>;
  disabled: LeaverSummary[];
  leftKept: Array<LeaverSummary & { reason: 'unmanaged' | 'boundElsewhere' }>;
  /** Leavers with no account to act on (unbound, or already disabled). */
  leftRecorded: LeaverSummary[];
  /** Fetch failures (the run is then incomplete) and member failures, with reasons. */
  failures: SyncFailure[];
  /** Why leavers were not handled, when they were not. */
  leaversSkipped?: string;
}

export interface SummaryInput {
  corp: string;
  corpId: string | null;
  runId: string | null;
  dryRun: boolean;
  startedAt: Date;
  departments: DepartmentPlan;
  members: MemberResult[];
  /** Leavers handled (or, in a dry run, planned). */
  leavers: Leaver[];
  leaversSkipped?: string;
  fetchFailures: SyncFailure[];
}

export function buildSummary(input: SummaryInput): SyncSummary {
  // Sorted by userid (department id for fetch failures): the same run prints the same way, however
  // the concurrent fetches and writes interleaved.
  const members = [...input.members].sort(byUserid);
  const leavers = [...input.leavers].sort(byUserid);
  const fetchFailures = [...input.fetchFailures].sort(byPlace);
  const count = (kind: MemberResult['kind']) => members.filter((m) => m.kind === kind).length;
  const brief = ({ userid, name, userId, username }: Leaver): LeaverSummary => ({ userid, name, userId, username });
  const disabled = leavers.filter((l) => l.action === 'disable').map(brief);
  const leftKept = leavers.filter((l) => l.action === 'keep').map((l) => ({ ...brief(l), reason: l.reason ?? 'unmanaged' }));
  const leftRecorded = leavers.filter((l) => l.action === 'record').map(brief);
  const memberFailures: SyncFailure[] = members.flatMap((m) => (m.kind === 'failed' ? [{ kind: 'member' as const, userid: m.userid, name: m.name, code: m.code, message: m.message }] : []));

  const summary: SyncSummary = {
    corp: input.corp,
    instance: input.corp,
    corpId: input.corpId,
    runId: input.runId,
    dryRun: input.dryRun,
    complete: fetchFailures.length === 0,
    startedAt: input.startedAt.toISOString(),
    durationMs: Date.now() - input.startedAt.getTime(),
    departments: {
      listed: input.departments.add.length + input.departments.update.length + input.departments.unchanged,
      added: input.departments.add.length,
      updated: input.departments.update.length,
      removed: input.departments.remove.length,
      unchanged: input.departments.unchanged,
    },
    members: {
      listed: members.length,
      added: count('added'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      unbound: count('unbound'),
      offline: count('offline'),
      failed: count('failed'),
      left: leavers.length,
      disabled: disabled.length,
      leftKept: leftKept.length,
    },
    added: members.flatMap((m) => (m.kind === 'added' ? [{ userid: m.userid, name: m.name, binding: m.binding, userId: m.userId, username: m.username }] : [])),
    updated: members.flatMap((m) => (m.kind === 'updated' ? [{ userid: m.userid, name: m.name, changes: m.changes }] : [])),
    offline: members.flatMap((m) => (m.kind === 'offline' ? [{ userid: m.userid, name: m.name }] : [])),
    disabled,
    leftKept,
    leftRecorded,
    failures: [...fetchFailures, ...memberFailures],
  };
  if (input.leaversSkipped) summary.leaversSkipped = input.leaversSkipped;
  return summary;
}

function byUserid(a: { userid: string }, b: { userid: string }): number {
  return a.userid < b.userid ? -1 : a.userid > b.userid ? 1 : 0;
}

function byPlace(a: SyncFailure, b: SyncFailure): number {
  const place = (f: SyncFailure) => ('deptId' in f ? [f.deptId, 'cursor' in f ? f.cursor : -1] : [Infinity, 0]);
  const [da, ca] = place(a);
  const [db, cb] = place(b);
  return da - db || ca - cb;
}

/** True when anything failed (the CLI then exits 1). */
export function hasFailures(summary: SyncSummary): boolean {
  return summary.failures.length > 0;
}

/** How many names a category lists before "... and N more" in the lines for people. */
const LISTED_PER_CATEGORY = 20;

/** The summary as lines for a terminal. */
export function formatSummary(summary: SyncSummary): string[] {
  const d = summary.departments;
  const m = summary.members;
  const would = summary.dryRun ? 'would be ' : '';
  const org = summary.corpId ? ` (corp ${summary.corpId})` : '';
  const lines = [
    `${summary.dryRun ? 'Dry run of org sync' : 'Org sync'} of ${summary.corp}${org}: ${summary.complete ? 'complete' : 'INCOMPLETE'}, ${(summary.durationMs / 1000).toFixed(1)} s`,
    `  departments: ${d.listed} listed; ${would}added ${d.added}, updated ${d.updated}, removed ${d.removed}; unchanged ${d.unchanged}`,
    `  members:     ${m.listed} listed; ${would}added ${m.added}, updated ${m.updated}, disabled ${m.disabled}; unchanged ${m.unchanged}, unbound ${m.unbound}, failed ${m.failed}`,
  ];
  if (m.left > 0 || m.offline > 0) lines.push(`  memberships: ${would}ended ${m.left} (accounts kept ${m.leftKept}); offline ${m.offline}`);
  const section = <T>(title: string, items: T[], line: (item: T) => string) => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const item of items.slice(0, LISTED_PER_CATEGORY)) lines.push(`  ${line(item)}`);
    if (items.length > LISTED_PER_CATEGORY) lines.push(`  ... and ${items.length - LISTED_PER_CATEGORY} more (--json lists all)`);
  };
  const title = (done: string, planned: string) => (summary.dryRun ? planned : done);
  const who = (l: LeaverSummary) => `${l.userid} (${l.name}): user ${l.username ?? l.userId}`;
  section(title('Added', 'Would add'), summary.added, (a) => `${a.userid} (${a.name}): ${a.binding === 'created' ? 'new local user' : `bound to existing user ${a.username ?? a.userId}`}`);
  section(title('Updated', 'Would update'), summary.updated, (u) => `${u.userid} (${u.name}): ${u.changes.join(', ')}`);
  section(title('Disabled (left the organisation)', 'Would disable (left the organisation)'), summary.disabled, who);
  section(
    'Left the organisation, account kept (for an operator to decide)',
    summary.leftKept,
    (l) => `${who(l)} (${l.reason === 'unmanaged' ? 'not created by this app' : 'still bound through another login or corp'})`,
  );
  section('Offline (kept offline; jit org restore brings them back)', summary.offline, (o) => `${o.userid} (${o.name})`);
  section('Failed', summary.failures, describeFailure);
  if (summary.leaversSkipped) lines.push(`Leavers not handled: ${summary.leaversSkipped}`);
  if (summary.dryRun) lines.push('Nothing was written (dry run).');
  return lines;
}
