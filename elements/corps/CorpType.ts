/**
 * CorpType: the base class of every corps Type, the family's interface (JitAi's names). An instance
 * is an organisation kept in the app's database, with memberships per corp:
 *
 *   syncCorp({ dryRun })              the organisation into the database (sync/run-org-sync.ts)
 *   getThirdCorpData()                the organisation where it lives, as `{department, members}` pieces
 *   getLocalCorpData({offset, limit}) the members as the database has them, a page at a time
 *   getRootDept(), getCorpInfo()      the root department; config plus the root department
 *   offlineMember(userids)            end memberships by hand (sticky); restoreMember(userid) undoes it
 *   watchEvents(options)              apply the organisation's live events as they happen (a Type with
 *                                     a live source: DingTalk's Stream); applyLiveChange(change) applies one
 *
 * A Type implements `getThirdCorpData()` and, when it keeps its members' bindings somewhere of its
 * own (DingTalk keeps them in dd_inner_auth), the binding hooks. The defaults here keep the binding on
 * the membership row itself and create a local user for every new member (source `sync:<corp>`), so
 * a Type of an app's own needs only `getThirdCorpData()` and, usually, `bind()` to match members to
 * existing users. Membership rules (who is disabled, which sessions end) are the family's, the same
 * for every Type.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Element, JitError, type LocalUser } from '../../runtime';
import { DINGTALK_ERRORS } from '../../dingtalk/error-codes';
import { DDBindingStore } from '../../dingtalk/binding/binding-store';
import { readCorpSettings, type CorpSettings } from './corp-settings';
import { endMembership, type EndedMembership } from './membership/end-membership';
import { isProvisioned } from './membership/provisioned';
import { restoreMembership, type RestoredMembership } from './membership/restore-membership';
import { ORG_MODEL, type CorpMemberRow, type CorpSyncRunRow, type MemberStatus, type OrgModel } from './models/OrgModel/OrgModel';
import type { BindDecision, BindingChanges, CorpDataChunk, CorpDataOptions, CorpDepartment, CorpMember, CorpSyncHooks, MemberBinding, UserPatch } from './sync/hooks';
import { runOrgSync, type SyncOptions } from './sync/run-org-sync';
import { applyLiveChange, recordNotApplied } from './events/apply-live-change';
import type { CorpEventWatcher, WatchEventsOptions } from './events/corp-watcher';
import { readEventsStatus, type CorpEventsStatus } from './events/events-status';
import type { LiveChange, LiveChangeOutcome } from './events/live-change';
import type { SyncSummary } from './sync/summary';
import type { SyncContext } from './sync/sync-context';

export const CORPS_META = 'corps.Meta';

/** One member as the database has it (getLocalCorpData). */
export interface LocalMember {
  userid: string;
  name: string;
  unionId: string | null;
  status: MemberStatus;
  /** The local user bound, or null. */
  userId: string | null;
  leftAt: Date | null;
  deptIds: number[];
}

export interface LocalCorpPage {
  offset: number;
  limit: number;
  /** Memberships of the corp (every status). */
  total: number;
  members: LocalMember[];
}

export interface CorpInfo {
  fullName: string;
  title: string;
  /** The key of its rows (JitAi's corpFullName). */
  corpFullName: string;
  /** The organisation's own id (DingTalk's corpId), or null. */
  orgId: string | null;
  settings: CorpSettings;
  rootDept: CorpDepartment | null;
}

/** What `jit org status` shows. */
export interface CorpStatus {
  corp: string;
  orgId: string | null;
  isActive: boolean;
  intervalMinutes: number | null;
  lastRun: (Omit<CorpSyncRunRow, 'counts' | 'corpFullName'> & { counts: unknown }) | null;
  members: Record<MemberStatus, number>;
  departments: { total: number; removed: number };
  left: Array<{ userid: string; name: string; leftAt: Date | null; userId: string | null }>;
  offline: Array<{ userid: string; name: string; leftAt: Date | null; userId: string | null }>;
  /** Leavers bound to an account this app did not create, kept for an operator to decide. */
  unmanagedLeavers: Array<{ userid: string; name: string; userId: string; username: string; disabled: boolean }>;
  /** Live events: the connection (any host's), what was applied, what was not and why, the last catch-up sync. */
  events: CorpEventsStatus;
}

