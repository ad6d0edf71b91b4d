/**
 * Issue #18 item 2 (login side): a DingTalk external contact (contact_type 1) is refused with
 * NOT_CORP_MEMBER, details.reason 'EXTERNAL_CONTACT', before any further DingTalk call, on both
 * flows. The simulator's members are all employees, so the instance's real client (real HTTP to the
 * simulator) is wrapped to add `contact_type` where DingTalk sends it, and to count what is called after.
 */
import type { DDInnerClientApi } from '../../dingtalk/client/types';
import { refuseExternalContact, useridOf } from '../../elements/auths/loginTypes/DDInnerType/external-contact';
import { CORP_A, simMember } from '../helpers/demo-org';
import { useLoginApp } from '../helpers/login-app';
import { countRows } from '../helpers/login-steps';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();
const env = useLoginApp({ sim, app: 'create-user', database: 'sqlite' });

/** The instance's real client, with `contact_type` set on the identity answers, and the calls made after them counted. */
function withContactType(contactType: unknown): { calls: string[] } {
  const auth = env.auth();
  const real = auth.getClient();
  const calls: string[] = [];
  const wrapped: DDInnerClientApi = Object.assign(Object.create(real) as DDInnerClientApi, {
    getUserInfoByWorkbenchCode: async (code: string) => ({ ...(await real.getUserInfoByWorkbenchCode(code)), contact_type: contactType }),
    getUserIdByUnionId: async (unionId: string) => ({ userid: await real.getUserIdByUnionId(unionId), contact_type: contactType }) as unknown as string,
    getMember: (userid: string) => {
      calls.push('getMember');
      return real.getMember(userid);
    },
  });
  (auth as unknown as { client: DDInnerClientApi }).client = wrapped;
  return { calls };
}

afterEach(() => {
  (env.auth() as unknown as { client?: unknown }).client = undefined;
});

test('refuseExternalContact reads contact_type defensively; useridOf takes a bare userid or the whole result', () => {
  for (const external of [1, '1']) {
    expect(() => refuseExternalContact({ userid: 'x', contact_type: external }, 'i')).toThrow(expect.objectContaining({ code: 'NOT_CORP_MEMBER', details: { instance: 'i', reason: 'EXTERNAL_CONTACT' } }));
  }
  for (const employee of [0, '0', undefined, null, '']) expect(() => refuseExternalContact({ userid: 'x', contact_type: employee }, 'i')).not.toThrow();
  expect(() => refuseExternalContact('userid-only', 'i')).not.toThrow();
  expect(useridOf('zhangsan')).toBe('zhangsan');
  expect(useridOf({ userid: 'zhangsan', contact_type: 0 })).toBe('zhangsan');
  expect(() => useridOf({})).toThrow(expect.objectContaining({ code: 'DINGTALK_API_ERROR' }));
});

test('workbench: an external contact is refused before the member record is read; nothing is created', async () => {
  const { calls } = withContactType(1);
  const refused = await env.svc.loginByWorkbench(CORP_A.corpId, sim.mintWorkbenchCode(CORP_A.corpId, 'bob.li')).catch((e) => e);
  expect(refused).toMatchObject({ code: 'NOT_CORP_MEMBER', details: { reason: 'EXTERNAL_CONTACT' } });
  expect(calls).toEqual([]);
  expect(await countRows(env.app, 'users')).toBe(0);
});

test('QR: an external contact is refused before the member record is read', async () => {
  const { calls } = withContactType('1');
  const auth = env.auth();
  const { state, appKey } = auth.getLoginConfig();
  const code = sim.mintQrCode(appKey, simMember(sim, CORP_A.corpId, 'bob.li').unionid, { corpId: CORP_A.corpId });
  const refused = await auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state }).catch((e) => e);
  expect(refused).toMatchObject({ code: 'NOT_CORP_MEMBER', details: { reason: 'EXTERNAL_CONTACT' } });
  expect(calls).toEqual([]);
  expect(await countRows(env.app, 'users')).toBe(0);
});

test('an employee (contact_type 0) signs in as before, by both flows', async () => {
  const { calls } = withContactType(0);
  expect(await env.svc.loginByWorkbench(CORP_A.corpId, sim.mintWorkbenchCode(CORP_A.corpId, 'bob.li'))).toMatchObject({ status: 'LOGGED_IN' });
  const auth = env.auth();
  const { state, appKey } = auth.getLoginConfig();
  const code = sim.mintQrCode(appKey, simMember(sim, CORP_A.corpId, 'bob.li').unionid, { corpId: CORP_A.corpId });
  expect(await auth.getLoginCode({ code, loginType: 'qr', platform: 'web', state })).toMatchObject({ status: 'LOGGED_IN', dingtalk: { userId: 'bob.li' } });
  expect(calls).toEqual(['getMember', 'getMember']);
});
