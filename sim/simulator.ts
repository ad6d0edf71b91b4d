/**
 * The simulated DingTalk: org data, clock, tokens, one-time codes, faults and counters, plus the
 * operations tests and the admin routes drive. The HTTP layer (server.ts) is a thin shell over it.
 */
import { performance } from 'node:perf_hooks';
import { AdminAccess } from './admin-access';
import { CallRates } from './call-rates';
import { CallCounters } from './counters';
import { SimClock } from './clock';
import { CodeStore } from './codes';
import { OrgDirectory } from './directory';
import { FaultInjector } from './faults';
import { validateOrg } from './org';
import { PageOrigins } from './page-origins';
import { DEFAULT_QPS, QpsLimit } from './qps-limit';
import { randomSeed, seededRandom } from './random';
import { StreamHub } from './stream/hub';
import type { SimStreamOptions } from './stream/types';
import { TokenStore } from './tokens';
import type { SimCallRates, SimDepartment, SimDepartmentPatch, SimEndpoint, SimFault, SimOrg, SimOrgUser } from './types';

/** How a simulator behaves beyond its org (see SimulatorOptions for each). */
export interface SimulatorSettings {
  latencyMs?: number;
  seed?: number;
  qps?: number | 'off';
  adminToken?: string;
  pageOrigins?: readonly string[];
  rateClock?: () => number;
  stream?: SimStreamOptions;
}

/** The member fields a test may change while the simulator runs (userid and unionid are identity). */
export type SimMemberPatch = Partial<Omit<SimOrgUser, 'userid' | 'unionid'>>;

/** What `GET /__sim/org` tells: who one can log in as; no secrets. */
export interface SimOrgSummary {
  corps: Array<{ corpId: string; name: string; apps: Array<{ appKey: string; agentId: number }> }>;
  members: Array<{ corpId: string; userid: string; unionid: string; name: string; mobile?: string; external?: true }>;
  outsiders: Array<{ unionid: string; name: string }>;
}

export class Simulator {
  readonly clock = new SimClock();
  readonly tokens = new TokenStore(this.clock);
  readonly codes = new CodeStore(this.clock);
  readonly faults: FaultInjector;
  readonly calls = new CallCounters();
  /** Stream mode: tickets, connections, event delivery (sim/stream/hub.ts). */
  readonly stream: StreamHub;
  readonly rates: CallRates;
  readonly qpsLimit: QpsLimit;
  readonly admin: AdminAccess;
  readonly pageOrigins: PageOrigins;
  /** Added to every DingTalk API call. */
  readonly latencyMs: number;

  private currentOrg: SimOrg;
  private currentDirectory: OrgDirectory;

  constructor(org: SimOrg, settings: SimulatorSettings = {}) {
    this.currentOrg = org;
    this.currentDirectory = new OrgDirectory(org);
    this.latencyMs = settings.latencyMs ?? 0;
    this.faults = new FaultInjector(seededRandom(settings.seed ?? randomSeed()));
    const now = settings.rateClock ?? (() => performance.now());
    this.qpsLimit = new QpsLimit(settings.qps ?? DEFAULT_QPS, now);
    this.rates = new CallRates(now);
    this.admin = new AdminAccess(settings.adminToken);
    this.pageOrigins = new PageOrigins(settings.pageOrigins);
    const appsOfCorp = (corpId: string) => this.directory.corp(corpId)?.apps.map((app) => app.appKey) ?? [];
    this.stream = new StreamHub(this.clock, appsOfCorp, seededRandom((settings.seed ?? randomSeed()) ^ 0x5eed), settings.stream ?? {});
  }

  /** The org the simulator answers from. Change it only through the methods below. */
  get org(): SimOrg {
    return this.currentOrg;
  }

  get directory(): OrgDirectory {
    return this.currentDirectory;
  }