export abstract class CorpType<M extends CorpMember = CorpMember> extends Element implements CorpSyncHooks<M> {
  private loadedSettings?: CorpSettings;

  /** The organisation where it lives, as `{department, members}` pieces (see sync/hooks.ts). */
  abstract getThirdCorpData(options?: CorpDataOptions): AsyncIterable<CorpDataChunk<M>>;

  /** sync, leavers and isActive of this corp's config. */
  get settings(): CorpSettings {
    this.loadedSettings ??= readCorpSettings(this.requireConfig());
    return this.loadedSettings;
  }

  get isActive(): boolean {
    return this.settings.isActive;
  }

  /** The key of this corp's rows in the family tables (JitAi's corpFullName). */
  get corpFullName(): string {
    return this.fullName;
  }

  /** The organisation's own id, for summaries (a DingTalk corp: its corpId). */
  get orgId(): string | null {
    return null;
  }

  /** The family's tables (`corps.models.OrgModel`). */
  get orgModel(): OrgModel {
    return this.app.getElement<OrgModel>(ORG_MODEL);
  }

  // -- the family's methods ------------------------------------------------------------------

  /**
   * Brings the organisation into the database and binds members to local users by this corp's rules
   * (see docs/org-sync.md). A dry run writes nothing. CORP_NOT_CONFIGURED for a switched-off corp;
   * SYNC_IN_PROGRESS when this corp is being synced already.
   */
  async syncCorp(options: SyncOptions = {}): Promise<SyncSummary> {
    this.assertActive();
    if (options.dryRun !== true) await this.beforeSync();
    return runOrgSync(this.syncContext(), options);
  }

  /** A page of the members as the database has them, by userid, with their departments. */
  async getLocalCorpData(options: { offset?: number; limit?: number } = {}): Promise<LocalCorpPage> {
    const offset = pageNumber(options.offset ?? 0, 'offset', 0);
    const limit = pageNumber(options.limit ?? 100, 'limit', 1, 1000);
    const counts = await this.orgModel.countMembers(this.corpFullName);
    const rows = await this.orgModel.pageMembers(this.corpFullName, { offset, limit });
    const departments = await this.orgModel.departmentsOf(this.corpFullName, rows.map((r) => r.userid));
    return {
      offset,
      limit,
      total: counts.active + counts.left + counts.offline,
      members: rows.map((row) => ({
        userid: row.userid,
        name: row.name,
        unionId: row.unionId,
        status: row.status,
        userId: row.localUserId,
        leftAt: row.leftAt,
        deptIds: departments.get(row.userid) ?? [],
      })),
    };
  }

  /** The root department: by default as the last sync stored it (the department without a parent). */
  async getRootDept(): Promise<CorpDepartment | null> {
    const root = (await this.orgModel.listDepartments(this.corpFullName)).find((d) => d.parentId === null);
    return root ? { deptId: root.deptId, name: root.name, parentId: null, order: root.order } : null;
  }

  /** This corp's config (no secret) plus its root department. */
  async getCorpInfo(): Promise<CorpInfo> {
    return { fullName: this.fullName, title: this.title, corpFullName: this.corpFullName, orgId: this.orgId, settings: this.settings, rootDept: await this.getRootDept() };
  }

  /**
   * Ends members' memberships by hand ("offline"): their bindings are marked left, the sessions
   * through them revoked, and the accounts we provisioned that have no binding left are disabled.
   * Sticky: a sync does not undo it (it lists them as offline); `restoreMember` does. NOT_FOUND for a
   * userid the corp does not know; a member already offline is skipped (null in the result).
   */
  async offlineMember(userids: string | readonly string[]): Promise<Array<EndedMembership | null>> {
    const list = typeof userids === 'string' ? [userids] : [...userids];
    if (list.length === 0 || list.some((u) => typeof u !== 'string' || u.trim() === '')) {
      throw new JitError('BAD_REQUEST', 'offlineMember takes a userid or a list of userids (non-empty strings)');
    }
    const ctx = this.syncContext();
    const results: Array<EndedMembership | null> = [];
    for (const userid of list) {
      const known = (await this.orgModel.findMember(this.corpFullName, userid)) ?? (await this.app.db.run((m) => this.findBinding(userid, m)));
      if (!known) throw new JitError('NOT_FOUND', `${this.fullName} has no member ${userid}`, { corp: this.fullName, userid });
      results.push(await endMembership(ctx, userid, 'offline', new Date()));
    }
    return results;
  }

