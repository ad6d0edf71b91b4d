/**
 * DDDepartmentModel: the DingTalk organisation as org sync last saw it, per corp: departments,
 * members (bound to a local user or not) and department memberships. Org sync is the only writer;
 * anyone may read (e.g. "who is in department 42").
 *
 * Every method takes an optional EntityManager: pass the one of your transaction to make the call
 * part of it (org sync writes each member in one transaction). Without one, the call runs through
 * `db.run`, which on SQLite waits its turn instead of landing inside someone else's transaction.
 */
import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import type { ModelContribution } from '../../../../runtime/db/types';
import {
  DDDepartmentEntity,
  DDDepartmentMemberEntity,
  DDOrgMemberEntity,
  type DDDepartmentMemberRow,
  type DDDepartmentRow,
  type DDOrgMemberRow,
} from './entities';
import { NormalModel } from '../../../models/NormalType/NormalModel';
import { DDDepartments1795320858556 } from './migrations/DDDepartments1795320858556';

export type { DDDepartmentRow, DDOrgMemberRow, DDDepartmentMemberRow } from './entities';

/** The tables this model adds to the app's database. */
export const contribution: ModelContribution = {
  source: 'corps.models.OrgModel',
  entities: [DDDepartmentEntity, DDOrgMemberEntity, DDDepartmentMemberEntity],
  migrations: [DDDepartments1795320858556],
};

/** The fields of a department org sync compares and writes. */
export type DepartmentFields = Pick<DDDepartmentRow, 'name' | 'parentId' | 'order'>;
/** The fields of a member org sync compares and writes. */
export type OrgMemberFields = Pick<DDOrgMemberRow, 'unionId' | 'name' | 'leftAt' | 'disabledUserId'>;

export class DDDepartmentModel extends NormalModel {
  static override contribution: ModelContribution = contribution;

  // -- reading -------------------------------------------------------------------------------

  /** Every department of the corp, removed ones included. */
  listDepartments(corpId: string, manager?: EntityManager): Promise<DDDepartmentRow[]> {
    return this.db.run((m) => m.getRepository(DDDepartmentEntity).find({ where: { corpId }, order: { deptId: 'ASC' } }), manager);
  }

  /** Every member of the corp org sync has seen, leavers included. */
  listMembers(corpId: string, manager?: EntityManager): Promise<DDOrgMemberRow[]> {
    return this.db.run((m) => m.getRepository(DDOrgMemberEntity).find({ where: { corpId }, order: { userid: 'ASC' } }), manager);
  }

  findMember(corpId: string, userid: string, manager?: EntityManager): Promise<DDOrgMemberRow | null> {
    return this.db.run((m) => m.getRepository(DDOrgMemberEntity).findOneBy({ corpId, userid }), manager);
  }

  /** Every (department, member) pair of the corp. */
  listMemberships(corpId: string, manager?: EntityManager): Promise<DDDepartmentMemberRow[]> {
    return this.db.run((m) => m.getRepository(DDDepartmentMemberEntity).find({ where: { corpId } }), manager);
  }

  /** The departments a member is in. */
  async listMemberDepartments(corpId: string, userid: string, manager?: EntityManager): Promise<number[]> {
    const rows = await this.db.run((m) => m.getRepository(DDDepartmentMemberEntity).find({ where: { corpId, userid }, order: { deptId: 'ASC' } }), manager);
    return rows.map((row) => row.deptId);
  }

  /** The userids of a department's direct members. */
  async listDepartmentMembers(corpId: string, deptId: number, manager?: EntityManager): Promise<string[]> {
    const rows = await this.db.run((m) => m.getRepository(DDDepartmentMemberEntity).find({ where: { corpId, deptId }, order: { userid: 'ASC' } }), manager);
    return rows.map((row) => row.userid);
  }

  // -- writing -------------------------------------------------------------------------------
  // Inserts and updates are separate (no upsert) because the caller has just read the row in the
  // same transaction; an insert that loses a race fails on the unique constraint, and the caller
  // retries with a fresh read.

  insertDepartment(corpId: string, deptId: number, fields: DepartmentFields, manager?: EntityManager): Promise<DDDepartmentRow> {
    const now = new Date();
    const row: DDDepartmentRow = { id: randomUUID(), corpId, deptId, ...fields, removedAt: null, createTime: now, updateTime: now };
    return this.db.run(async (m) => {
      await m.insert(DDDepartmentEntity, row);
      return row;
    }, manager);
  }

  /** Updates the department's fields and clears `removedAt` (it exists again). */
  async updateDepartment(id: string, fields: DepartmentFields, manager?: EntityManager): Promise<void> {
    await this.db.run((m) => m.update(DDDepartmentEntity, { id }, { ...fields, removedAt: null, updateTime: new Date() }), manager);
  }

  /** Marks departments a complete sync no longer found (rows are kept, for history and links). */
  async markDepartmentsRemoved(corpId: string, deptIds: number[], at: Date, manager?: EntityManager): Promise<void> {
    if (deptIds.length === 0) return;
    await this.db.run((m) => m.update(DDDepartmentEntity, { corpId, deptId: In(deptIds) }, { removedAt: at, updateTime: at }), manager);
  }

  insertMember(corpId: string, userid: string, fields: OrgMemberFields, manager?: EntityManager): Promise<DDOrgMemberRow> {
    const now = new Date();
    const row: DDOrgMemberRow = { id: randomUUID(), corpId, userid, ...fields, createTime: now, updateTime: now };
    return this.db.run(async (m) => {
      await m.insert(DDOrgMemberEntity, row);
      return row;
    }, manager);
  }

  async updateMember(id: string, fields: Partial<OrgMemberFields>, manager?: EntityManager): Promise<void> {
    await this.db.run((m) => m.update(DDOrgMemberEntity, { id }, { ...fields, updateTime: new Date() }), manager);
  }

  /**
   * Makes the member's department set exactly `deptIds`. `current` (the member's departments as the
   * caller just read them in this transaction) saves reading them again.
   */
  setMemberDepartments(corpId: string, userid: string, deptIds: readonly number[], manager?: EntityManager, current?: ReadonlySet<number>): Promise<void> {
    return this.db.run(async (m) => {
      const have = current ?? new Set(await this.listMemberDepartments(corpId, userid, m));
      const wanted = new Set(deptIds);
      const stale = [...have].filter((deptId) => !wanted.has(deptId));
      const missing = [...wanted].filter((deptId) => !have.has(deptId));
      if (stale.length > 0) await m.delete(DDDepartmentMemberEntity, { corpId, userid, deptId: In(stale) });
      if (missing.length > 0) await m.insert(DDDepartmentMemberEntity, missing.map((deptId) => ({ id: randomUUID(), corpId, deptId, userid })));
    }, manager);
  }
}

export default DDDepartmentModel;
