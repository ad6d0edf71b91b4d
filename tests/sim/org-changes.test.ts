/** Changing the org while the simulator runs: member updates, leavers and joiners, in process and over /__sim/. */
import { connectSimulator, type SimulatorClient } from '../../sim';
import { appToken, corpA, memberOf, topapi } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator();
let client: SimulatorClient;
let token: string;
beforeAll(async () => {
  client = await connectSimulator(sim.url, { token: sim.adminToken });
  token = await appToken(sim.apiUrl);
});

const getMember = (userid: string) => topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid });

describe('org changes', () => {
  it('updateMember changes what user/get answers, and undefined removes an optional field', async () => {
    sim.updateMember(corpA.corpId, 'lisi', { mobile: '13900000000', title: 'Lead' });
    expect((await getMember('lisi')).body.result).toMatchObject({ mobile: '13900000000', title: 'Lead' });
    sim.updateMember(corpA.corpId, 'lisi', { title: undefined });
    expect((await getMember('lisi')).body.result).not.toHaveProperty('title');
  });

  it('removeMember makes the member unknown (60121) and addMember brings a joiner in', async () => {
    const wangwu = memberOf(corpA, 'wangwu');
    sim.removeMember(corpA.corpId, 'wangwu');
    expect((await getMember('wangwu')).body.errcode).toBe(60121);
    sim.addMember(corpA.corpId, { ...wangwu, userid: 'wangwu2' });
    expect((await getMember('wangwu2')).body.result.name).toBe(wangwu.name);
  });

  it('refuses a change that would leave the org invalid, and keeps the org as it was', async () => {
    expect(() => sim.updateMember(corpA.corpId, 'zhangsan', { dept_id_list: [424242] })).toThrow(/424242/);
    expect((await getMember('zhangsan')).body.errcode).toBe(0);
    expect(() => sim.removeMember(corpA.corpId, 'nobody')).toThrow(RangeError);
  });

  it('offers the same operations over the admin routes', async () => {
    await client.updateMember(corpA.corpId, 'zhaoliu', { job_number: 'Z-1' });
    expect((await getMember('zhaoliu')).body.result.job_number).toBe('Z-1');
    await client.removeMember(corpA.corpId, 'zhaoliu');
    expect((await getMember('zhaoliu')).body.errcode).toBe(60121);
    await expect(client.removeMember(corpA.corpId, 'zhaoliu')).rejects.toThrow(/zhaoliu/);
  });
});
