/**
 * Member detail and org sync (oapi, app token in the query; docs/dingtalk-facts.md §5, §6):
 * - `topapi/v2/user/get` {userid, language};
 * - `topapi/v2/department/listsub` {dept_id = 1}: direct child departments;
 * - `topapi/v2/department/get` {dept_id}: one department's own record (the root's too);
 * - `topapi/v2/user/list` {dept_id, cursor, size 1..100}: direct members, paged by cursor.
 */
import type { ApiRoute } from '../api';
import { OapiFailure } from '../failures';
import { memberView } from '../member-view';

const MAX_PAGE_SIZE = 100;

const userGet: ApiRoute = {
  endpoint: 'topapi/v2/user/get',
  family: 'oapi',
  method: 'POST',
  path: '/topapi/v2/user/get',
  auth: 'appToken',
  handle(ctx) {
    const userid = ctx.params.userid;
    if (typeof userid !== 'string' || userid === '') throw new OapiFailure(400002, '无效的参数: userid');
    const member = ctx.sim.directory.member(ctx.caller!.corp.corpId, userid);
    // An external contact is not an employee: user/get does not know them (DECISIONS #18).
    if (!member || member.external) throw new OapiFailure(60121);
    return { result: memberView(member) };
  },
};

const listSub: ApiRoute = {
  endpoint: 'topapi/v2/department/listsub',
  family: 'oapi',
  method: 'POST',
  path: '/topapi/v2/department/listsub',
  auth: 'appToken',
  handle(ctx) {
    // The doc presumes the root when dept_id is omitted (docs/dingtalk-facts.md §11.9).
    const deptId = ctx.params.dept_id === undefined || ctx.params.dept_id === '' ? 1 : toInteger(ctx.params.dept_id);
    if (deptId === undefined) throw new OapiFailure(400002, '无效的参数: dept_id');
    const corpId = ctx.caller!.corp.corpId;
    if (!ctx.sim.directory.department(corpId, deptId)) throw new OapiFailure(60003);
    // listsub's documented result has no `order`; children come in display order instead.
    const result = ctx.sim.directory.subDepartments(corpId, deptId).map((d) => ({
      dept_id: d.dept_id,
      name: d.name,
      parent_id: d.parent_id,
      create_dept_group: false,
      auto_add_user: false,
    }));
    return { result };
  },
};

const departmentGet: ApiRoute = {
  endpoint: 'topapi/v2/department/get',
  family: 'oapi',
  method: 'POST',
  path: '/topapi/v2/department/get',
  auth: 'appToken',
  handle(ctx) {
    const deptId = toInteger(ctx.params.dept_id);
    if (deptId === undefined) throw new OapiFailure(400002, '无效的参数: dept_id');
    const corpId = ctx.caller!.corp.corpId;
    const department = ctx.sim.directory.department(corpId, deptId);
    if (!department) throw new OapiFailure(60003);
    const memberCount = ctx.sim.directory.corp(corpId)?.users.filter((u) => u.active !== false).length ?? 0;
    return {
      result: {
        dept_id: department.dept_id,
        name: department.name,
        ...(deptId === 1 ? {} : { parent_id: department.parent_id }),
        order: department.order ?? 0,
        ...(deptId === 1 ? { member_count: memberCount } : {}),
        create_dept_group: false,
        auto_add_user: false,
      },
    };
  },
};

const userList: ApiRoute = {
  endpoint: 'topapi/v2/user/list',
  family: 'oapi',
  method: 'POST',
  path: '/topapi/v2/user/list',
  auth: 'appToken',
  handle(ctx) {
    const deptId = toInteger(ctx.params.dept_id);
    const cursor = toInteger(ctx.params.cursor);
    const size = toInteger(ctx.params.size);
    if (deptId === undefined || deptId < 1) throw new OapiFailure(40035, '不合法的参数: dept_id');
    if (cursor === undefined || cursor < 0) throw new OapiFailure(40035, '不合法的参数: cursor');
    if (size === undefined || size < 1 || size > MAX_PAGE_SIZE) throw new OapiFailure(40035, `不合法的参数: size (1-${MAX_PAGE_SIZE})`);
    const corpId = ctx.caller!.corp.corpId;
    if (!ctx.sim.directory.department(corpId, deptId)) throw new OapiFailure(60003);
    const members = ctx.sim.directory.directMembers(corpId, deptId);
    const page = members.slice(cursor, cursor + size).map((m) => ({ ...memberView(m), leader: false }));
    const hasMore = cursor + size < members.length;
    return { result: hasMore ? { has_more: true, next_cursor: cursor + size, list: page } : { has_more: false, list: page } };
  },
};

/** Form bodies carry numbers as strings; JSON may too (docs/dingtalk-facts.md §11.6). */
function toInteger(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

export const orgRoutes: ApiRoute[] = [userGet, listSub, departmentGet, userList];
