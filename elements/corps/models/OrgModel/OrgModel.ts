/**
 * OrgModel (`corps.models.OrgModel`): the organisations of the app's corps, keyed by the corp's
 * fullName: departments, memberships, department links and sync runs (see entities.ts). Every corps
 * Type uses it; a corp's sync and its membership rules are the writers; anyone may read ("who is in
 * department 42", "which members left").
 *
 * Every method takes an optional EntityManager: pass the one of your transaction to make the call
 * part of it (sync writes each member in one transaction). Without one, the call runs through
 * `db.run`, which on SQLite waits its turn instead of landing inside someone else's transaction.
 */
import { randomUUID } from 'node:crypto';
import { In, Not, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { ModelContribution } from '../../../../runtime';
import {
  CorpDepartmentEntity,
  CorpDepartmentMemberEntity,
  CorpEventEntity,
  CorpEventWatcherEntity,
  CorpMemberEntity,
  CorpSyncRunEntity,
  type CorpDepartmentMemberRow,
  type CorpDepartmentRow,
  type CorpMemberRow,
  type CorpSyncRunRow,
  type MemberStatus,
  type SyncRunOutcome,
} from './entities';
import { NormalModel } from '../../../models/NormalType/NormalModel';
import { DDDepartments1795320858556 } from './migrations/DDDepartments1795320858556';
import { CorpOrg1797200001000 } from './migrations/CorpOrg1797200001000';
import { CorpEvents1798400000000 } from './migrations/CorpEvents1798400000000';
import { CorpEventStore } from './event-store';
import { CorpWatcherStore } from './watcher-store';
import { insertRows } from './bulk-insert';

export type { CorpDepartmentRow, CorpMemberRow, CorpDepartmentMemberRow, CorpSyncRunRow, MemberStatus, SyncRunOutcome, CorpEventRow, CorpEventWatcherRow } from './entities';
export { EVENT_APPLIED, type CorpEventStore } from './event-store';
export type { CorpWatcherStore } from './watcher-store';

export const ORG_MODEL = 'corps.models.OrgModel';

/** The tables this model adds to the app's database (and the legacy ones org sync used to keep per corpId). */
export const contribution: ModelContribution = {
  source: ORG_MODEL,
  entities: [CorpDepartmentEntity, CorpMemberEntity, CorpDepartmentMemberEntity, CorpSyncRunEntity, CorpEventEntity, CorpEventWatcherEntity],
  migrations: [DDDepartments1795320858556, CorpOrg1797200001000, CorpEvents1798400000000],
};

/** The fields of a department sync compares and writes. */
export type DepartmentFields = Pick<CorpDepartmentRow, 'name' | 'parentId' | 'order'>;
/** The fields of a membership sync and the membership rules write (the stamps are written apart). */
export type MemberFields = Pick<CorpMemberRow, 'unionId' | 'name' | 'status' | 'localUserId' | 'bindingId' | 'leftAt' | 'disabledUserId'>;

/** Rows per statement when stamping or paging (well under SQLite's bound-parameter limit). */
const CHUNK = 500;

export class OrgModel extends NormalModel {
  static override contribution: ModelContribution = contribution;

  // -- departments ---------------------------------------------------------------------------

  /** Every department of the corp, removed ones included. */
  listDepartments(corpFullName: string, manager?: EntityManager): Promise<CorpDepartmentRow[]> {
    return this.db.run((m) => m.getRepository(CorpDepartmentEntity).find({ where: { corpFullName }, order: { deptId: 'ASC' } }), manager);
  }

  findDepartment(corpFullName: string, deptId: number, manager?: EntityManager): Promise<CorpDepartmentRow | null> {
    return this.db.run((m) => m.getRepository(CorpDepartmentEntity).findOneBy({ corpFullName, deptId }), manager);
  }

  insertDepartment(corpFullName: string, deptId: number, fields: DepartmentFields, manager?: EntityManager): Promise<CorpDepartmentRow> {
    const now = new Date();
    const row: CorpDepartmentRow = { id: randomUUID(), corpFullName, deptId, ...fields, removedAt: null, createTime: now, updateTime: now };
    return this.db.run(async (m) => {
      await m.insert(CorpDepartmentEntity, row);
      return row;
    }, manager);
  }

  /** Updates the department's fields and clears `removedAt` (it exists again). */
  async updateDepartment(id: string, fields: DepartmentFields, manager?: EntityManager): Promise<void> {
    await this.db.run((m) => m.update(CorpDepartmentEntity, { id }, { ...fields, removedAt: null, updateTime: new Date() }), manager);
  }

  /** Marks departments a complete sync no longer found (rows are kept, for history and links). */
  async markDepartmentsRemoved(corpFullName: string, deptIds: number[], at: Date, manager?: EntityManager): Promise<void> {
    for (let i = 0; i < deptIds.length; i += CHUNK) {
      const chunk = deptIds.slice(i, i + CHUNK);
      await this.db.run((m) => m.update(CorpDepartmentEntity, { corpFullName, deptId: In(chunk) }, { removedAt: at, updateTime: at }), manager);
    }
  }

  // -- members -------------------------------------------------------------------------------

  /** Every membership of the corp (active, left and offline). */
  listMembers(corpFullName: string, manager?: EntityManager): Promise<CorpMemberRow[]> {
    return this.db.run((m) => m.getRepository(CorpMemberEntity).find({ where: { corpFullName }, order: { userid: 'ASC' } }), manager);
  }

  /** A page of the corp's memberships, by userid; optionally only those of one status. */
  pageMembers(corpFullName: string, options: { offset?: number; limit?: number; status?: MemberStatus } = {}, manager?: EntityManager): Promise<CorpMemberRow[]> {
    const where: FindOptionsWhere<CorpMemberRow> = options.status ? { corpFullName, status: options.status } : { corpFullName };
    return this.db.run((m) => m.getRepository(CorpMemberEntity).find({ where, order: { userid: 'ASC' }, skip: options.offset, take: options.limit }), manager);
  }

  /** How many memberships the corp has, by status. */
  async countMembers(corpFullName: string, manager?: EntityManager): Promise<Record<MemberStatus, number>> {
    const rows: Array<{ status: MemberStatus; n: string | number }> = await this.db.run(
      (m) => m.getRepository(CorpMemberEntity).createQueryBuilder('m').select('m.status', 'status').addSelect('COUNT(*)', 'n').where('m.corpFullName = :corpFullName', { corpFullName }).groupBy('m.status').getRawMany(),
      manager,
    );
    const counts: Record<MemberStatus, number> = { active: 0, left: 0, offline: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  /**
   * One membership. `forUpdate` (inside a transaction) locks the row on PostgreSQL until the
   * transaction ends, so a sync writing its snapshot and a live event writing the same member take
   * turns instead of one overwriting the other unseen; SQLite's transactions take turns anyway.
   */
  findMember(corpFullName: string, userid: string, manager?: EntityManager, options: { forUpdate?: boolean } = {}): Promise<CorpMemberRow | null> {
    const lock = options.forUpdate && this.db.kind === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    return this.db.run((m) => m.getRepository(CorpMemberEntity).findOne({ where: { corpFullName, userid }, ...lock }), manager);
  }

  /** Adds a membership; `runId` stamps it as listed by that run (null: not listed by a sync). */
  insertMember(corpFullName: string, userid: string, fields: MemberFields, runId: string | null, manager?: EntityManager): Promise<CorpMemberRow> {
    const now = new Date();
    const row: CorpMemberRow = { id: randomUUID(), corpFullName, userid, ...fields, lastRunId: runId, changedAt: now, createTime: now, updateTime: now };
    return this.db.run(async (m) => {
      await m.insert(CorpMemberEntity, row);
      return row;
    }, manager);
  }

  /** Changes a membership (its change stamp moves); with `runId`, stamps it as listed by that run too. */
  async updateMember(id: string, fields: Partial<MemberFields>, runId?: string, manager?: EntityManager): Promise<void> {
    const now = new Date();
    await this.db.run((m) => m.update(CorpMemberEntity, { id }, { ...fields, ...(runId ? { lastRunId: runId } : {}), changedAt: now, updateTime: now }), manager);
  }

  /**
   * The memberships of several members at once (a sync's chunk), by userid. `forUpdate` locks the
   * rows on PostgreSQL until the transaction ends, as findMember does.
   */
  async findMembers(corpFullName: string, userids: readonly string[], manager?: EntityManager, options: { forUpdate?: boolean } = {}): Promise<Map<string, CorpMemberRow>> {
    const lock = options.forUpdate && this.db.kind === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const result = new Map<string, CorpMemberRow>();
    for (let i = 0; i < userids.length; i += CHUNK) {
      const chunk = userids.slice(i, i + CHUNK);
      const rows = await this.db.run((m) => m.getRepository(CorpMemberEntity).find({ where: { corpFullName, userid: In(chunk) }, ...lock }), manager);
      for (const row of rows) result.set(row.userid, row);
    }
    return result;
  }

  /** Adds memberships in few statements (a sync's chunk); `runId` stamps them as listed by that run. */
  async insertMembers(corpFullName: string, members: ReadonlyArray<{ userid: string; fields: MemberFields }>, runId: string | null, manager?: EntityManager): Promise<void> {
    if (members.length === 0) return;
    const now = new Date();
    const rows: CorpMemberRow[] = members.map(({ userid, fields }) => ({ id: randomUUID(), corpFullName, userid, ...fields, lastRunId: runId, changedAt: now, createTime: now, updateTime: now }));
    await this.db.run((m) => insertRows(m, CorpMemberEntity, rows), manager);
  }

  /** Adds department links in few statements (pairs the caller knows to be missing). */
  async addMemberDepartments(corpFullName: string, links: ReadonlyArray<{ userid: string; deptId: number }>, manager?: EntityManager): Promise<void> {
    if (links.length === 0) return;
    const rows = links.map(({ userid, deptId }) => ({ id: randomUUID(), corpFullName, deptId, userid }));
    await this.db.run((m) => insertRows(m, CorpDepartmentMemberEntity, rows), manager);
  }

  /** Stamps memberships as listed by `runId` (no other change). */
  async stampMembers(corpFullName: string, userids: readonly string[], runId: string, manager?: EntityManager): Promise<void> {
    for (let i = 0; i < userids.length; i += CHUNK) {
      const chunk = userids.slice(i, i + CHUNK);
      await this.db.run((m) => m.update(CorpMemberEntity, { corpFullName, userid: In(chunk) }, { lastRunId: runId }), manager);
    }
  }

  /**
   * Active memberships `runId` did not stamp, in userid order after `after` (keyset paging, so a
   * caller that ends some of them between pages skips none): a complete run's leavers. A membership
   * stamped by a run that started after this one is not among them: a newer snapshot listed it (two
   * syncs of one corp overlapping, which the sync lease is there to prevent, cannot end each other's
   * members).
   */
  listUnstamped(corpFullName: string, runId: string, options: { after?: string; limit?: number } = {}, manager?: EntityManager): Promise<CorpMemberRow[]> {
    return this.db.run(async (m) => {
      const run = await m.getRepository(CorpSyncRunEntity).findOneBy({ id: runId });
      const qb = m
        .getRepository(CorpMemberEntity)
        .createQueryBuilder('m')
        .where('m.corpFullName = :corpFullName AND m.status = :status', { corpFullName, status: 'active' })
        .andWhere('(m.lastRunId IS NULL OR m.lastRunId <> :runId)', { runId });
      if (run) {
        qb.andWhere('NOT EXISTS (SELECT 1 FROM corp_sync_runs r WHERE r.id = "m"."lastRunId" AND r."startedAt" > :runStartedAt)', { runStartedAt: run.startedAt });
      }
      if (options.after !== undefined) qb.andWhere('m.userid > :after', { after: options.after });
      return qb.orderBy('m.userid', 'ASC').take(options.limit ?? CHUNK).getMany();
    }, manager);
  }

  /** Active memberships of a local user in any corp, but `except` (a membership id). */
  countActiveForUser(userId: string, except?: string, manager?: EntityManager): Promise<number> {
    const where: FindOptionsWhere<CorpMemberRow> = { localUserId: userId, status: 'active', ...(except ? { id: Not(except) } : {}) };
    return this.db.run((m) => m.getRepository(CorpMemberEntity).countBy(where), manager);
  }

  // -- department links ----------------------------------------------------------------------

  /** Every (department, member) pair of the corp. */
  listMemberships(corpFullName: string, manager?: EntityManager): Promise<CorpDepartmentMemberRow[]> {
    return this.db.run((m) => m.getRepository(CorpDepartmentMemberEntity).find({ where: { corpFullName } }), manager);
  }

  /** The departments a member is in. */
  async listMemberDepartments(corpFullName: string, userid: string, manager?: EntityManager): Promise<number[]> {
    const rows = await this.db.run((m) => m.getRepository(CorpDepartmentMemberEntity).find({ where: { corpFullName, userid }, order: { deptId: 'ASC' } }), manager);
    return rows.map((row) => row.deptId);
  }

  /** The departments of several members at once (a page of getLocalCorpData). */
  async departmentsOf(corpFullName: string, userids: readonly string[], manager?: EntityManager): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>(userids.map((u) => [u, []]));
    for (let i = 0; i < userids.length; i += CHUNK) {
      const chunk = userids.slice(i, i + CHUNK);
      const rows = await this.db.run((m) => m.getRepository(CorpDepartmentMemberEntity).find({ select: { userid: true, deptId: true }, where: { corpFullName, userid: In(chunk) }, order: { deptId: 'ASC' } }), manager);
      for (const row of rows) result.get(row.userid)?.push(row.deptId);
    }
    return result;
  }

  /** The userids of a department's direct members. */
  async listDepartmentMembers(corpFullName: string, deptId: number, manager?: EntityManager): Promise<string[]> {
    const rows = await this.db.run((m) => m.getRepository(CorpDepartmentMemberEntity).find({ where: { corpFullName, deptId }, order: { userid: 'ASC' } }), manager);
    return rows.map((row) => row.userid);
  }

  /**
   * Makes the member's department set exactly `deptIds`. `current` (the member's departments as the
   * caller just read them in this transaction) saves reading them again.
   */
  setMemberDepartments(corpFullName: string, userid: string, deptIds: readonly number[], manager?: EntityManager, current?: ReadonlySet<number>): Promise<void> {
    return this.db.run(async (m) => {
      const have = current ?? new Set(await this.listMemberDepartments(corpFullName, userid, m));
      const wanted = new Set(deptIds);
      const stale = [...have].filter((deptId) => !wanted.has(deptId));
      const missing = [...wanted].filter((deptId) => !have.has(deptId));
      if (stale.length > 0) await m.delete(CorpDepartmentMemberEntity, { corpFullName, userid, deptId: In(stale) });
      if (missing.length > 0) await m.insert(CorpDepartmentMemberEntity, missing.map((deptId) => ({ id: randomUUID(), corpFullName, deptId, userid })));
    }, manager);
  }

  // -- sync runs -----------------------------------------------------------------------------

  async startRun(corpFullName: string, dryRun: boolean, manager?: EntityManager): Promise<CorpSyncRunRow> {
    const row: CorpSyncRunRow = { id: randomUUID(), corpFullName, dryRun, startedAt: new Date(), finishedAt: null, outcome: 'running', counts: null, message: null };
    await this.db.run((m) => m.insert(CorpSyncRunEntity, row), manager);
    return row;
  }

  async finishRun(id: string, outcome: Exclude<SyncRunOutcome, 'running'>, counts: unknown, message?: string, manager?: EntityManager): Promise<void> {
    await this.db.run((m) => m.update(CorpSyncRunEntity, { id }, { outcome, finishedAt: new Date(), counts: counts === undefined ? null : JSON.stringify(counts), message: message ?? null }), manager);
  }

  /** The corp's latest run (real runs unless `dryRun` says otherwise), or null. */
  async lastRun(corpFullName: string, options: { dryRun?: boolean } = {}, manager?: EntityManager): Promise<CorpSyncRunRow | null> {
    const row = await this.db.run((m) => m.getRepository(CorpSyncRunEntity).findOne({ where: { corpFullName, dryRun: options.dryRun ?? false }, order: { startedAt: 'DESC' } }), manager);
    return row ? { ...row, dryRun: Boolean(row.dryRun) } : null;
  }

  // -- live events -----------------------------------------------------------------------

  /** The record of each live event a corp applied (corp_events). */
  get events(): CorpEventStore {
    return new CorpEventStore(this.db);
  }

  /** What each running event watcher last said about itself (corp_event_watchers). */
  get watchers(): CorpWatcherStore {
    return new CorpWatcherStore(this.db);
  }

  // -- adoption ------------------------------------------------------------------------------

  /**
   * Moves rows kept under another key to this corp (rows org sync kept per DingTalk corpId before the
   * corps family, or those of an implied corp): the first sync of the real corp carries them on.
   * Rows the corp already has for the same member or department stay as they are.
   */
  async adopt(corpFullName: string, fromKey: string, manager?: EntityManager): Promise<number> {
    if (fromKey === corpFullName) return 0;
    return this.db.run(async (m) => {
      const qb = (table: string, key: string) =>
        m.query(
          `UPDATE ${table} SET "corpFullName" = $1 WHERE "corpFullName" = $2 AND NOT EXISTS (SELECT 1 FROM ${table} o WHERE o."corpFullName" = $1 AND o.${key})`.replace(
            /\$(\d)/g,
            (_, n) => (this.db.kind === 'postgres' ? `$${n}` : '?'),
          ),
          this.db.kind === 'postgres' ? [corpFullName, fromKey] : [corpFullName, fromKey, corpFullName],
        );
      await qb('corp_departments', `"deptId" = corp_departments."deptId"`);
      await qb('corp_department_members', `"deptId" = corp_department_members."deptId" AND o.userid = corp_department_members.userid`);
      const before = await m.getRepository(CorpMemberEntity).countBy({ corpFullName: fromKey });
      await qb('corp_members', `userid = corp_members.userid`);
      return before - (await m.getRepository(CorpMemberEntity).countBy({ corpFullName: fromKey }));
    }, manager);
  }
}

export default OrgModel;
