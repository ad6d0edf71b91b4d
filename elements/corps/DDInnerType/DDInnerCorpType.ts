/**
 * corps.DDInnerType: a DingTalk organisation as a corp. An instance names the DingTalk login whose
 * organisation it keeps (`authFullName`: its credentials, client, binding rules and binding store),
 * or, for an organisation synced without DingTalk login, brings its own `authConfig` (and `binding`):
 *
 *   corps/acme/e.json      { "title": "Acme", "type": "corps.DDInnerType" }
 *   corps/acme/acme.json   { "authFullName": "auths.loginTypes.acmeLogin",
 *                            "sync": { "intervalMinutes": 60 }, "leavers": { "disableUnmanaged": false } }
 *
 * Members are bound as the login binds them (corpId + DingTalk userid, in dd_inner_auth), so a synced
 * member who logs in later lands on the same user, and a member's leaving ends exactly the bindings
 * and sessions of this organisation (see ../CorpType.ts and ../membership/).
 *
 * Upgrading apps: a login config that still carries `sync` is synced through an *implied* corp of
 * this Type (`impliedCorpFor(login)`) until `jit create corps.<name> --type corps.DDInnerType
 * --auth <login>` makes the real one; its rows are kept under `dingtalk:<corpId>`, which the real
 * corp adopts on its first sync (as it adopts what org sync kept per corpId before the corps family).
 */
import { In, type EntityManager } from 'typeorm';
import * as path from 'node:path';
import { type ElementContext, type ElementDefinition, type LocalUser, JitError, withConfigDefaults } from '../../../runtime';
import { DINGTALK_ERRORS, DINGTALK_PAGE_CODES } from '../../../dingtalk/error-codes';
import { DINGTALK_REASONS } from '../../../dingtalk/client/reasons';
import { CORPS_ERRORS } from '../error-codes';
import { DINGTALK_AUTH_MODEL } from '../../../dingtalk/login-type';
import { readAuthConfig, type AuthConfig } from '../../../dingtalk/auth-config';
import type { BindingContext } from '../../../dingtalk/binding/binding-context';
import { DDBindingEntity, type BindingStore, type DDBindingProfile, type DDBindingRow } from '../../../dingtalk/binding/binding-store';
import { readBindingPolicy, type BindingPolicy } from '../../../dingtalk/binding/policy';
import type { DDInnerClientApi, DDMember } from '../../../dingtalk/client/types';
import { bindingProfile, changedProfileFields, newUserFromMember } from '../../../dingtalk/profile';
import { CorpType } from '../CorpType';
import { resolveCorp } from '../resolve-corp';
import type { BindDecision, BindingChanges, CorpDataChunk, CorpDataOptions, CorpDepartment, MemberBinding, UserPatch } from '../sync/hooks';
import type { DingTalkWatchOptions } from './events/stream-watcher';
import { DingTalkStreamWatcher } from './events/stream-watcher';
import type { CorpEventWatcher } from '../events/corp-watcher';
import { bindMember, bindMembers, type BulkBindOutcome } from './bind-member';
import { createCorpClient } from './corp-client';
import { readDingTalkOrg } from './dingtalk-org';
import { DINGTALK_LOGIN_TYPE, type DingTalkLogin } from './login-reference';
import { ROOT_DEPT_ID } from './walk-departments';

export const DD_CORP_TYPE = 'corps.DDInnerType';
/** The model element of DingTalk bindings when the corp names no login (the platform app's). */
const DEFAULT_BINDING_MODEL = DINGTALK_AUTH_MODEL;
/** e.json marker of an implied corp: the login whose legacy `sync` it stands for. */
const IMPLIED_BY = 'x-impliedBy';
/** This Type's config schema (e.json `configSchema`): an implied corp's config gets its defaults too. */
const CORP_SCHEMA_FILE = path.resolve(__dirname, '..', '..', '..', 'schemas', 'corps.DDInnerType.config.json');

/** The rows kept for DingTalk organisation `corpId` outside any corp (by org sync before the corps family, or an implied corp). */
export function dingtalkOrgKey(corpId: string): string {
  return `dingtalk:${corpId}`;
}

