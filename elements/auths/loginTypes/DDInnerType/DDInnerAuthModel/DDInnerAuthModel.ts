/**
 * DDInnerAuthModel: the DingTalk account bindings of DDInnerType logins, one row per DingTalk member
 * (corpId + userid) bound to one local user. The table and its queries are the plain store in
 * `dingtalk/binding/binding-store.ts`, which both element families use; this element contributes the
 * table's migrations to the app's database and wraps the store, so an app can reach the bindings as
 * any model element (`app.getElement(auth.authModelElemName)`), or override it.
 */
import type { EntityManager } from 'typeorm';
import type { ModelContribution } from '../../../../../runtime';
import {
  DDBindingEntity,
  DDBindingStore,
  PROFILE_FIELDS,
  type BindingStore,
  type DDBindingProfile,
  type DDBindingRow,
  type NewDDBindingRow,
} from '../../../../../dingtalk/binding/binding-store';
import { NormalModel } from '../../../../models/NormalType/NormalModel';
import { DINGTALK_AUTH_MODEL } from '../../../../../dingtalk/login-type';
import { DDInnerAuth1760000001000 } from './migrations/DDInnerAuth1760000001000';
import { DDInnerAuthLeftAt1797200000500 } from './migrations/DDInnerAuthLeftAt1797200000500';

/** The names this model has always exported: the same types as the store's. */
export type DDInnerAuthRow = DDBindingRow;
export type DDInnerAuthProfile = DDBindingProfile;
export type NewDDInnerAuthRow = NewDDBindingRow;
export { PROFILE_FIELDS };
export const DDInnerAuthEntity = DDBindingEntity;

export const contribution: ModelContribution = {
  source: DINGTALK_AUTH_MODEL,
  entities: [DDBindingEntity],
  migrations: [DDInnerAuth1760000001000, DDInnerAuthLeftAt1797200000500],
};

export class DDInnerAuthModel extends NormalModel implements BindingStore {
  static override contribution: ModelContribution = contribution;
  private wrapped?: { db: unknown; store: DDBindingStore };

  /** The plain store over this app's database (built on first use: the database opens lazily). */
  get store(): BindingStore {
    if (this.wrapped?.db !== this.db) this.wrapped = { db: this.db, store: new DDBindingStore(this.db) };
    return this.wrapped.store;
  }

  findById(id: string, manager?: EntityManager): Promise<DDInnerAuthRow | null> {
    return this.store.findById(id, manager);
  }

  findByMember(corpId: string, userid: string, manager?: EntityManager): Promise<DDInnerAuthRow | null> {
    return this.store.findByMember(corpId, userid, manager);
  }

  findByUserId(userId: string, corpId?: string, manager?: EntityManager): Promise<DDInnerAuthRow[]> {
    return this.store.findByUserId(userId, corpId, manager);
  }

  list(options: { corpId?: string; limit?: number; offset?: number } = {}, manager?: EntityManager): Promise<DDInnerAuthRow[]> {
    return this.store.list(options, manager);
  }

  insert(row: NewDDInnerAuthRow, manager?: EntityManager): Promise<DDInnerAuthRow> {
    return this.store.insert(row, manager);
  }

  updateProfile(id: string, patch: Partial<DDInnerAuthProfile>, manager?: EntityManager): Promise<boolean> {
    return this.store.updateProfile(id, patch, manager);
  }

  remove(id: string, manager?: EntityManager): Promise<boolean> {
    return this.store.remove(id, manager);
  }

  setLeftAt(id: string, at: Date | null, manager?: EntityManager): Promise<void> {
    return this.store.setLeftAt(id, at, manager);
  }

  countActiveForUser(userId: string, except?: string | null, manager?: EntityManager): Promise<number> {
    return this.store.countActiveForUser(userId, except, manager);
  }
}
