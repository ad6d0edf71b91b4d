/** Member detail and org sync: docs/dingtalk-facts.md §5 (user/get), §6 (listsub, user/list paging). */
import { generateOrg, startSimulator, type SimulatorHandle } from '../../sim';
import { appA, appToken, corpA, http, memberOf, topapi } from './helpers';
import { useSimulator } from '../helpers/simulator';

describe('against the demo org', () => {
  const sim = useSimulator();
  let token: string;
  beforeAll(async () => {
    token = await appToken(sim.apiUrl);
  });

  it('user/get returns snake_case member fields, hired_date in Unix ms', async () => {
    const zhangsan = memberOf(corpA, 'zhangsan');
    const res = await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan', language: 'zh_CN' });
    expect(res.body).toMatchObject({ errcode: 0, errmsg: 'ok', request_id: expect.any(String) });
    expect(res.body.result).toMatchObject({
      userid: 'zhangsan',
      unionid: zhangsan.unionid,
      name: zhangsan.name,
      mobile: zhangsan.mobile,
      state_code: '86',
      email: zhangsan.email,
      org_email: zhangsan.org_email,
      job_number: zhangsan.job_number,
      title: zhangsan.title,
      hired_date: zhangsan.hired_date,
      active: true,
      admin: true,
      dept_id_list: zhangsan.dept_id_list,
    });
    expect(typeof res.body.result.hired_date).toBe('number');
    expect(res.body.result.hired_date).toBeGreaterThan(1e12);
  });

  it('user/get omits empty optional fields rather than sending null', async () => {
    const res = await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'wangfang02' });
    expect(res.body.errcode).toBe(0);
    for (const field of ['email', 'org_email', 'hired_date', 'avatar']) expect(res.body.result).not.toHaveProperty(field);
    expect(Object.values(res.body.result)).not.toContain(null);
  });

  it('user/get answers 60121 for an unknown userid and 400002 without one', async () => {
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'sunqi' })).body.errcode).toBe(60121);
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, {})).body.errcode).toBe(400002);
  });

  it('listsub returns direct children only, the root by default', async () => {
    const root = await topapi(sim.oapiUrl, '/topapi/v2/department/listsub', token, {});
    const explicit = await topapi(sim.oapiUrl, '/topapi/v2/department/listsub', token, { dept_id: 1 });
    expect(root.body.result).toEqual(explicit.body.result);
    const expected = corpA.departments.filter((d) => d.parent_id === 1 && d.dept_id !== 1).map((d) => d.dept_id).sort();
    expect(root.body.result.map((d: { dept_id: number }) => d.dept_id).sort()).toEqual(expected);
    for (const dept of root.body.result) expect(dept).toMatchObject({ dept_id: expect.any(Number), name: expect.any(String), parent_id: 1 });
  });

  it('listsub answers 60003 for an unknown department', async () => {
    expect((await topapi(sim.oapiUrl, '/topapi/v2/department/listsub', token, { dept_id: 999 })).body.errcode).toBe(60003);
  });

  it('user/list lists direct members only; a member of two departments appears in both', async () => {
    const list = async (dept: number) =>
      (await topapi(sim.oapiUrl, '/topapi/v2/user/list', token, { dept_id: dept, cursor: 0, size: 100 })).body.result.list.map((u: { userid: string }) => u.userid);
    const wangwu = memberOf(corpA, 'wangwu');
    expect(wangwu.dept_id_list.length).toBe(2);
    for (const dept of wangwu.dept_id_list) expect(await list(dept)).toContain('wangwu');
    expect(await list(1)).toEqual(corpA.users.filter((u) => u.dept_id_list.includes(1)).map((u) => u.userid));
  });

  it('user/list refuses size outside 1..100, a negative cursor and a missing dept_id with 40035', async () => {
    for (const params of [
      { dept_id: 1, cursor: 0, size: 0 },
      { dept_id: 1, cursor: 0, size: 101 },
      { dept_id: 1, cursor: -1, size: 10 },
      { cursor: 0, size: 10 },
      { dept_id: 1, size: 10 },
    ])
      expect((await topapi(sim.oapiUrl, '/topapi/v2/user/list', token, params)).body.errcode).toBe(40035);
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/list', token, { dept_id: 999, cursor: 0, size: 10 })).body.errcode).toBe(60003);
  });

  it('accepts form-urlencoded bodies (numbers as strings)', async () => {
    const res = await topapi(sim.oapiUrl, '/topapi/v2/user/list', token, { dept_id: 5, cursor: 0, size: 100 }, 'form');
    expect(res.body.errcode).toBe(0);
    expect(res.body.result.list.length).toBe(corpA.users.filter((u) => u.dept_id_list.includes(5)).length);
  });

  it('answers another content type with 43004', async () => {
    const res = await http(sim.oapiUrl, 'POST', `/topapi/v2/user/get?access_token=${token}`, { raw: 'userid=zhangsan', headers: { 'content-type': 'text/plain' } });
    expect(res.body.errcode).toBe(43004);
  });

  it('answers an unknown v1.0 path with 404 InvalidAction.NotFound (§7b)', async () => {
    const res = await http(sim.apiUrl, 'POST', '/v1.0/contact/users/nobody/extra', { json: {} });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'InvalidAction.NotFound', message: expect.any(String), requestid: expect.any(String) });
  });

  // §7a: 'an unknown topapi method: HTTP 200 {"errcode":22,"sub_msg":"不合法ApiName，…","errmsg":"Invalid method[…]"}'
  it('answers an unknown topapi method with HTTP 200 errcode 22, unwrapped', async () => {
    const res = await topapi(sim.oapiUrl, '/topapi/v2/user/nope', token, {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ errcode: 22, sub_msg: '不合法ApiName，dingtalk.oapi.v2.user.nope', errmsg: 'Invalid method[dingtalk.oapi.v2.user.nope]' });
    const wrongMethod = await http(sim.oapiUrl, 'GET', '/topapi/v2/user/get');
    expect(wrongMethod.status).toBe(200);
    expect(wrongMethod.body.errcode).toBe(22);
  });
});