export class DDInnerCorpType extends CorpType<DDMember> {
  private client?: DDInnerClientApi;
  private rootDept?: Promise<CorpDepartment>;
  private readonly implied: Map<string, { definition: ElementDefinition; corp: DDInnerCorpType }> = new Map();

  // -- what the corp is built on -------------------------------------------------------------

  /** fullName of the login this corp names, or null when it brings its own authConfig. */
  get authFullName(): string | null {
    const name = this.definition.config?.authFullName;
    return typeof name === 'string' ? name : null;
  }

  /** The login it names (null: its own authConfig). ELEMENT_INVALID when that login cannot load. */
  get login(): DingTalkLogin | null {
    return this.authFullName ? this.app.getElement<DingTalkLogin>(this.authFullName) : null;
  }

  /** The DingTalk app credentials (the login's, or its own). Frozen; the secret is non-enumerable. */
  get authConfig(): Readonly<AuthConfig> {
    return this.login?.instanceConfig.authConfig ?? readAuthConfig(this.definition.config?.authConfig);
  }

  /** The binding rules its members are bound by: the login's, or its own `binding`. */
  get bindingPolicy(): Readonly<BindingPolicy> {
    return this.login?.instanceConfig.binding ?? readBindingPolicy(this.definition.config?.binding);
  }

  get corpId(): string {
    return this.authConfig.corpId;
  }

  override get orgId(): string {
    return this.corpId;
  }

  /** The login an implied corp stands for (a login config still carrying `sync`), else null. */
  get impliedBy(): string | null {
    const by = this.definition.eJson[IMPLIED_BY];
    return typeof by === 'string' ? by : null;
  }

  override get corpFullName(): string {
    return this.impliedBy ? dingtalkOrgKey(this.corpId) : this.fullName;
  }

  override get isActive(): boolean {
    // An implied corp lives as long as its login does.
    return this.impliedBy ? this.settings.isActive && this.login!.instanceConfig.isActive : this.settings.isActive;
  }

  /** The login's API client (its token cache and budget), or one of its own from its own authConfig. */
  getClient(): DDInnerClientApi {
    const login = this.login;
    if (login) return login.getClient();
    this.client ??= createCorpClient(this.app, this.fullName, this.authConfig, (this.definition.config?.dingtalk as { qps: number }).qps);
    return this.client;
  }

  // -- the family's methods ------------------------------------------------------------------

  getThirdCorpData(options: CorpDataOptions = {}): AsyncIterable<CorpDataChunk<DDMember>> {
    // Org reads wait behind logins in the app's DingTalk budget (the sync lane).
    return readDingTalkOrg(this.getClient().inLane('sync'), options);
  }

  /** The root department's own record (`topapi/v2/department/get`), read once per element. */
  override getRootDept(): Promise<CorpDepartment> {
    this.rootDept ??= this.getClient()
      .inLane('sync')
      .getDepartment(ROOT_DEPT_ID)
      .then((d) => ({ deptId: d.dept_id, name: d.name, parentId: null, order: d.order ?? null }));
    // A failed read is not kept: the next call asks again.
    this.rootDept.catch(() => (this.rootDept = undefined));
    return this.rootDept;
  }

  override async getCorpInfo() {
    return { ...(await super.getCorpInfo()), corpId: this.corpId, authFullName: this.authFullName, appKey: this.authConfig.appKey, agentId: this.authConfig.agentId };
  }

  // -- live events -------------------------------------------------------------------------------

  override get supportsEvents(): boolean {
    return true;
  }

  /**
   * One DingTalk Stream connection for this corp (the credentials of its client: the login it names,
   * or its own authConfig): each contact event applied once, a catch-up sync at start and after a
   * long gap. See events/stream-watcher.ts and docs/org-sync.md.
   */
  override watchEvents(options: DingTalkWatchOptions = {}): CorpEventWatcher {
    this.assertActive();
    return new DingTalkStreamWatcher(this.app, this, options);
  }

