/**
 * Org data for the simulator: load a JSON file and validate it, collecting every problem with its
 * path (`corps[0].users[3].dept_id_list`) so a broken `--org` file gets one clear line per problem.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JitError } from '../runtime/errors';
import type { SimOrg } from './types';

/** The built-in demo org (two corps, an outsider); see sim/orgs/demo.json. */
export const DEMO_ORG_FILE = path.join(__dirname, 'orgs', 'demo.json');

/** Reads and validates an org file; throws JitError CONFIG_INVALID naming the file and the problems. */
export function loadOrgFile(file: string): SimOrg {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw orgError(file, [reason]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw orgError(file, [`not valid JSON (${(err as Error).message})`]);
  }
  return validateOrg(value, file);
}

export function loadDemoOrg(): SimOrg {
  return loadOrgFile(DEMO_ORG_FILE);
}

/** Checks shape and references (department parents, member departments, unique ids). */
export function validateOrg(value: unknown, source = 'org'): SimOrg {
  const problems: string[] = [];
  const check = new Checker(problems);
  if (!isObject(value)) throw orgError(source, ['the top level must be an object with a "corps" array']);
  if (!Array.isArray(value.corps)) problems.push('corps: must be an array of corps');
  const corps = Array.isArray(value.corps) ? value.corps : [];
  const corpIds = new Set<string>();
  const appKeys = new Set<string>();
  const memberUnionIds = new Set<string>();

  corps.forEach((corp: unknown, ci: number) => {
    const at = `corps[${ci}]`;
    if (!isObject(corp)) return void problems.push(`${at}: must be an object`);
    if (check.string(corp.corpId, `${at}.corpId`)) {
      if (corpIds.has(corp.corpId as string)) problems.push(`${at}.corpId: "${corp.corpId}" appears twice`);
      corpIds.add(corp.corpId as string);
    }
    check.string(corp.name, `${at}.name`);

    if (!Array.isArray(corp.apps)) problems.push(`${at}.apps: must be an array`);
    else
      corp.apps.forEach((app: unknown, ai: number) => {
        const aat = `${at}.apps[${ai}]`;
        if (!isObject(app)) return void problems.push(`${aat}: must be an object`);
        if (check.string(app.appKey, `${aat}.appKey`)) {
          if (appKeys.has(app.appKey as string)) problems.push(`${aat}.appKey: "${app.appKey}" is used by another app`);
          appKeys.add(app.appKey as string);
        }
        check.string(app.appSecret, `${aat}.appSecret`);
        check.integer(app.agentId, `${aat}.agentId`, 1);
        if (app.permissions !== undefined && !(Array.isArray(app.permissions) && app.permissions.every((p) => typeof p === 'string')))
          problems.push(`${aat}.permissions: must be an array of permission codes (strings), or omitted for all`);
      });

    const deptIds = new Set<number>();
    const parents = new Map<number, number>();
    if (!Array.isArray(corp.departments)) problems.push(`${at}.departments: must be an array (with the root, dept_id 1)`);
    const departments = Array.isArray(corp.departments) ? corp.departments : [];
    departments.forEach((dept: unknown, di: number) => {
      const dat = `${at}.departments[${di}]`;
      if (!isObject(dept)) return void problems.push(`${dat}: must be an object`);
      if (check.integer(dept.dept_id, `${dat}.dept_id`, 1)) {
        if (deptIds.has(dept.dept_id as number)) problems.push(`${dat}.dept_id: ${dept.dept_id} appears twice`);
        deptIds.add(dept.dept_id as number);
      }
      check.string(dept.name, `${dat}.name`);
      if (check.integer(dept.parent_id, `${dat}.parent_id`, 0)) parents.set(dept.dept_id as number, dept.parent_id as number);
      if (dept.order !== undefined) check.integer(dept.order, `${dat}.order`, 0);
    });
    if (Array.isArray(corp.departments) && !deptIds.has(1)) problems.push(`${at}.departments: the root department (dept_id 1) is missing`);
    departments.forEach((dept: unknown, di: number) => {
      if (!isObject(dept) || dept.dept_id === 1 || typeof dept.parent_id !== 'number') return;
      if (!deptIds.has(dept.parent_id)) problems.push(`${at}.departments[${di}].parent_id: no department ${dept.parent_id} in this corp`);
      else if (reachesItself(dept.dept_id as number, parents)) problems.push(`${at}.departments[${di}]: its parent chain loops back to itself`);
    });

    const userIds = new Set<string>();
    const corpUnionIds = new Set<string>();
    if (!Array.isArray(corp.users)) problems.push(`${at}.users: must be an array`);
    (Array.isArray(corp.users) ? corp.users : []).forEach((user: unknown, ui: number) => {
      const uat = `${at}.users[${ui}]`;
      if (!isObject(user)) return void problems.push(`${uat}: must be an object`);
      if (check.string(user.userid, `${uat}.userid`)) {
        if (userIds.has(user.userid as string)) problems.push(`${uat}.userid: "${user.userid}" appears twice in this corp`);
        userIds.add(user.userid as string);
      }
      if (check.string(user.unionid, `${uat}.unionid`)) {
        if (corpUnionIds.has(user.unionid as string)) problems.push(`${uat}.unionid: "${user.unionid}" appears twice in this corp`);
        corpUnionIds.add(user.unionid as string);
        memberUnionIds.add(user.unionid as string);
      }
      check.string(user.name, `${uat}.name`);
      for (const field of ['mobile', 'email', 'personal_email', 'org_email', 'job_number', 'title', 'avatar', 'associated_unionid'])
        if (user[field] !== undefined) check.string(user[field], `${uat}.${field}`);
      if (user.hired_date !== undefined) check.integer(user.hired_date, `${uat}.hired_date`, 0, 'Unix milliseconds');
      for (const field of ['active', 'admin', 'external'])
        if (user[field] !== undefined && typeof user[field] !== 'boolean') problems.push(`${uat}.${field}: must be true or false`);
      // An external contact belongs to no department; an employee to at least one.
      if (!Array.isArray(user.dept_id_list) || (user.dept_id_list.length === 0 && user.external !== true))
        problems.push(`${uat}.dept_id_list: must list at least one dept_id${user.external === true ? ' (an empty list for an external contact)' : ''}`);
      else
        user.dept_id_list.forEach((id: unknown, k: number) => {
          if (typeof id !== 'number' || !deptIds.has(id)) problems.push(`${uat}.dept_id_list[${k}]: no department ${JSON.stringify(id)} in this corp`);
        });
    });
  });

  if (value.outsiders !== undefined) {
    if (!Array.isArray(value.outsiders)) problems.push('outsiders: must be an array');
    else
      value.outsiders.forEach((person: unknown, oi: number) => {
        const oat = `outsiders[${oi}]`;
        if (!isObject(person)) return void problems.push(`${oat}: must be an object`);
        if (check.string(person.unionid, `${oat}.unionid`) && memberUnionIds.has(person.unionid as string))
          problems.push(`${oat}.unionid: "${person.unionid}" is a member of a corp, so not an outsider`);
        check.string(person.name, `${oat}.name`);
        for (const field of ['email', 'mobile']) if (person[field] !== undefined) check.string(person[field], `${oat}.${field}`);
      });
  }

  if (problems.length > 0) throw orgError(source, problems);
  return value as unknown as SimOrg;
}

function orgError(source: string, problems: string[]): JitError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new JitError('CONFIG_INVALID', `${source}: ${problems[0]}${more}`, { file: source, problems });
}

function reachesItself(start: number, parents: Map<number, number>): boolean {
  const seen = new Set<number>();
  for (let id: number | undefined = start; id !== undefined && id !== 1; id = parents.get(id)) {
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  constructor(private readonly problems: string[]) {}

  string(value: unknown, at: string): boolean {
    if (typeof value === 'string' && value.length > 0) return true;
    this.problems.push(`${at}: must be a non-empty string`);
    return false;
  }

  integer(value: unknown, at: string, min: number, what = 'an integer'): boolean {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min) return true;
    this.problems.push(`${at}: must be ${what} >= ${min} (got ${JSON.stringify(value)})`);
    return false;
  }
}