describe('paging across a generated org', () => {
  const org = generateOrg({ members: 1500, depth: 3, breadth: 3, multiDeptShare: 0.2, seed: 7 });
  const corp = org.corps[0];
  let sim: SimulatorHandle;
  let token: string;
  beforeAll(async () => {
    // Needs no throttle: tests paging (about 250 sequential user/list pages, faster than 20 a second).
    sim = await startSimulator({ org, qps: 'off' });
    token = await appToken(sim.apiUrl, corp.apps[0] as typeof appA);
  });
  afterAll(() => sim.close());

  it('walks every department with listsub and every page with has_more/next_cursor, finding every member', async () => {
    const seen = new Set<string>();
    let memberships = 0;
    const queue = [1];
    let departments = 0;
    while (queue.length > 0) {
      const dept = queue.shift()!;
      departments++;
      const subs = await topapi(sim.oapiUrl, '/topapi/v2/department/listsub', token, { dept_id: dept });
      queue.push(...subs.body.result.map((d: { dept_id: number }) => d.dept_id));
      let cursor = 0;
      for (;;) {
        const page = (await topapi(sim.oapiUrl, '/topapi/v2/user/list', token, { dept_id: dept, cursor, size: 7 })).body.result;
        expect(page.list.length).toBeLessThanOrEqual(7);
        for (const user of page.list) seen.add(user.userid);
        memberships += page.list.length;
        if (!page.has_more) {
          expect(page).not.toHaveProperty('next_cursor');
          break;
        }
        expect(page.list.length).toBe(7);
        cursor = page.next_cursor;
      }
    }
    expect(departments).toBe(corp.departments.length);
    expect(seen.size).toBe(1500);
    expect(memberships).toBe(corp.users.reduce((n, u) => n + u.dept_id_list.length, 0));
    expect(memberships).toBeGreaterThan(1500);
  });
});