  /**
   * The implied corp of a login that still carries `sync` (upgrading apps keep working): a corp of
   * this Type named after the login, whose rows are kept under `dingtalk:<corpId>`. Called on the Type
   * element (`app.getElement('corps.DDInnerType')`); null when the login carries no `sync`.
   */
  impliedCorpFor(loginFullName: string): DDInnerCorpType | null {
    const login = this.app.getDefinition(loginFullName);
    const sync = login?.config?.sync;
    if (!login || !login.valid || login.level !== 'instance' || !login.typeChain.includes(DINGTALK_LOGIN_TYPE) || !sync || typeof sync !== 'object') return null;
    // A real corp of the same organisation makes it: one corp per DingTalk organisation.
    const corpId = (login.config?.authConfig as { corpId?: unknown } | undefined)?.corpId;
    if (this.app.findElements({ type: DD_CORP_TYPE, level: 'instance' }).some((c) => c.config?.authFullName === loginFullName || (c.config?.authConfig as { corpId?: unknown } | undefined)?.corpId === corpId)) return null;
    const cached = this.implied.get(loginFullName);
    if (cached?.definition === login) return cached.corp;
    const self = this.app.getDefinition(DD_CORP_TYPE)!;
    const definition: ElementDefinition = Object.freeze({
      ...self,
      fullName: loginFullName,
      title: `${login.title} (implied corp)`,
      type: DD_CORP_TYPE,
      level: 'instance' as const,
      typeChain: [DD_CORP_TYPE, ...self.typeChain],
      eJson: Object.freeze({ ...self.eJson, [IMPLIED_BY]: loginFullName }),
      config: Object.freeze(withConfigDefaults(CORP_SCHEMA_FILE, { authFullName: loginFullName, sync })),
      configFile: login.configFile,
      references: [{ pointer: '/authFullName', target: loginFullName, type: DINGTALK_LOGIN_TYPE }],
    });
    const Corp = this.constructor as new (context: ElementContext) => DDInnerCorpType;
    const corp = new Corp({ definition, app: this.app });
    this.implied.set(loginFullName, { definition: login, corp });
    return corp;
  }

  /**
   * The corp that syncs a login's organisation: the corp naming it, or its implied corp; null when
   * neither exists. (For the login's deprecated `syncOrganization`, which reaches this by name.)
   */
  corpForLogin(loginFullName: string): CorpType | null {
    const resolved = resolveCorp(this.app, loginFullName);
    if (resolved?.via === 'implied') this.app.logger.warn(resolved.note!, { instance: loginFullName });
    return resolved?.corp ?? null;
  }

  // -- binding hooks: DingTalk bindings (dd_inner_auth) --------------------------------------

  /** The binding store: the login's DDInnerAuthModel element, or the platform's. */
  get bindingStore(): BindingStore {
    return this.app.getElement<BindingStore>(this.login?.authModelElemName ?? DEFAULT_BINDING_MODEL);
  }

  override async findBinding(userid: string, manager: EntityManager): Promise<MemberBinding | null> {
    return this.bindingStore.findByMember(this.corpId, userid, manager);
  }

  override async listBindings(): Promise<Map<string, MemberBinding>> {
    const rows = await this.bindingStore.list({ corpId: this.corpId });
    return new Map(rows.map((row) => [row.thirdUserId, row]));
  }

  override bind(member: DDMember, manager: EntityManager, planOnly: boolean): Promise<BindDecision> {
    return bindMember(this.bindingContext(), member, manager, planOnly, this.provisioningSource);
  }

  /** The bindings of a sync's chunk, in one query per 500 (the dd_inner_auth rows every binding store keeps). */
  async findBindings(userids: readonly string[], manager: EntityManager): Promise<Map<string, MemberBinding>> {
    const result = new Map<string, MemberBinding>();
    for (let i = 0; i < userids.length; i += 500) {
      const rows = await manager.find(DDBindingEntity, { where: { thirdCorpId: this.corpId, thirdUserId: In(userids.slice(i, i + 500)) } });
      for (const row of rows) result.set(row.thirdUserId, row);
    }
    return result;
  }

  /** A sync's chunk bound in a few statements (bind-member.ts `bindMembers`): the same rules as `bind`. */
  bindMany(members: readonly DDMember[], manager: EntityManager): Promise<Map<string, BulkBindOutcome>> {
    return bindMembers(this.bindingContext(), members, manager, this.provisioningSource);
  }

