/**
 * DingTalk's per-app per-API limit, on by default (docs/dingtalk-facts.md §9: "Per app, per API: 20 QPS for
 * standard-edition orgs. Exceeding it gives oapi 88/90018 / v1.0 Forbidden.AccessDenied.
 * QpsLimitForAppkeyAndApi. Calls over the limit are rejected, not queued. The window is 1 s"; "The
 * paid 企业开发增购包 raises it to 60 QPS"), and the per-second counters tests assert with.
 * The limit's clock is the test's (`rateClock`), so no assertion depends on how fast calls travel.
 */
import { connectSimulator, startSimulator } from '../../sim';
import { appA, appB, appToken, http, topapi, wrapped } from './helpers';
import { useSimulator } from '../helpers/simulator';

let now = 0;
const rateClock = () => now;

async function times<T>(n: number, call: () => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, call));
}

describe('20 calls per second per app per API, by default', () => {
  const sim = useSimulator({ rateClock });
  let token: string;
  let tokenB: string;
  beforeAll(async () => {
    token = await appToken(sim.apiUrl);
    tokenB = await appToken(sim.apiUrl, appB);
  });
  beforeEach(() => {
    now += 10_000; // a quiet second before each test
    sim.resetCounters();
  });

  const userGet = (t = token, userid = 'zhangsan') => topapi(sim.oapiUrl, '/topapi/v2/user/get', t, { userid });

  it('admits 20 calls in a second and rejects the rest with HTTP 200, errcode 88, sub_code "90018" (§7a)', async () => {
    const answers = await times(25, () => userGet());
    const admitted = answers.filter((a) => a.body.errcode === 0);
    const rejected = answers.filter((a) => a.body.errcode !== 0);
    expect(admitted).toHaveLength(20);
    expect(rejected).toHaveLength(5);
    for (const answer of rejected) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(wrapped('90018'));
    }
    expect(sim.callRates().rejected['topapi/v2/user/get']).toBe(5);
  });

  it('counts each API and each app apart', async () => {
    await times(20, () => userGet());
    expect((await userGet()).body.sub_code).toBe('90018');
    // Another API of the same app, and the same API of another app, are untouched.
    expect((await topapi(sim.oapiUrl, '/topapi/v2/department/listsub', token, { dept_id: 1 })).body.errcode).toBe(0);
    expect((await userGet(tokenB, 'sunqi')).body.errcode).toBe(0);
  });

  it('slides a 1-second window: calls free up 1000 ms after they were admitted, and a rejected call takes no place', async () => {
    await times(10, () => userGet());
    now += 600;
    await times(10, () => userGet());
    expect((await userGet()).body.sub_code).toBe('90018'); // 20 within the last second
    now += 500; // the first 10 are now more than a second old
    expect((await times(10, () => userGet())).every((a) => a.body.errcode === 0)).toBe(true);
    expect((await userGet()).body.sub_code).toBe('90018');
    now += 1000;
    expect((await userGet()).body.errcode).toBe(0);
  });

  // §7c: v1.0 '403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', body {code, message, requestid}.
  it('v1.0: the 21st call in a second is 403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi {code, message, requestid}', async () => {
    const call = () => http(sim.apiUrl, 'POST', '/v1.0/oauth2/accessToken', { json: { appKey: appA.appKey, appSecret: appA.appSecret } });
    const answers = await times(21, call);
    const rejected = answers.filter((a) => a.status !== 200);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].status).toBe(403);
    expect(rejected[0].body).toEqual({ code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: expect.any(String), requestid: expect.any(String) });
    expect(rejected[0].headers.get('x-acs-request-id')).toBe(rejected[0].body.requestid);
  });

  it('limits gettoken by its appkey, in the gateway wrapper', async () => {
    const answers = await times(21, () => http(sim.oapiUrl, 'GET', `/gettoken?appkey=${appA.appKey}&appsecret=${appA.appSecret}`));
    expect(answers.filter((a) => a.body.errcode === 0)).toHaveLength(20);
    expect(answers.find((a) => a.body.errcode !== 0)!.body).toEqual(wrapped('90018'));
  });

  it('counts no app for a call whose token names none: a bad token stays 88 / 40014, never 90018', async () => {
    const answers = await times(30, () => userGet('f'.repeat(32)));
    expect(answers.every((a) => a.body.sub_code === '40014')).toBe(true);
    expect(sim.callRates().peakPerSecond['topapi/v2/user/get']).toBe(30);
    expect(sim.callRates().peakPerSecondByApp[appA.appKey]?.['topapi/v2/user/get']).toBeUndefined();
  });

  it('counts the most calls in any second per API, and per app, for "at most N a second" assertions', async () => {
    await times(5, () => userGet());
    now += 400;
    await times(7, () => userGet(tokenB, 'sunqi'));
    now += 700; // the first 5 drop out of the window
    await times(3, () => userGet());
    const rates = sim.callRates();
    expect(rates.qps).toBe(20);
    expect(rates.peakPerSecond['topapi/v2/user/get']).toBe(12);
    expect(rates.peakPerSecondByApp[appA.appKey]['topapi/v2/user/get']).toBe(5);
    expect(rates.peakPerSecondByApp[appB.appKey]['topapi/v2/user/get']).toBe(7);
    expect(rates.peakPerSecond['topapi/v2/user/list']).toBe(0);
    expect(rates.rejected['topapi/v2/user/get']).toBe(0);

    const client = await connectSimulator(sim.url, { token: sim.adminToken });
    expect(await client.callRates()).toEqual(rates);
    await client.resetCounters();
    expect(sim.callRates().peakPerSecond['topapi/v2/user/get']).toBe(0);
    await userGet();
    expect(sim.callRates().peakPerSecond['topapi/v2/user/get']).toBe(1); // calls before the reset count for nothing
  });
});

describe('the limit is configurable per simulator', () => {
  it('qps: 60, the paid tier', async () => {
    const sim = await startSimulator({ qps: 60, rateClock });
    try {
      const token = await appToken(sim.apiUrl);
      const answers = await times(65, () => topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' }));
      expect(answers.filter((a) => a.body.errcode === 0)).toHaveLength(60);
      expect(sim.callRates().qps).toBe(60);
    } finally {
      await sim.close();
    }
  });

  it("qps: 'off' admits every call and still counts them", async () => {
    const sim = await startSimulator({ qps: 'off', rateClock });
    try {
      const token = await appToken(sim.apiUrl);
      const answers = await times(50, () => topapi(sim.oapiUrl, '/topapi/v2/user/get', token, { userid: 'zhangsan' }));
      expect(answers.every((a) => a.body.errcode === 0)).toBe(true);
      expect(sim.callRates()).toMatchObject({ qps: 'off' });
      expect(sim.callRates().peakPerSecond['topapi/v2/user/get']).toBe(50);
    } finally {
      await sim.close();
    }
  });

  it('refuses a qps that is not a positive whole number or "off", naming the option', async () => {
    for (const qps of [0, -1, 2.5, Number.NaN]) await expect(startSimulator({ qps })).rejects.toThrow(/qps/);
  });
});
