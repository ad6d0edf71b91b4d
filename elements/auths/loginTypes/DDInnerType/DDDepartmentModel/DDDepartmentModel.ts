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
import type { ModelContribution } from '../../../../../runtime/db/types';
import {
  DDDepartmentEntity,
  DDDepartmentMemberEntity,
  DDOrgMemberEntity,
  type DDDepartmentMemberRow,
  type DDDepartmentRow,
  type DDOrgMemberRow,
} from './entities';
import { NormalModel } from '../../../../models/NormalType/NormalModel';
import { DDDepartments1795320858556 } from './migrations/DDDepartments1795320858556';

export type { DDDepartmentRow, DDOrgMemberRow, DDDepartmentMemberRow } from './entities';

/** The tables this model adds to the app's database. */
export const contribution: ModelContribution = {
  source: 'auths.loginTypes.DDInnerType.DDDepartmentModel',
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

  /** Adds the department, or updates its fields and clears `removedAt` (it exists again). */
  saveDepartment(corpId: string, deptId: number, fields: DepartmentFields, manager?: EntityManager): Promise<DDDepartmentRow> {
    return this.db.run(async (m) => {
      const repo = m.getRepository(DDDepartmentEntity);
      const now = new Date();
      const existing = await repo.findOneBy({ corpId, deptId });
      if (!existing) return repo.save({ id: randomUUID(), corpId, deptId, ...fields, removedAt: null, createTime: now, updateTime: now });
      const patch = { ...fields, removedAt: null, updateTime: now };
      await repo.update({ id: existing.id }, patch);
      return { ...existing, ...patch };
    }, manager);
  }

  /** Marks departments a complete sync no longer found (rows are kept, for history and links). */
  async markDepartmentsRemoved(corpId: string, deptIds: number[], at: Date, manager?: EntityManager): Promise<void> {
    if (deptIds.length === 0) return;
    await this.db.run((m) => m.getRepository(DDDepartmentEntity).update({ corpId, deptId: In(deptIds) }, { removedAt: at, updateTime: at }), manager);
  }

  /** Adds the member or updates the given fields. */
  saveMember(corpId: string, userid: string, fields: OrgMemberFields, manager?: EntityManager): Promise<DDOrgMemberRow> {
    return this.db.run(async (m) => {
      const repo = m.getRepository(DDOrgMemberEntity);
      const now = new Date();
      const existing = await repo.findOneBy({ corpId, userid });
      if (!existing) return repo.save({ id: randomUUID(), corpId, userid, ...fields, createTime: now, updateTime: now });
      const patch = { ...fields, updateTime: now };
      await repo.update({ id: existing.id }, patch);
      return { ...existing, ...patch };
    }, manager);
  }

  /** Makes the member's department set exactly `deptIds` (adds and removes links as needed). */
  setMemberDepartments(corpId: string, userid: string, deptIds: readonly number[], manager?: EntityManager): Promise<void> {
    return this.db.run(async (m) => {
      const repo = m.getRepository(DDDepartmentMemberEntity);
      const current = await repo.find({ where: { corpId, userid } });
      const wanted = new Set(deptIds);
      const stale = current.filter((row) => !wanted.has(row.deptId)).map((row) => row.id);
      const have = new Set(current.map((row) => row.deptId));
      const missing = [...wanted].filter((deptId) => !have.has(deptId));
      if (stale.length > 0) await repo.delete({ id: In(stale) });
      if (missing.length > 0) await repo.insert(missing.map((deptId) => ({ id: randomUUID(), corpId, deptId, userid })));
    }, manager);
  }
}

export default DDDepartmentModel;