  /** Undoes offlineMember (or a recorded leave): the same membership, binding and user again. */
  restoreMember(userid: string): Promise<RestoredMembership> {
    return restoreMembership(this.syncContext(), userid);
  }

  /** Last run, counts, ended memberships and the accounts kept for an operator (`jit org status`). */
  async getStatus(options: { limit?: number } = {}): Promise<CorpStatus> {
    const limit = options.limit ?? 100;
    const model = this.orgModel;
    const [run, counts, departments, left, offline, events] = await Promise.all([
      model.lastRun(this.corpFullName),
      model.countMembers(this.corpFullName),
      model.listDepartments(this.corpFullName),
      model.pageMembers(this.corpFullName, { status: 'left', limit }),
      model.pageMembers(this.corpFullName, { status: 'offline', limit }),
      readEventsStatus(model, this.corpFullName, { enabled: this.settings.sync.events }),
    ]);
    const brief = (row: CorpMemberRow) => ({ userid: row.userid, name: row.name, leftAt: row.leftAt, userId: row.localUserId });
    const unmanagedLeavers: CorpStatus['unmanagedLeavers'] = [];
    for (const row of left) {
      const user = row.localUserId ? await this.app.users.findById(row.localUserId) : null;
      if (user && !isProvisioned(user)) unmanagedLeavers.push({ userid: row.userid, name: row.name, userId: user.id, username: user.username, disabled: user.disabled });
    }
    return {
      corp: this.fullName,
      orgId: this.orgId,
      isActive: this.isActive,
      intervalMinutes: this.settings.sync.intervalMinutes,
      lastRun: run ? { id: run.id, dryRun: run.dryRun, startedAt: run.startedAt, finishedAt: run.finishedAt, outcome: run.outcome, message: run.message, counts: run.counts ? JSON.parse(run.counts) : null } : null,
      members: counts,
      departments: { total: departments.length, removed: departments.filter((d) => d.removedAt != null).length },
      left: left.map(brief),
      offline: offline.map(brief),
      unmanagedLeavers,
      events,
    };
  }

  // -- live events -----------------------------------------------------------------------------

  /** Whether this Type has a live source of organisation changes (`watchEvents`). */
  get supportsEvents(): boolean {
    return false;
  }

  /**
   * Starts applying the organisation's live changes as they happen (`jit serve` for corps with
   * `sync.events`, `jit org watch`). Call `start()` on the result, and `stop()` before the app closes.
   * A Type without a live source (the default) says so: sync it on a schedule instead.
   */
  watchEvents(_options: WatchEventsOptions = {}): CorpEventWatcher {
    throw new JitError('BAD_REQUEST', `${this.fullName} cannot watch live events: its Type has no live source of organisation changes; sync it on a schedule (sync.intervalMinutes)`, {
      corp: this.fullName,
    });
  }

  /**
   * Applies one live change (already read from the source) once per event id: in one transaction
   * with the event's record, by the same rules as a sync. See events/apply-live-change.ts.
   */
  applyLiveChange(change: LiveChange<M>): Promise<LiveChangeOutcome> {
    return applyLiveChange(this.syncContext(), change);
  }

  /** Records an event that can never be applied (with the code why), once per event id. */
  recordLiveChangeNotApplied(event: Pick<LiveChange, 'eventId' | 'eventType' | 'bornAt'>, code: string, message: string): Promise<'recorded' | 'duplicate'> {
    return recordNotApplied(this.syncContext(), event, code, message);
  }

  // -- binding hooks: defaults for a Type that keeps no binding store of its own ----------------

  /** The member's local user as the membership row has it. */
  async findBinding(userid: string, manager: EntityManager): Promise<MemberBinding | null> {
    const row = await this.orgModel.findMember(this.corpFullName, userid, manager);
    return row?.localUserId ? { id: null, userId: row.localUserId, leftAt: null } : null;
  }

  async listBindings(): Promise<Map<string, MemberBinding>> {
    const rows = await this.orgModel.listMembers(this.corpFullName);
    return new Map(rows.filter((r) => r.localUserId).map((r) => [r.userid, { id: null, userId: r.localUserId!, leftAt: null }]));
  }

