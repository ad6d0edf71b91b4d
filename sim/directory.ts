/**
 * Look-up indexes over a validated org: apps by appKey, members by userid/unionid per corp,
 * departments and their direct children/members, and people (a DingTalk account, known by unionid,
 * member of zero or more corps). Built once; the org is read-only while the simulator runs.
 */
import { createHash } from 'node:crypto';
import type { SimApp, SimCorp, SimDepartment, SimOrg, SimOrgUser } from './types';

/** A DingTalk account as `/contact/users/me` sees it: the person, not a membership. */
export interface SimPerson {
  unionid: string;
  name: string;
  mobile?: string;
  /** Personal mailbox (never the org email). */
  email: string;
  avatar?: string;
  memberships: Array<{ corpId: string; userid: string }>;
}

export interface AppEntry {
  app: SimApp;
  corp: SimCorp;
}

interface CorpIndex {
  corp: SimCorp;
  byUserid: Map<string, SimOrgUser>;
  byUnionid: Map<string, SimOrgUser>;
  departments: Map<number, SimDepartment>;
  children: Map<number, SimDepartment[]>;
  directMembers: Map<number, SimOrgUser[]>;
}

export class OrgDirectory {
  private readonly apps = new Map<string, AppEntry>();
  private readonly corps = new Map<string, CorpIndex>();
  private readonly people = new Map<string, SimPerson>();

  constructor(readonly org: SimOrg) {
    for (const corp of org.corps) {
      const index: CorpIndex = {
        corp,
        byUserid: new Map(),
        byUnionid: new Map(),
        departments: new Map(),
        children: new Map(),
        directMembers: new Map(),
      };
      for (const app of corp.apps) this.apps.set(app.appKey, { app, corp });
      for (const dept of corp.departments) {
        index.departments.set(dept.dept_id, dept);
        index.children.set(dept.dept_id, []);
        index.directMembers.set(dept.dept_id, []);
      }
      for (const dept of corp.departments) if (dept.dept_id !== 1) index.children.get(dept.parent_id)?.push(dept);
      for (const list of index.children.values()) list.sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.dept_id - b.dept_id);
      for (const user of corp.users) {
        index.byUserid.set(user.userid, user);
        index.byUnionid.set(user.unionid, user);
        // External contacts are no department's members (DingTalk lists them apart, not in user/list).
        if (!user.external) for (const deptId of user.dept_id_list) index.directMembers.get(deptId)?.push(user);
        this.addPerson(user.unionid, user.name, user.mobile, user.personal_email, user.avatar).memberships.push({ corpId: corp.corpId, userid: user.userid });
      }
      this.corps.set(corp.corpId, index);
    }
    for (const outsider of org.outsiders ?? []) this.addPerson(outsider.unionid, outsider.name, outsider.mobile, outsider.email);
  }

  app(appKey: string): AppEntry | undefined {
    return this.apps.get(appKey);
  }

  /** The app whose key and secret both match (constant-time enough for a simulator). */
  appByCredentials(appKey: unknown, appSecret: unknown): AppEntry | undefined {
    if (typeof appKey !== 'string' || typeof appSecret !== 'string') return undefined;
    const entry = this.apps.get(appKey);
    return entry && entry.app.appSecret === appSecret ? entry : undefined;
  }

  corp(corpId: string): SimCorp | undefined {
    return this.corps.get(corpId)?.corp;
  }

  /** A member or an external contact of the corp (check `external` where the two differ). */
  member(corpId: string, userid: string): SimOrgUser | undefined {
    return this.corps.get(corpId)?.byUserid.get(userid);
  }

  memberByUnionid(corpId: string, unionid: string): SimOrgUser | undefined {
    return this.corps.get(corpId)?.byUnionid.get(unionid);
  }

  department(corpId: string, deptId: number): SimDepartment | undefined {
    return this.corps.get(corpId)?.departments.get(deptId);
  }

  /** Direct child departments, in display order. */
  subDepartments(corpId: string, deptId: number): SimDepartment[] {
    return this.corps.get(corpId)?.children.get(deptId) ?? [];
  }

  /** Members whose dept_id_list holds deptId (direct members only, as DingTalk lists them). */
  directMembers(corpId: string, deptId: number): SimOrgUser[] {
    return this.corps.get(corpId)?.directMembers.get(deptId) ?? [];
  }

  person(unionid: string): SimPerson | undefined {
    return this.people.get(unionid);
  }

  allPeople(): SimPerson[] {
    return [...this.people.values()];
  }

  private addPerson(unionid: string, name: string, mobile?: string, email?: string, avatar?: string): SimPerson {
    let person = this.people.get(unionid);
    if (!person) {
      person = { unionid, name, mobile, email: email ?? derivedPersonalEmail(unionid), avatar, memberships: [] };
      this.people.set(unionid, person);
    }
    return person;
  }
}

/** A personal mailbox that no org email can equal (its domain is reserved for the simulator). */
function derivedPersonalEmail(unionid: string): string {
  return `p${createHash('sha256').update(unionid).digest('hex').slice(0, 10)}@personal.sim.invalid`;
}
