/**
 * DDInnerAuthModel: the DingTalk account bindings of DDInnerType logins, one row per DingTalk member
 * (corpId + userid) bound to one local user. Rows carry the documented fields only: id, userId,
 * thirdCorpId, thirdUserId, unionId, jobNumber, phone, email, hiredDate, photo, createTime.
 *
 * The unique constraints (member -> one row; local user -> one member per corp) settle login races:
 * a losing `insert` fails with a unique violation (`db.isUniqueViolation(err)`) and the caller
 * re-reads. Every method takes an optional EntityManager: pass your transaction's to join it.
 */
import { randomUUID } from 'node:crypto';
import { EntitySchema, type EntityManager, type FindOptionsWhere } from 'typeorm';
import type { ModelContribution } from '../../../../../runtime/db/types';
import { ID_LENGTH, timestampColumn } from '../../../../../runtime/db/portable-columns';
import { NormalModel } from '../../../../models/NormalType/NormalModel';
import { DDInnerAuth1760000001000 } from './migrations/DDInnerAuth1760000001000';

export interface DDInnerAuthRow {
  id: string;
  /** The local user (users.id). */
  userId: string;
  /** DingTalk corpId of the organisation. */
  thirdCorpId: string;
  /** DingTalk userid of the member in that organisation. */
  thirdUserId: string;
  unionId: string | null;
  jobNumber: string | null;
  phone: string | null;
  email: string | null;
  hiredDate: Date | null;
  /** Avatar URL. */
  photo: string | null;
  createTime: Date;
}

/** The profile columns, refreshed from the member record on login or org sync. */
export type DDInnerAuthProfile = Pick<DDInnerAuthRow, 'unionId' | 'jobNumber' | 'phone' | 'email' | 'hiredDate' | 'photo'>;

export type NewDDInnerAuthRow = Pick<DDInnerAuthRow, 'userId' | 'thirdCorpId' | 'thirdUserId'> & Partial<DDInnerAuthProfile>;

export const DDInnerAuthEntity = new EntitySchema<DDInnerAuthRow>({
  name: 'dd_inner_auth',
  tableName: 'dd_inner_auth',
  columns: {
    id: { type: 'varchar', length: ID_LENGTH, primary: true },
    userId: { type: 'varchar', length: ID_LENGTH },
    thirdCorpId: { type: 'varchar', length: 64 },
    thirdUserId: { type: 'varchar', length: 64 },
    unionId: { type: 'varchar', length: 64, nullable: true },
    jobNumber: { type: 'varchar', length: 64, nullable: true },
    phone: { type: 'varchar', length: 32, nullable: true },
    email: { type: 'varchar', length: 255, nullable: true },
    hiredDate: timestampColumn({ nullable: true }),
    photo: { type: 'text', nullable: true },
    createTime: timestampColumn(),
  },
});

export const contribution: ModelContribution = {
  source: 'auths.loginTypes.DDInnerType.DDInnerAuthModel',
  entities: [DDInnerAuthEntity],
  migrations: [DDInnerAuth1760000001000],
};

/** The binding's fields that come from the DingTalk member record (refreshed on every login and sync). */
export const PROFILE_FIELDS = ['unionId', 'jobNumber', 'phone', 'email', 'hiredDate', 'photo'] as const;

export class DDInnerAuthModel extends NormalModel {
  static override contribution: ModelContribution = contribution;

  /** The binding with that id, or null. */
  findById(id: string, manager?: EntityManager): Promise<DDInnerAuthRow | null> {
    return this.db.run((m) => m.findOne(DDInnerAuthEntity, { where: { id } }), manager);
  }

  /** The binding of a DingTalk member, or null. */
  findByMember(corpId: string, userid: string, manager?: EntityManager): Promise<DDInnerAuthRow | null> {
    return this.db.run((m) => m.findOne(DDInnerAuthEntity, { where: { thirdCorpId: corpId, thirdUserId: userid } }), manager);
  }

  /** The bindings of a local user: at most one when corpId is given, else one per organisation. */
  findByUserId(userId: string, corpId?: string, manager?: EntityManager): Promise<DDInnerAuthRow[]> {
    const where: FindOptionsWhere<DDInnerAuthRow> = corpId === undefined ? { userId } : { userId, thirdCorpId: corpId };
    return this.db.run((m) => m.find(DDInnerAuthEntity, { where, order: { createTime: 'ASC', id: 'ASC' } }), manager);
  }

  /** Bindings, oldest first; every binding unless `limit` is given. */
  list(options: { corpId?: string; limit?: number; offset?: number } = {}): Promise<DDInnerAuthRow[]> {
    const where: FindOptionsWhere<DDInnerAuthRow> = options.corpId === undefined ? {} : { thirdCorpId: options.corpId };
    return this.db.run((m) => m.find(DDInnerAuthEntity, { where, order: { createTime: 'ASC', id: 'ASC' }, take: options.limit, skip: options.offset }));
  }

  /** Adds a binding (new id, createTime now). A taken member or user-in-corp is a unique violation. */
  async insert(row: NewDDInnerAuthRow, manager?: EntityManager): Promise<DDInnerAuthRow> {
    const binding: DDInnerAuthRow = {
      id: randomUUID(),
      userId: row.userId,
      thirdCorpId: row.thirdCorpId,
      thirdUserId: row.thirdUserId,
      unionId: row.unionId ?? null,
      jobNumber: row.jobNumber ?? null,
      phone: row.phone ?? null,
      email: row.email ?? null,
      hiredDate: row.hiredDate ?? null,
      photo: row.photo ?? null,
      createTime: new Date(),
    };
    await this.db.run((m) => m.insert(DDInnerAuthEntity, binding), manager);
    return binding;
  }

  /** Refreshes the profile columns given (others stay); false when there is no such binding. */
  async updateProfile(id: string, patch: Partial<DDInnerAuthProfile>, manager?: EntityManager): Promise<boolean> {
    const set: Partial<DDInnerAuthProfile> = {};
    for (const field of PROFILE_FIELDS) {
      if (patch[field] !== undefined) (set as Record<string, unknown>)[field] = patch[field];
    }
    return this.db.run(async (m) => {
      // An empty SET is not valid SQL; an existence check gives the same answer.
      if (Object.keys(set).length === 0) return (await m.countBy(DDInnerAuthEntity, { id })) > 0;
      const result = await m.update(DDInnerAuthEntity, { id }, set);
      return (result.affected ?? 0) > 0;
    }, manager);
  }

  /** Unbinds: deletes the binding row; the local user stays. false when there was none. */
  async remove(id: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.db.run((m) => m.delete(DDInnerAuthEntity, { id }), manager);
    return (result.affected ?? 0) > 0;
  }
}
