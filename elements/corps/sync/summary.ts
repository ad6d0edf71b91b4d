/**
 * The result of one sync: counts, the members added / updated / who left, and the failures with their
 * reasons (each list bounded: SUMMARY_LIST_LIMIT below; the counts are whole). The same object is the library's return value, `jit org sync --json`'s output and, as
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
  /**
   * Fetch failures (the run is then incomplete) and member failures, with reasons: the first
   * SUMMARY_LIST_LIMIT of each (fetch failures by place, then member failures by userid).
   */
  failures: SyncFailure[];
  /** Every failure of the run (fetch failures plus `members.failed`), also those `failures` leaves off. */
  failureCount: number;
  /**
   * True when a list (`added`, `updated`, `offline`, `disabled`, `leftKept`, `leftRecorded`,
   * `failures`) holds only its first SUMMARY_LIST_LIMIT entries; the counts in `members` are whole.
   */
  truncated: boolean;
  /** Why leavers were not handled, when they were not. */
  leaversSkipped?: string;
}

/**
 * How many entries each list of the summary keeps (`added`, `updated`, `offline`, `disabled`,
 * `leftKept`, `leftRecorded`, and the fetch and member failures each): the first ones by userid
 * (fetch failures by place). The counts in `members` are always whole; `truncated` says a list was
 * cut. A list that grew with the organisation would make memory grow with it (#12).
 */
export const SUMMARY_LIST_LIMIT = 100;

export interface SummaryHeader {
  corp: string;
  corpId: string | null;
  runId: string | null;
  dryRun: boolean;
  startedAt: Date;
  departments: DepartmentPlan;
  leaversSkipped?: string;
}

/** The n smallest items by `compare`, kept sorted; `dropped` counts what was left off. */
class FirstOf<T> {
  readonly items: T[] = [];
  dropped = 0;
  constructor(
    private readonly limit: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  add(item: T): void {
    const { items } = this;
    if (items.length >= this.limit && this.compare(item, items[items.length - 1]) >= 0) {
      this.dropped++;
      return;
    }
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(items[mid], item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, item);
    if (items.length > this.limit) {
      items.pop();
      this.dropped++;
    }
  }
}

/**
 * Builds the summary as results come (a sync streams its members and holds none of them): counts
 * of everything, lists of the first SUMMARY_LIST_LIMIT. Sorted by userid (department id for fetch
 * failures), so the same run prints the same way, however the fetches and writes interleaved.
 */
export class SummaryCollector {
  private readonly counts = { added: 0, updated: 0, unchanged: 0, unbound: 0, offline: 0, failed: 0 };
  private left = 0;
  private readonly added: FirstOf<SyncSummary['added'][number]>;
  private readonly updated: FirstOf<SyncSummary['updated'][number]>;
  private readonly offline: FirstOf<SyncSummary['offline'][number]>;
  private readonly disabled: FirstOf<LeaverSummary>;
  private readonly leftKept: FirstOf<SyncSummary['leftKept'][number]>;
  private readonly leftRecorded: FirstOf<LeaverSummary>;
  private readonly memberFailures: FirstOf<SyncFailure>;
  private readonly fetchFailures: FirstOf<SyncFailure>;
  private disabledCount = 0;
  private leftKeptCount = 0;
  private fetchFailureCount = 0;

  constructor(limit: number = SUMMARY_LIST_LIMIT) {
    const first = <T extends { userid: string }>() => new FirstOf<T>(limit, byUserid);
    this.added = first();
    this.updated = first();
    this.offline = first();
    this.disabled = first();
    this.leftKept = first();
    this.leftRecorded = first();
    this.memberFailures = new FirstOf<SyncFailure>(limit, (a, b) => byUserid(a as { userid: string }, b as { userid: string }));
    this.fetchFailures = new FirstOf<SyncFailure>(limit, byPlace);
  }

  /** Distinct members listed so far (each is counted once, under one kind). */
  get listed(): number {
    return Object.values(this.counts).reduce((n, c) => n + c, 0);
  }

  /** Fetch failures so far: any makes the run incomplete. */
  get fetchFailed(): number {
    return this.fetchFailureCount;
  }

  member(m: MemberResult): void {
    this.counts[m.kind]++;
    if (m.kind === 'added') this.added.add({ userid: m.userid, name: m.name, binding: m.binding, userId: m.userId, username: m.username });
    else if (m.kind === 'updated') this.updated.add({ userid: m.userid, name: m.name, changes: m.changes });
    else if (m.kind === 'offline') this.offline.add({ userid: m.userid, name: m.name });
    else if (m.kind === 'failed') this.memberFailures.add({ kind: 'member', userid: m.userid, name: m.name, code: m.code, message: m.message });
  }

  leaver(l: Leaver): void {
    this.left++;
    const brief: LeaverSummary = { userid: l.userid, name: l.name, userId: l.userId, username: l.username };
    if (l.action === 'disable') {
      this.disabledCount++;
      this.disabled.add(brief);
    } else if (l.action === 'keep') {
      this.leftKeptCount++;
      this.leftKept.add({ ...brief, reason: l.reason ?? 'unmanaged' });
    } else this.leftRecorded.add(brief);
  }

  fetchFailure(f: SyncFailure): void {
    this.fetchFailureCount++;
    this.fetchFailures.add(f);
  }

  build(header: SummaryHeader): SyncSummary {
    const d = header.departments;
    const lists = [this.added, this.updated, this.offline, this.disabled, this.leftKept, this.leftRecorded, this.memberFailures, this.fetchFailures];
    const summary: SyncSummary = {
      corp: header.corp,
      instance: header.corp,
      corpId: header.corpId,
      runId: header.runId,
      dryRun: header.dryRun,
      complete: this.fetchFailureCount === 0,
      startedAt: header.startedAt.toISOString(),
      durationMs: Date.now() - header.startedAt.getTime(),
      departments: { listed: d.add.length + d.update.length + d.unchanged, added: d.add.length, updated: d.update.length, removed: d.remove.length, unchanged: d.unchanged },
      members: { listed: this.listed, ...this.counts, left: this.left, disabled: this.disabledCount, leftKept: this.leftKeptCount },
      added: this.added.items,
      updated: this.updated.items,
      offline: this.offline.items,
      disabled: this.disabled.items,
      leftKept: this.leftKept.items,
      leftRecorded: this.leftRecorded.items,
      failures: [...this.fetchFailures.items, ...this.memberFailures.items],
      failureCount: this.fetchFailureCount + this.counts.failed,
      truncated: lists.some((l) => l.dropped > 0),
    };
    if (header.leaversSkipped) summary.leaversSkipped = header.leaversSkipped;
    return summary;
  }
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
  return summary.failureCount > 0;
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
  // How many a category has in all (its list may hold only the first SUMMARY_LIST_LIMIT).
  const totals = new Map<unknown[], number>([
    [summary.added, m.added],
    [summary.updated, m.updated],
    [summary.offline, m.offline],
    [summary.disabled, m.disabled],
    [summary.leftKept, m.leftKept],
    [summary.failures, summary.failureCount],
  ]);
  const section = <T>(title: string, items: T[], line: (item: T) => string) => {
    if (items.length === 0) return;
    lines.push(`${title}:`);
    for (const item of items.slice(0, LISTED_PER_CATEGORY)) lines.push(`  ${line(item)}`);
    const total = Math.max(totals.get(items) ?? items.length, items.length);
    if (total > LISTED_PER_CATEGORY) lines.push(`  ... and ${total - LISTED_PER_CATEGORY} more (--json lists ${total > items.length ? `the first ${items.length}` : 'all'})`);
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
