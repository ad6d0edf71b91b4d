/**
 * External contacts of a corp (issue #18 item 2, DECISIONS #18): docs/dingtalk-facts.md §3e,
 * "`topapi/user/getbyunionid` ... `result.contact_type` (Number: 0 = internal employee, 1 = external
 * contact)". On the workbench path, `topapi/v2/user/getuserinfo` answers only its documented fields
 * (§4b; no contact_type), and "an external contact shows as a userid `user/get` answers 60121 for".
 */
import { connectSimulator } from '../../sim';
import type { SimOrg } from '../../sim/types';
import { admin, appToken, corpA, demo, topapi } from './helpers';
import { useSimulator } from '../helpers/simulator';

/** The demo org with one external contact in corp A, as an org file would flag them. */
function orgWithExternal(): SimOrg {
  const org: SimOrg = JSON.parse(JSON.stringify(demo));
  org.corps[0].users.push({ userid: 'ext001', unionid: 'extUnion0001', name: '外部联系人', external: true, dept_id_list: [] });
  return org;
}

const sim = useSimulator({ org: orgWithExternal() });
let token: string;
beforeAll(async () => {
  token = await appToken(sim.apiUrl);
});

it('QR path: getbyunionid answers contact_type 1 for an external contact, 0 for an employee', async () => {
  const external = await topapi(sim.oapiUrl, '/topapi/user/getbyunionid', token, { unionid: 'extUnion0001' });
  expect(external.body).toEqual({ errcode: 0, errmsg: 'ok', result: { contact_type: 1, userid: 'ext001' }, request_id: expect.any(String) });
  const employee = await topapi(sim.oapiUrl, '/topapi/user/getbyunionid', token, { unionid: corpA.users[0].unionid });
  expect(employee.body.result.contact_type).toBe(0);
});

it('workbench path: a code minted for an external contact answers getuserinfo with the documented fields; user/get answers 60121', async () => {
  const info = await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', token, { code: sim.mintWorkbenchCode(corpA.corpId, 'ext001') });
  expect(info.body.result).toEqual({ userid: 'ext001', unionid: 'extUnion0001', name: '外部联系人', device_id: expect.any(String), sys: false, sys_level: 0 });
  const detail = await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'ext001' });
  expect(detail.body).toEqual({ errcode: 60121, errmsg: '找不到该用户', request_id: expect.any(String) });
});

it('is in no department: org sync (user/list) never lists an external contact', async () => {
  const list = await topapi(sim.oapiUrl, '/topapi/v2/user/list', token, { dept_id: 1, cursor: 0, size: 100 });
  expect(list.body.result.list.map((u: { userid: string }) => u.userid)).not.toContain('ext001');
});

it('an admin call makes one: addMember / updateMember with external: true, in process and over /__sim/', async () => {
  sim.updateMember(corpA.corpId, 'wangwu', { external: true });
  try {
    expect((await topapi(sim.oapiUrl, '/topapi/user/getbyunionid', token, { unionid: corpA.users.find((u) => u.userid === 'wangwu')!.unionid })).body.result.contact_type).toBe(1);
    expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'wangwu' })).body.errcode).toBe(60121);
  } finally {
    sim.updateMember(corpA.corpId, 'wangwu', { external: undefined });
  }
  expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'wangwu' })).body.errcode).toBe(0);

  const client = await connectSimulator(sim.url, { token: sim.adminToken });
  await client.addMember(corpA.corpId, { userid: 'ext002', unionid: 'extUnion0002', name: 'Guest', external: true, dept_id_list: [] });
  const code = (await admin(sim, 'POST', '/__sim/codes/workbench', { json: { corpId: corpA.corpId, userid: 'ext002' } })).body.code;
  expect((await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', token, { code })).body.result.userid).toBe('ext002');
  expect((await topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'ext002' })).body.errcode).toBe(60121);
  expect((await client.org()).members).toContainEqual({ corpId: corpA.corpId, userid: 'ext002', unionid: 'extUnion0002', name: 'Guest', external: true });
});

it('an employee still needs a department', () => {
  expect(() => sim.addMember(corpA.corpId, { userid: 'nodept', unionid: 'noDeptUnion', name: 'No Dept', dept_id_list: [] })).toThrow(/dept_id_list/);
});
