/**
 * The DingTalk bindings: one row per DingTalk member (corpId + userid) bound to one local user, in
 * the table `dd_inner_auth`. This module is the plain store (entity and queries); the model element
 * `auths.loginTypes.DDInnerType.DDInnerAuthModel` contributes the table's migrations and wraps it, and
 * both families reach the rows through the `BindingStore` interface.
 *
 * Rows carry the documented fields (id, userId, thirdCorpId, thirdUserId, unionId, jobNumber, phone,
 * email, hiredDate, photo, createTime) and `leftAt`: set when the member's membership of the
 * organisation ended (they left, or an operator took them offline). A binding marked left opens no
 * session; the row is kept, so a member who returns is the same user again.
 *
 * The unique constraints (member -> one row; local user -> one member per corp) settle login races:
 * a losing `insert` fails with a unique violation and the caller re-reads. Every method takes an
 * optional EntityManager: pass your transaction's to join it.
 */
import { randomUUID } from 'node:crypto';
import { EntitySchema, IsNull, Not, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { type Database, ID_LENGTH, timestampColumn } from '../../runtime';

export interface DDBindingRow {
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
  /** When the member's membership ended (left the organisation, or taken offline); null while active. */
  leftAt: Date | null;
}

/** The profile columns, refreshed from the member record on login or org sync. */
export type DDBindingProfile = Pick<DDBindingRow, 'unionId' | 'jobNumber' | 'phone' | 'email' | 'hiredDate' | 'photo'>;

export type NewDDBindingRow = Pick<DDBindingRow, 'userId' | 'thirdCorpId' | 'thirdUserId'> & Partial<DDBindingProfile>;

/** The binding's fields that come from the DingTalk member record (refreshed on every login and sync). */
export const PROFILE_FIELDS = ['unionId', 'jobNumber', 'phone', 'email', 'hiredDate', 'photo'] as const;

export const DDBindingEntity = new EntitySchema<DDBindingRow>({
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
    leftAt: timestampColumn({ nullable: true }),
  },
});

/** What the binding engine, logins and corps need of the bindings. */
export interface BindingStore {
  /** The binding with this id, or null. */
  findById(id: string, manager?: EntityManager): Promise<DDBindingRow | null>;
  /** The binding of a DingTalk member, or null. */
  findByMember(corpId: string, userid: string, manager?: EntityManager): Promise<DDBindingRow | null>;
  /** The bindings of a local user: at most one when corpId is given, else one per organisation. */
  findByUserId(userId: string, corpId?: string, manager?: EntityManager): Promise<DDBindingRow[]>;
  /** Bindings, oldest first; every binding unless `limit` is given. */
  list(options?: { corpId?: string; limit?: number; offset?: number }, manager?: EntityManager): Promise<DDBindingRow[]>;
  /** Adds a binding (new id, createTime now). A taken member or user-in-corp is a unique violation. */
  insert(row: NewDDBindingRow, manager?: EntityManager): Promise<DDBindingRow>;
  /** Refreshes the profile columns given (others stay); false when there is no such binding. */
  updateProfile(id: string, patch: Partial<DDBindingProfile>, manager?: EntityManager): Promise<boolean>;
  /** Unbinds: deletes the binding row; the local user stays. false when there was none. */
  remove(id: string, manager?: EntityManager): Promise<boolean>;
  /** Marks the membership behind the binding ended at `at`, or active again with null. */
  setLeftAt(id: string, at: Date | null, manager?: EntityManager): Promise<void>;
  /** How many of the user's bindings are not marked left (in any organisation), but `except` (a binding id). */
  countActiveForUser(userId: string, except?: string | null, manager?: EntityManager): Promise<number>;
}

export class DDBindingStore implements BindingStore {
  constructor(private readonly db: Database) {}

  findById(id: string, manager?: EntityManager): Promise<DDBindingRow | null> {
    return this.db.run((m) => m.findOne(DDBindingEntity, { where: { id } }), manager);
  }

  findByMember(corpId: string, userid: string, manager?: EntityManager): Promise<DDBindingRow | null> {
    return this.db.run((m) => m.findOne(DDBindingEntity, { where: { thirdCorpId: corpId, thirdUserId: userid } }), manager);
  }

  findByUserId(userId: string, corpId?: string, manager?: EntityManager): Promise<DDBindingRow[]> {
    const where: FindOptionsWhere<DDBindingRow> = corpId === undefined ? { userId } : { userId, thirdCorpId: corpId };
    return this.db.run((m) => m.find(DDBindingEntity, { where, order: { createTime: 'ASC', id: 'ASC' } }), manager);
  }

  list(options: { corpId?: string; limit?: number; offset?: number } = {}, manager?: EntityManager): Promise<DDBindingRow[]> {
    const where: FindOptionsWhere<DDBindingRow> = options.corpId === undefined ? {} : { thirdCorpId: options.corpId };
    return this.db.run((m) => m.find(DDBindingEntity, { where, order: { createTime: 'ASC', id: 'ASC' }, take: options.limit, skip: options.offset }), manager);
  }

  async insert(row: NewDDBindingRow, manager?: EntityManager): Promise<DDBindingRow> {
    const binding: DDBindingRow = {
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
      leftAt: null,
    };
    await this.db.run((m) => m.insert(DDBindingEntity, binding), manager);
    return binding;
  }

  async updateProfile(id: string, patch: Partial<DDBindingProfile>, manager?: EntityManager): Promise<boolean> {
    const set: Partial<DDBindingProfile> = {};
    for (const field of PROFILE_FIELDS) {
      if (patch[field] !== undefined) (set as Record<string, unknown>)[field] = patch[field];
    }
    return this.db.run(async (m) => {
      // An empty SET is not valid SQL; an existence check gives the same answer.
      if (Object.keys(set).length === 0) return (await m.countBy(DDBindingEntity, { id })) > 0;
      const result = await m.update(DDBindingEntity, { id }, set);
      return (result.affected ?? 0) > 0;
    }, manager);
  }

  async remove(id: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.db.run((m) => m.delete(DDBindingEntity, { id }), manager);
    return (result.affected ?? 0) > 0;
  }

  async setLeftAt(id: string, at: Date | null, manager?: EntityManager): Promise<void> {
    await this.db.run((m) => m.update(DDBindingEntity, { id }, { leftAt: at }), manager);
  }

  countActiveForUser(userId: string, except?: string | null, manager?: EntityManager): Promise<number> {
    const where: FindOptionsWhere<DDBindingRow> = { userId, leftAt: IsNull(), ...(except ? { id: Not(except) } : {}) };
    return this.db.run((m) => m.countBy(DDBindingEntity, where), manager);
  }
}
