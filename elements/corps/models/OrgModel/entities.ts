/**
 * The tables of the corps family, as TypeORM entity schemas (the migrations beside this file own the
 * schema itself: constraints and indexes). Every row is keyed by the corp's fullName
 * (`corpFullName`, JitAi's name), so any corps Type, DingTalk's or an app's own, keeps its
 * organisation here:
 *   corp_departments         one row per department (corpFullName + deptId)
 *   corp_members             one row per member (corpFullName + userid): the membership, its state
 *                            (active, left, offline), the local user it is bound to, and two stamps
 *   corp_department_members  which department each member is in
 *   corp_sync_runs           one row per sync run: when, how it ended, its counts
 *   corp_events              one row per live event a corp applied (or decided not to): the record
 *                            that makes each event count once, however often it is delivered
 *   corp_event_watchers      one row per running event watcher (a host's Stream connection of a corp):
 *                            what `jit org status` shows of a process it does not run in
 *
 * The stamps: `lastRunId` is the last sync run that listed the member (a complete run's leavers are
 * the active members it did not stamp); `changedAt` is the last time anything about the membership
 * changed (a live event newer than a sync's snapshot is not undone by it).
 */
import { EntitySchema, type EntitySchemaColumnOptions } from 'typeorm';
import { ID_LENGTH, timestampColumn } from '../../../../runtime';

/** active: a member; left: a sync found them gone; offline: an operator ended it (sticky, `jit org restore`). */
export type MemberStatus = 'active' | 'left' | 'offline';

export interface CorpDepartmentRow {
  id: string;
  corpFullName: string;
  /** The department's id in the organisation (DingTalk's dept_id; the root is 1). */
  deptId: number;
  /** Empty for a root whose own record was never read. */
  name: string;
  /** null for the root. */
  parentId: number | null;
  /** The organisation's order when it sends one, else the position among its siblings (0-based). */
  order: number | null;
  /** When a complete sync no longer found the department; null while it exists. */
  removedAt: Date | null;
  createTime: Date;
  updateTime: Date;
}

export interface CorpMemberRow {
  id: string;
  corpFullName: string;
  /** The member's id in the organisation (DingTalk's userid). */
  userid: string;
  unionId: string | null;
  name: string;
  status: MemberStatus;
  /**
   * The local user the member is bound to; null when unbound (by policy, or not bound yet). (Not
   * `userId`: SQLite's column names ignore case, and `userid` is the member's id.)
   */
  localUserId: string | null;
  /** The binding row the member is bound through (for DingTalk, dd_inner_auth.id); null when the Type keeps none. */
  bindingId: string | null;
  /** When the membership ended (left or offline); null while active. */
  leftAt: Date | null;
  /** The local user this membership's end disabled, so a return enables them again (never one an administrator disabled). */
  disabledUserId: string | null;
  /** The last sync run that listed the member. */
  lastRunId: string | null;
  /** When anything about the membership last changed. */
  changedAt: Date;
  createTime: Date;
  updateTime: Date;
}

export interface CorpDepartmentMemberRow {
  id: string;
  corpFullName: string;
  deptId: number;
  userid: string;
}

export type SyncRunOutcome = 'running' | 'complete' | 'incomplete' | 'failed' | 'interrupted';

export interface CorpSyncRunRow {
  id: string;
  corpFullName: string;
  dryRun: boolean;
  startedAt: Date;
  finishedAt: Date | null;
  /** running until it ends; complete (every fetch succeeded), incomplete, failed (an error), interrupted. */
  outcome: SyncRunOutcome;
  /** The run's counts as JSON (departments, members, leavers, failures); null while running. */
  counts: string | null;
  /** Why a run failed or was interrupted. */
  message: string | null;
}

/**
 * Department ids are Longs: a `bigint` column, which PostgreSQL hands back as a string. Every dept id
 * fits a JS number, so read them back as numbers on both databases.
 */
function deptIdColumn(options: { nullable?: boolean } = {}): EntitySchemaColumnOptions {
  return {
    type: 'bigint',
    nullable: options.nullable ?? false,
    transformer: { to: (value: unknown) => value, from: (value: unknown) => (value === null || value === undefined ? value : Number(value)) },
  };
}

const idColumn: EntitySchemaColumnOptions = { type: 'varchar', length: ID_LENGTH, primary: true };
const corpColumn: EntitySchemaColumnOptions = { type: 'varchar', length: 255 };
const useridColumn: EntitySchemaColumnOptions = { type: 'varchar', length: 64 };
const userIdColumn: EntitySchemaColumnOptions = { type: 'varchar', length: ID_LENGTH, nullable: true };

export const CorpDepartmentEntity = new EntitySchema<CorpDepartmentRow>({
  name: 'CorpDepartment',
  tableName: 'corp_departments',
  columns: {
    id: idColumn,
    corpFullName: corpColumn,
    deptId: deptIdColumn(),
    name: { type: 'varchar', length: 255 },
    parentId: deptIdColumn({ nullable: true }),
    order: { type: 'integer', nullable: true },
    removedAt: timestampColumn({ nullable: true }),
    createTime: timestampColumn(),
    updateTime: timestampColumn(),
  },
});