  /**
   * Changes a member's record (profile refresh tests); the next API call sees the change. A field
   * set to undefined is removed, as DingTalk omits empty optional fields.
   */
  updateMember(corpId: string, userid: string, patch: SimMemberPatch): void {
    this.changeOrg(`updateMember(${userid})`, (draft) => {
      const member = findMember(draft, corpId, userid) as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(patch)) {
        if (value === undefined) delete member[field];
        else member[field] = value;
      }
    });
  }

  /** Removes a member from a corp (a leaver); the person's DingTalk account stays. */
  removeMember(corpId: string, userid: string): void {
    this.changeOrg(`removeMember(${userid})`, (draft) => {
      const corp = findCorp(draft, corpId);
      findMember(draft, corpId, userid);
      corp.users = corp.users.filter((user) => user.userid !== userid);
    });
  }

  /** Adds a member to a corp (a joiner). */
  addMember(corpId: string, member: SimOrgUser): void {
    this.changeOrg(`addMember(${member.userid})`, (draft) => {
      findCorp(draft, corpId).users.push(structuredClone(member));
    });
  }

  /** Creates a department (a new dept_id under an existing parent). */
  addDepartment(corpId: string, department: SimDepartment): void {
    this.changeOrg(`addDepartment(${department?.dept_id})`, (draft) => {
      const corp = findCorp(draft, corpId);
      if (corp.departments.some((d) => d.dept_id === department.dept_id)) throw new RangeError(`department ${department.dept_id} already exists in corp ${corpId}`);
      corp.departments.push(structuredClone(department));
    });
  }

  /** Renames or moves a department; a field set to undefined is removed. */
  updateDepartment(corpId: string, deptId: number, patch: SimDepartmentPatch): void {
    this.changeOrg(`updateDepartment(${deptId})`, (draft) => {
      const dept = findDepartment(draft, corpId, deptId) as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(patch)) {
        if (field === 'dept_id') throw new RangeError('dept_id: a department keeps its id');
        if (value === undefined) delete dept[field];
        else dept[field] = value;
      }
    });
  }

  /** Removes a department; as in DingTalk's console, only an empty one (no members, no sub-departments). */
  removeDepartment(corpId: string, deptId: number): void {
    this.changeOrg(`removeDepartment(${deptId})`, (draft) => {
      const corp = findCorp(draft, corpId);
      findDepartment(draft, corpId, deptId);
      if (deptId === 1) throw new RangeError('the root department (dept_id 1) cannot be removed');
      if (corp.departments.some((d) => d.parent_id === deptId && d.dept_id !== 1)) throw new RangeError(`department ${deptId} has sub-departments; remove or move them first`);
      if (corp.users.some((u) => u.dept_id_list.includes(deptId))) throw new RangeError(`department ${deptId} has members; move them first`);
      corp.departments = corp.departments.filter((d) => d.dept_id !== deptId);
    });
  }

  /**
   * Every org change is made on a copy, validated like an org file (so a change can't leave the
   * simulator inconsistent), then swapped in with freshly built indexes; Stream mode then pushes the
   * contact events the change amounts to.
   */
  private changeOrg(what: string, mutate: (draft: SimOrg) => void): void {
    const previous = this.currentOrg;
    const draft = structuredClone(previous);
    mutate(draft);
    const next = validateOrg(draft, what);
    this.currentDirectory = new OrgDirectory(next);
    this.currentOrg = next;
    this.stream.orgChanged(previous, next);
  }

  /** A 免登 code for a member (or an external contact) of corpId; throws a RangeError for an unknown corp or member. */
  mintWorkbenchCode(corpId: string, userid: string): string {
    if (!this.directory.corp(corpId)) throw new RangeError(`no corp "${corpId}" in the simulator's org`);
    if (!this.directory.member(corpId, userid)) throw new RangeError(`no member "${userid}" in corp ${corpId}`);
    return this.codes.mintWorkbench(corpId, userid);
  }

  /** A QR/OAuth authCode as if the person scanned and consented; corpId = the org picked under
   *  scope `openid corpid` (omit for scope `openid`). Throws a RangeError for unknown ids. */
  mintQrCode(appKey: string, unionid: string, options: { corpId?: string } = {}): string {
    if (!this.directory.app(appKey)) throw new RangeError(`no app with appKey "${appKey}" in the simulator's org`);
    if (!this.directory.person(unionid)) throw new RangeError(`no DingTalk account with unionid "${unionid}" in the simulator's org`);
    if (options.corpId !== undefined && !this.directory.corp(options.corpId)) throw new RangeError(`no corp "${options.corpId}" in the simulator's org`);
    return this.codes.mintQr(appKey, unionid, options.corpId);
  }

  counters(): Record<SimEndpoint, number> {
    return this.calls.snapshot();
  }

  callRates(): SimCallRates {
    return { qps: this.qpsLimit.qps, ...this.rates.snapshot() };
  }

  resetCounters(): void {
    this.calls.reset();
    this.rates.reset();
  }

  injectFault(fault: SimFault): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  revokeTokens(): void {
    this.tokens.revokeAll();
  }

  advanceClock(ms: number): void {
    this.clock.advance(ms);
  }

  summary(): SimOrgSummary {
    return {
      corps: this.org.corps.map((c) => ({ corpId: c.corpId, name: c.name, apps: c.apps.map((a) => ({ appKey: a.appKey, agentId: a.agentId })) })),
      members: this.org.corps.flatMap((c) =>
        c.users.map((u) => ({
          corpId: c.corpId,
          userid: u.userid,
          unionid: u.unionid,
          name: u.name,
          ...(u.mobile ? { mobile: u.mobile } : {}),
          ...(u.external ? { external: true as const } : {}),
        })),
      ),
      outsiders: (this.org.outsiders ?? []).map((o) => ({ unionid: o.unionid, name: o.name })),
    };
  }
}

function findCorp(org: SimOrg, corpId: string) {
  const corp = org.corps.find((c) => c.corpId === corpId);
  if (!corp) throw new RangeError(`no corp "${corpId}" in the simulator's org`);
  return corp;
}

function findDepartment(org: SimOrg, corpId: string, deptId: number): SimDepartment {
  const dept = findCorp(org, corpId).departments.find((d) => d.dept_id === deptId);
  if (!dept) throw new RangeError(`no department ${deptId} in corp ${corpId}`);
  return dept;
}

function findMember(org: SimOrg, corpId: string, userid: string): SimOrgUser {
  const member = findCorp(org, corpId).users.find((user) => user.userid === userid);
  if (!member) throw new RangeError(`no member "${userid}" in corp ${corpId}`);
  return member;
}