  /** By default every new member gets a new local user (source `sync:<corp>`); override to match existing ones. */
  async bind(member: M, manager: EntityManager, planOnly: boolean): Promise<BindDecision> {
    if (planOnly) return { kind: 'created' };
    const user = await this.createLocalUser(member, this.userFields(member, null), manager);
    return { kind: 'created', user, binding: { id: null, userId: user.id, leftAt: null } };
  }

  bindingChanges(_member: M, _binding: MemberBinding): BindingChanges | null {
    return null;
  }

  async writeBindingChanges(_binding: MemberBinding, _patch: unknown, _manager: EntityManager): Promise<void> {
    // No binding store of its own: nothing beyond the membership row.
  }

  /** The profile fields a member record gives a user this corp owns (by default the name). */
  userFields(member: M, _user: LocalUser | null): UserPatch {
    return typeof member.name === 'string' && member.name.trim() !== '' ? { displayName: member.name.trim() } : {};
  }

  /** Users this corp created (its sync's source). */
  ownsProfileOf(user: LocalUser): boolean {
    return user.source === this.provisioningSource;
  }

  async setBindingLeft(_binding: MemberBinding, _at: Date | null, _manager: EntityManager): Promise<void> {
    // The membership row's status says it.
  }

  /**
   * Active memberships of the user in every corp (but the one ending) and active DingTalk bindings
   * (but the one ending): a login or corp through which the person still belongs somewhere. A Type
   * with a binding store of its own adds its count.
   */
  async countOtherActiveBindings(userId: string, except: { membershipId: string | null; bindingId: string | null }, manager: EntityManager): Promise<number> {
    const memberships = await this.orgModel.countActiveForUser(userId, except.membershipId ?? undefined, manager);
    const dingtalk = await new DDBindingStore(this.app.db).countActiveForUser(userId, except.bindingId, manager);
    return memberships + dingtalk;
  }

  async listUnrecordedBindings(_options: { after?: string; limit: number }): Promise<Array<{ userid: string; binding: MemberBinding }>> {
    return [];
  }

  // -- for subclasses ------------------------------------------------------------------------

  /** The `source` of the local users this corp's sync creates. */
  get provisioningSource(): string {
    return `sync:${this.fullName}`;
  }

  /** What the engine and the membership rules work with; built here, from this element's pieces. */
  protected syncContext(): SyncContext<M> {
    return { app: this.app, hooks: this, orgModel: this.orgModel, corpFullName: this.corpFullName, disableUnmanaged: this.settings.leavers.disableUnmanaged };
  }

  /** Runs before a real sync (e.g. adopting rows kept under another key). */
  protected async beforeSync(): Promise<void> {
    // nothing by default
  }

  /** A new local user for a member: named after the userid (a free name), with this corp's source. */
  protected async createLocalUser(member: M, fields: UserPatch, manager: EntityManager): Promise<LocalUser> {
    const base = member.userid.trim().replace(/[^A-Za-z0-9._-]/g, '_') || 'member';
    for (const candidate of [base, ...Array.from({ length: 20 }, (_, i) => `${base}-${i + 2}`), `${base}-${randomBytes(4).toString('hex')}`]) {
      if (await this.app.users.findByUsername(candidate, manager)) continue;
      const { disabled: _ignored, ...profile } = fields;
      return this.app.users.create({ username: candidate, ...profile, source: this.provisioningSource }, manager);
    }
    throw new JitError('INTERNAL_ERROR', `No free username for member ${member.userid}`);
  }

  protected assertActive(): void {
    if (!this.isActive) {
      throw DINGTALK_ERRORS.error('CORP_NOT_CONFIGURED', `The corp ${this.fullName} is switched off (isActive: false); switch it on to sync it`, { corp: this.fullName });
    }
  }

  private requireConfig(): Readonly<Record<string, unknown>> {
    const config = this.definition.config;
    if (!config) throw new JitError('CONFIG_INVALID', `${this.fullName} is a corps Type, not a corp: create an Instance of it (jit create corps.<name> --type ${this.fullName})`, { element: this.fullName });
    return config;
  }
}

function pageNumber(value: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new JitError('BAD_REQUEST', `${name} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`} (got ${String(value)})`);
  return value;
}