export const CorpMemberEntity = new EntitySchema<CorpMemberRow>({
  name: 'CorpMember',
  tableName: 'corp_members',
  columns: {
    id: idColumn,
    corpFullName: corpColumn,
    userid: useridColumn,
    unionId: { type: 'varchar', length: 64, nullable: true },
    name: { type: 'varchar', length: 255 },
    status: { type: 'varchar', length: 16 },
    localUserId: userIdColumn,
    bindingId: userIdColumn,
    leftAt: timestampColumn({ nullable: true }),
    disabledUserId: userIdColumn,
    lastRunId: userIdColumn,
    changedAt: timestampColumn(),
    createTime: timestampColumn(),
    updateTime: timestampColumn(),
  },
});

export const CorpDepartmentMemberEntity = new EntitySchema<CorpDepartmentMemberRow>({
  name: 'CorpDepartmentMember',
  tableName: 'corp_department_members',
  columns: {
    id: idColumn,
    corpFullName: corpColumn,
    deptId: deptIdColumn(),
    userid: useridColumn,
  },
});

export const CorpSyncRunEntity = new EntitySchema<CorpSyncRunRow>({
  name: 'CorpSyncRun',
  tableName: 'corp_sync_runs',
  columns: {
    id: idColumn,
    corpFullName: corpColumn,
    dryRun: { type: Boolean },
    startedAt: timestampColumn(),
    finishedAt: timestampColumn({ nullable: true }),
    outcome: { type: 'varchar', length: 16 },
    counts: { type: 'text', nullable: true },
    message: { type: 'text', nullable: true },
  },
});

/** One live event of a corp, recorded in the transaction that applied it (events/apply-live-change.ts). */
export interface CorpEventRow {
  id: string;
  corpFullName: string;
  /** The source's id of the event (DingTalk's eventId): unique per corp. */
  eventId: string;
  eventType: string;
  /** When the change happened at the source (DingTalk's eventBornTime); null when it did not say. */
  bornAt: Date | null;
  /** When it was applied (or found not applicable); rows older than the retention are pruned. */
  appliedAt: Date;
  /** `applied`, or why it was not: `STILL_MEMBER`, or the code of a permanent failure (`AMBIGUOUS_MATCH`, ...). */
  outcome: string;
  /** For people, when the outcome is not `applied`: what was not done and why. */
  message: string | null;
}

/** One event watcher (a process holding a corp's Stream connection), as it last reported itself. */
export interface CorpEventWatcherRow {
  /** A random id per watcher run. */
  id: string;
  corpFullName: string;
  /** hostname:pid, for people. */
  host: string;
  startedAt: Date;
  connected: boolean;
  connectedSince: Date | null;
  /** Set while the watcher has no connection after having had one. */
  downSince: Date | null;
  lastEventAt: Date | null;
  /** Events this watcher applied, skipped as duplicates, acked without applying, and left for a redelivery (LATER). */
  applied: number;
  duplicates: number;
  notApplied: number;
  retried: number;
  reconnects: number;
  /** The last catch-up sync this watcher ran (at start, or after a long gap): when, why, how it ended. */
  lastCatchUpAt: Date | null;
  lastCatchUpReason: string | null;
  lastCatchUpOutcome: string | null;
  lastError: string | null;
  /** Set when the watcher stopped cleanly; a row not updated for a while without it is a process that died. */
  stoppedAt: Date | null;
  updatedAt: Date;
}

const countColumn: EntitySchemaColumnOptions = { type: 'integer', default: 0 };

export const CorpEventEntity = new EntitySchema<CorpEventRow>({
  name: 'CorpEvent',
  tableName: 'corp_events',
  columns: {
    id: idColumn,
    corpFullName: corpColumn,
    eventId: { type: 'varchar', length: 128 },
    eventType: { type: 'varchar', length: 64 },
    bornAt: timestampColumn({ nullable: true }),
    appliedAt: timestampColumn(),
    outcome: { type: 'varchar', length: 64 },
    message: { type: 'text', nullable: true },
  },
});

export const CorpEventWatcherEntity = new EntitySchema<CorpEventWatcherRow>({
  name: 'CorpEventWatcher',
  tableName: 'corp_event_watchers',
  columns: {
    id: idColumn,
    corpFullName: corpColumn,
    host: { type: 'varchar', length: 255 },
    startedAt: timestampColumn(),
    connected: { type: Boolean },
    connectedSince: timestampColumn({ nullable: true }),
    downSince: timestampColumn({ nullable: true }),
    lastEventAt: timestampColumn({ nullable: true }),
    applied: countColumn,
    duplicates: countColumn,
    notApplied: countColumn,
    retried: countColumn,
    reconnects: countColumn,
    lastCatchUpAt: timestampColumn({ nullable: true }),
    lastCatchUpReason: { type: 'varchar', length: 255, nullable: true },
    lastCatchUpOutcome: { type: 'varchar', length: 64, nullable: true },
    lastError: { type: 'text', nullable: true },
    stoppedAt: timestampColumn({ nullable: true }),
    updatedAt: timestampColumn(),
  },
});
