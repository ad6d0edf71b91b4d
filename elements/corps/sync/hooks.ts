/**
 * What a corps Type gives the family's sync engine: the organisation as the third party lists it,
 * and how its members are bound to local users. The engine does the rest, the same for every Type:
 * planning, streaming writes in chunks (one transaction each), run stamps, leavers, offline members, the summary.
 *
 * `CorpType` (../CorpType.ts) implements the binding hooks on the membership rows themselves, for a
 * Type that keeps no binding store of its own; the DingTalk Type keeps its bindings in dd_inner_auth
 * and implements them there.
 */
import type { EntityManager } from 'typeorm';
import type { LocalUser } from '../../../runtime';
import type { FetchFailure } from './failures';

/**
 * A member record as the organisation lists it. The field names are DingTalk's (JitAi's corps speak
 * them); a Type of its own adds whatever its binding rules read.
 */
export interface CorpMember {
  userid: string;
  name?: string;
  unionid?: string;
  /** The member's departments as their own record says (the engine also links those they were listed in). */
  dept_id_list?: number[];
}

export interface CorpDepartment {
  deptId: number;
  /** Empty when the organisation does not say (DingTalk never lists the root's own record). */
  name: string;
  /** null for the root. */
  parentId: number | null;
  /** The organisation's order when it sends one, else the position among its siblings. */
  order: number | null;
}

/**
 * One piece of the organisation: a department and (a page of) its direct members. A department with
 * no members comes once with none; a big one may come in several pieces. `failure` says a part could
 * not be read (its sub-departments, or members from some page on): the run is then incomplete.
 */
export interface CorpDataChunk<M extends CorpMember = CorpMember> {
  department: CorpDepartment;
  members: M[];
  failure?: FetchFailure;
}

export interface CorpDataOptions {
  signal?: AbortSignal;
  /** Members per page where the organisation pages them. */
  pageSize?: number;
  /** Calls in flight at once. */
  concurrency?: number;
  /** Called as departments are found (before their members are read). */
  onDepartments?: (found: number) => void;
  /**
   * Called once with the whole department tree, before any member is listed, by a Type that reads
   * the tree first (DingTalk's does; the pieces still carry their departments). The sync writes the
   * departments then and links members to them as they stream in; awaited.
   */
  onWalked?: (departments: readonly CorpDepartment[]) => Promise<void> | void;
}

/** A member's binding to a local user. */
export interface MemberBinding {
  /** The binding row in the Type's own store (sessions record it); null for a Type that keeps none. */
  id: string | null;
  userId: string;
  /** When the Type's store marks it ended; null while active. */
  leftAt: Date | null;
}

/** How a member without a binding gets one (or, in a plan, would). */
export type BindDecision =
  /** `binding` and `user` are absent when planning (a dry run creates and binds nobody). */
  | { kind: 'autoBound' | 'created'; binding?: MemberBinding; user?: LocalUser }
  /** Left unbound by the Type's policy; the membership is kept all the same. */
  | { kind: 'unbound' };

/** Binding-profile changes a member record brings ('binding.phone', ...) and the opaque patch to write them. */
export interface BindingChanges {
  changes: string[];
  patch: unknown;
}

export type UserPatch = Partial<Pick<LocalUser, 'displayName' | 'phone' | 'email' | 'employeeNo' | 'disabled'>>;

export interface CorpSyncHooks<M extends CorpMember = CorpMember> {
  /** How summaries and logs name the corp (its fullName; an implied corp's is its login's). */
  readonly fullName: string;
  /** The key of its rows in the family tables (JitAi's corpFullName). */
  readonly corpFullName: string;
  /** The organisation's own id, for summaries (DingTalk's corpId), or null. */
  readonly orgId: string | null;

  getThirdCorpData(options?: CorpDataOptions): AsyncIterable<CorpDataChunk<M>>;

  /** The member's binding, read in `manager`'s transaction. */
  findBinding(userid: string, manager: EntityManager): Promise<MemberBinding | null>;
  /** Every binding of the corp's members, by userid (for the plan). */
  listBindings(): Promise<Map<string, MemberBinding>>;
  /**
   * Optional: the bindings of several members at once (a sync's chunk), in `manager`'s transaction.
   * Without it the sync asks `findBinding` per member.
   */
  findBindings?(userids: readonly string[], manager: EntityManager): Promise<Map<string, MemberBinding>>;
  /**
   * Optional: binds many members who have none (a sync's chunk) by the Type's rules, in `manager`'s
   * transaction, with few statements: per member a decision, or the error that fails that member
   * alone (AMBIGUOUS_MATCH). Throwing fails the whole chunk, which the sync then writes member by
   * member. Without it the sync calls `bind` per member.
   */
  bindMany?(members: readonly M[], manager: EntityManager): Promise<Map<string, BindDecision | { error: unknown }>>;
  /**
   * Binds a member who has none, by the Type's rules; with `planOnly`, only decides (writes nothing).
   * Throws for a member that cannot be bound safely (AMBIGUOUS_MATCH): that member fails, the rest go on.
   */
  bind(member: M, manager: EntityManager, planOnly: boolean): Promise<BindDecision>;
  /** What the member record changes in the binding's own profile, or null. */
  bindingChanges(member: M, binding: MemberBinding): BindingChanges | null;
  writeBindingChanges(binding: MemberBinding, patch: unknown, manager: EntityManager): Promise<void>;
  /** The fields of a local user this corp provisioned that the member record says. */
  userFields(member: M, user: LocalUser): UserPatch;
  /** True when this corp (or its login) created the user, so the member record is its profile's truth. */
  ownsProfileOf(user: LocalUser): boolean;
  /** Marks the binding ended at `at`, or active again with null. */
  setBindingLeft(binding: MemberBinding, at: Date | null, manager: EntityManager): Promise<void>;
  /**
   * Active bindings the user holds besides the one ending (any login, any corp): the membership row
   * and the binding row named in `except` are not counted.
   */
  countOtherActiveBindings(userId: string, except: { membershipId: string | null; bindingId: string | null }, manager: EntityManager): Promise<number>;
  /**
   * Members the corp has a binding for but no membership row (bound by a login, never listed by a
   * sync), not marked left, in userid order after `after`: a complete run treats them like members
   * it did not list. Types that keep no binding store of their own have none.
   */
  listUnrecordedBindings(options: { after?: string; limit: number }): Promise<Array<{ userid: string; binding: MemberBinding }>>;
}