  override bindingChanges(member: DDMember, binding: MemberBinding): BindingChanges | null {
    const profile = bindingProfile(member);
    const changed = changedProfileFields(binding as DDBindingRow, profile);
    return changed.length > 0 ? { changes: changed.map((field) => `binding.${field}`), patch: profile } : null;
  }

  override async writeBindingChanges(binding: MemberBinding, patch: unknown, manager: EntityManager): Promise<void> {
    await this.bindingStore.updateProfile(binding.id!, patch as DDBindingProfile, manager);
  }

  override userFields(member: DDMember, user: LocalUser | null): UserPatch {
    const wanted = newUserFromMember(member, user?.username ?? member.userid, user?.source ?? this.provisioningSource);
    return { displayName: wanted.displayName, phone: wanted.phone ?? null, email: wanted.email ?? null, employeeNo: wanted.employeeNo ?? null };
  }

  /** Users this corp's sync created, and those its login created (before the corps family, sync created them as `sync:<login>`). */
  override ownsProfileOf(user: LocalUser): boolean {
    const login = this.authFullName;
    return user.source === this.provisioningSource || (login !== null && (user.source === `sync:${login}` || user.source === `login:${login}`));
  }

  override async setBindingLeft(binding: MemberBinding, at: Date | null, manager: EntityManager): Promise<void> {
    await this.bindingStore.setLeftAt(binding.id!, at, manager);
  }

  /** Bindings of this organisation's members that no membership records (bound by a login, never listed). */
  override async listUnrecordedBindings(options: { after?: string; limit: number }): Promise<Array<{ userid: string; binding: MemberBinding }>> {
    const db = this.app.db;
    const p = (n: number) => (db.kind === 'postgres' ? `$${n}` : '?');
    const rows: Array<{ userid: string; id: string; userId: string }> = await db.run((m) =>
      m.query(
        `SELECT b."thirdUserId" AS userid, b.id AS id, b."userId" AS "userId" FROM dd_inner_auth b
         WHERE b."thirdCorpId" = ${p(1)} AND b."leftAt" IS NULL AND b."thirdUserId" > ${p(2)}
           AND NOT EXISTS (SELECT 1 FROM corp_members m WHERE m."corpFullName" = ${p(3)} AND m.userid = b."thirdUserId")
         ORDER BY b."thirdUserId" LIMIT ${Math.max(1, Math.floor(options.limit))}`,
        [this.corpId, options.after ?? '', this.corpFullName],
      ),
    );
    return rows.map((row) => ({ userid: row.userid, binding: { id: row.id, userId: row.userId, leftAt: null } }));
  }

  /** Users this corp's sync creates: `sync:<corp>` (an implied corp's: `sync:<login>`, as org sync always wrote). */
  override get provisioningSource(): string {
    return `sync:${this.fullName}`;
  }

  // -- internals -----------------------------------------------------------------------------

  /** The rows kept for this organisation outside the corp are this corp's from its first sync on. */
  protected override async beforeSync(): Promise<void> {
    if (this.impliedBy) return;
    const adopted = await this.orgModel.adopt(this.corpFullName, dingtalkOrgKey(this.corpId));
    if (adopted > 0) this.app.logger.info('corp adopted the members kept for its organisation', { corp: this.fullName, corpId: this.corpId, members: adopted });
  }

  private bindingContext(): BindingContext {
    return { app: this.app, model: this.bindingStore, instance: this.fullName, corpId: this.corpId, policy: this.bindingPolicy };
  }

  protected override assertActive(): void {
    if (this.impliedBy && !this.login!.instanceConfig.isActive) {
      throw DINGTALK_ERRORS.error('CORP_NOT_CONFIGURED', `The DingTalk login ${this.impliedBy} is switched off (isActive: false); switch it on to sync its organisation`, { instance: this.impliedBy });
    }
    super.assertActive();
  }
}

export default DDInnerCorpType;

/** The codes a DingTalk corp raises, for the app's registry: the corps family's and DingTalk's. */
export const errorCodes = Object.freeze([CORPS_ERRORS, DINGTALK_ERRORS, DINGTALK_PAGE_CODES, DINGTALK_REASONS]);
