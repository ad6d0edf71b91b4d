/** Workbench (免登) login: docs/dingtalk-facts.md §4b, `topapi/v2/user/getuserinfo`. */
import { MIN5_MS, appB, appToken, corpA, corpB, memberOf, topapi } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();
let token: string;
beforeAll(async () => {
  token = await appToken(sim.apiUrl);
});

const getuserinfo = (code: unknown, as: 'json' | 'form' = 'json', appTokenValue = token) =>
  topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', appTokenValue, code === undefined ? {} : { code }, as);

// §4b: 'result: userid, unionid, name, device_id, sys, sys_level, associated_unionid (the old SDK
// model has exactly these 7 fields)'; §5: 'Optional fields are omitted (not null) when empty'.
it('maps a code to the member with the documented result fields, associated_unionid left out when empty', async () => {
  const zhangsan = memberOf(corpA, 'zhangsan');
  const res = await getuserinfo(sim.mintWorkbenchCode(corpA.corpId, 'zhangsan'));
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    errcode: 0,
    errmsg: 'ok',
    request_id: expect.any(String),
    result: {
      userid: 'zhangsan',
      unionid: zhangsan.unionid,
      name: zhangsan.name,
      device_id: expect.any(String),
      sys: true,
      sys_level: 1,
    },
  });
  expect(res.body.result).not.toHaveProperty('associated_unionid');
  expect(res.body.result).not.toHaveProperty('contact_type');
});

it('sends associated_unionid when the person has one: all 7 documented fields', async () => {
  sim.updateMember(corpA.corpId, 'lisi', { associated_unionid: 'assocLisi0001' });
  try {
    const res = await getuserinfo(sim.mintWorkbenchCode(corpA.corpId, 'lisi'));
    expect(Object.keys(res.body.result).sort()).toEqual(['associated_unionid', 'device_id', 'name', 'sys', 'sys_level', 'unionid', 'userid']);
    expect(res.body.result.associated_unionid).toBe('assocLisi0001');
  } finally {
    sim.updateMember(corpA.corpId, 'lisi', { associated_unionid: undefined });
  }
});

it('accepts a code once (40078 the second time)', async () => {
  const code = sim.mintWorkbenchCode(corpA.corpId, 'lisi');
  expect((await getuserinfo(code)).body.result.userid).toBe('lisi');
  expect((await getuserinfo(code)).body).toMatchObject({ errcode: 40078, errmsg: expect.any(String) });
});

it('expires a code after 5 minutes', async () => {
  const fresh = sim.mintWorkbenchCode(corpA.corpId, 'lisi');
  const stale = sim.mintWorkbenchCode(corpA.corpId, 'lisi');
  sim.advanceClock(MIN5_MS - 1000);
  token = await appToken(sim.apiUrl); // keep the app token fresh across clock moves
  expect((await getuserinfo(fresh)).body.errcode).toBe(0);
  sim.advanceClock(1000);
  expect((await getuserinfo(stale)).body.errcode).toBe(40078);
});

it('is valid only for the corp of the token app: another corp gets 40078 without burning the code', async () => {
  const code = sim.mintWorkbenchCode(corpB.corpId, 'sunqi');
  expect((await getuserinfo(code)).body.errcode).toBe(40078);
  const tokenB = await appToken(sim.apiUrl, appB);
  expect((await getuserinfo(code, 'json', tokenB)).body.result.userid).toBe('sunqi');
});

it('answers a missing code with 41026 and an unknown one with 40078', async () => {
  expect((await getuserinfo(undefined)).body.errcode).toBe(41026);
  expect((await getuserinfo('')).body.errcode).toBe(41026);
  expect((await getuserinfo('0123456789abcdef0123456789abcdef')).body.errcode).toBe(40078);
});

it('accepts a form-urlencoded body and a code in the query string', async () => {
  expect((await getuserinfo(sim.mintWorkbenchCode(corpA.corpId, 'wangwu'), 'form')).body.result.userid).toBe('wangwu');
  const code = sim.mintWorkbenchCode(corpA.corpId, 'wangwu');
  const res = await fetch(`${sim.oapiUrl}/topapi/v2/user/getuserinfo?access_token=${token}&code=${code}`, { method: 'POST' });
  expect((await res.json()).result.userid).toBe('wangwu');
});

it('refuses to mint a code for an unknown member or corp', () => {
  expect(() => sim.mintWorkbenchCode(corpA.corpId, 'sunqi')).toThrow(/no member "sunqi"/);
  expect(() => sim.mintWorkbenchCode('dingnope', 'zhangsan')).toThrow(/no corp/);
});
