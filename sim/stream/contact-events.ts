/**
 * The address-book (通讯录) events an org change produces, for an internal app (docs/dingtalk-facts.md §12):
 * found by comparing a corp before and after the change, so every way of changing the simulated org
 * (members, departments, and whatever is added later) pushes what DingTalk would. Events carry ids
 * only, as DingTalk's do; `user_modify_org` adds its `diffInfo`.
 */
import type { SimCorp, SimDepartment, SimOrgUser } from '../types';
import type { SimContactEventType } from './types';

export interface ContactChange {
  eventType: SimContactEventType;
  data: Record<string, unknown>;
}

/**
 * Member fields that are the person's own, not the organisation's: changing them raises no
 * `user_modify_org` ("not personal avatar/nickname/DingTalk id", §3). `admin` and `active` have
 * events of their own.
 */
const NOT_ORG_PROFILE = new Set(['avatar', 'personal_email', 'admin', 'active']);

/**
 * The fields `diffInfo.prev` / `diffInfo.curr` may carry (the doc's sample and field list, camelCase),
 * with the member record field each comes from. Only fields the member has are included.
 */
const DIFF_FIELDS: ReadonlyArray<[source: string, name: string]> = [
  ['name', 'name'],
  ['email', 'email'],
  ['telephone', 'telephone'],
  ['job_number', 'jobNumber'],
  ['work_place', 'workPlace'],
  ['remark', 'remark'],
  ['manager_userid', 'managerUserid'],
  ['hired_date', 'hiredDate'],
];

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

export function contactEventsBetween(before: SimCorp, after: SimCorp, now: number): ContactChange[] {
  const timeStamp = String(now);
  const events: ContactChange[] = [];
  const depts = compareById(before.departments, after.departments, (d) => d.dept_id);
  const users = compareById(before.users, after.users, (u) => u.userid);

  // Departments are created before members join them and removed after members leave them.
  if (depts.added.length > 0) events.push({ eventType: 'org_dept_create', data: { deptId: depts.added.map((d) => d.dept_id) } });
  if (users.added.length > 0) events.push({ eventType: 'user_add_org', data: { timeStamp, userId: users.added.map((u) => u.userid) } });

  const adminAdded: string[] = [];
  const adminRemoved: string[] = [];
  const activated: string[] = [];
  for (const [prev, curr] of users.kept) {
    if (orgProfileChanged(prev, curr)) {
      events.push({
        eventType: 'user_modify_org',
        data: { timeStamp, diffInfo: { prev: diffSnapshot(prev), curr: diffSnapshot(curr), userid: curr.userid }, userId: [curr.userid] },
      });
    }
    if (Boolean(prev.admin) !== Boolean(curr.admin)) (curr.admin ? adminAdded : adminRemoved).push(curr.userid);
    // DingTalk's default is active (member-view.ts); activation is the step from not active to active.
    if ((prev.active ?? true) === false && (curr.active ?? true) === true) activated.push(curr.userid);
  }
  if (adminAdded.length > 0) events.push({ eventType: 'org_admin_add', data: { timeStamp, userId: adminAdded } });
  if (adminRemoved.length > 0) events.push({ eventType: 'org_admin_remove', data: { timeStamp, userId: adminRemoved } });
  // user_active_org carries userId only (§3).
  if (activated.length > 0) events.push({ eventType: 'user_active_org', data: { userId: activated } });

  if (users.removed.length > 0) events.push({ eventType: 'user_leave_org', data: { timeStamp, userId: users.removed.map((u) => u.userid) } });
  const modified = depts.kept.filter(([prev, curr]) => !sameDepartment(prev, curr)).map(([, curr]) => curr.dept_id);
  if (modified.length > 0) events.push({ eventType: 'org_dept_modify', data: { deptId: modified } });
  if (depts.removed.length > 0) events.push({ eventType: 'org_dept_remove', data: { deptId: depts.removed.map((d) => d.dept_id) } });
  return events;
}

function compareById<T, K>(before: T[], after: T[], idOf: (item: T) => K): { added: T[]; removed: T[]; kept: Array<[T, T]> } {
  const previous = new Map(before.map((item) => [idOf(item), item]));
  const added: T[] = [];
  const kept: Array<[T, T]> = [];
  for (const item of after) {
    const prev = previous.get(idOf(item));
    if (prev === undefined) added.push(item);
    else {
      kept.push([prev, item]);
      previous.delete(idOf(item));
    }
  }
  return { added, removed: [...previous.values()], kept };
}

function orgProfileChanged(prev: SimOrgUser, curr: SimOrgUser): boolean {
  const a = prev as unknown as Record<string, unknown>;
  const b = curr as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (NOT_ORG_PROFILE.has(key)) continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return true;
  }
  return false;
}

function diffSnapshot(user: SimOrgUser): Record<string, string> {
  const record = user as unknown as Record<string, unknown>;
  const snapshot: Record<string, string> = {};
  for (const [source, name] of DIFF_FIELDS) {
    const value = record[source];
    if (value === undefined || value === null || value === '') continue;
    // The doc's sample shows hiredDate as a date ("20xx-xx-xx"); the record keeps Unix ms (China time).
    snapshot[name] = source === 'hired_date' && typeof value === 'number' ? new Date(value + CHINA_OFFSET_MS).toISOString().slice(0, 10) : String(value);
  }
  return snapshot;
}

function sameDepartment(a: SimDepartment, b: SimDepartment): boolean {
  return a.name === b.name && a.parent_id === b.parent_id && (a.order ?? 0) === (b.order ?? 0);
}
