/**
 * The dingtalk.js stand-in's own routes (/standins/dd/): a workbench code for a page the simulator
 * takes for one of the corp's apps (DingTalk's client gives `requestAuthCode` codes only on an app's
 * domain, error 3 otherwise; docs/dingtalk-facts.md §4a): loopback origins always, others when allowed.
 * Any other web page is refused, so it cannot mint codes (issue #20 item 8).
 */
import { admin, appA, appB, appToken, corpA, http, topapi } from './helpers';
import { useSimulator } from '../helpers/simulator';

const sim = useSimulator({ pageOrigins: ['https://app.example.com'] });

const mint = (origin: string | undefined, body: Record<string, unknown>) =>
  http(sim.url, 'POST', '/standins/dd/auth-code', { json: body, headers: origin ? { origin } : {} });

it('mints a code for a loopback page, with CORS for that origin only', async () => {
  const res = await mint('http://127.0.0.1:3000', { corpId: corpA.corpId, clientId: appA.appKey, userid: 'lisi' });
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
  const info = await topapi(sim.oapiUrl, '/topapi/v2/user/getuserinfo', await appToken(sim.apiUrl), { code: res.body.code });
  expect(info.body.result.userid).toBe('lisi');
  expect((await mint('http://localhost:5173', { corpId: corpA.corpId, userid: 'lisi' })).status).toBe(200);
});

it('refuses any other web page with errorCode 3 and no CORS header, and answers its preflight the same', async () => {
  for (const origin of ['https://evil.example', 'http://localhost.evil.example:3000', 'null', undefined]) {
    const res = await mint(origin, { corpId: corpA.corpId, clientId: appA.appKey, userid: 'lisi' });
    expect(res.status).toBe(403);
    expect(res.body.errorCode).toBe(3);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  }
  const preflight = await http(sim.url, 'OPTIONS', '/standins/dd/auth-code', {
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  expect(preflight.status).toBe(403);
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  const allowed = await http(sim.url, 'OPTIONS', '/standins/dd/auth-code', {
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  expect(allowed.status).toBe(204);
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
});

it('serves an origin given at start or allowed later (handle or admin route)', async () => {
  expect((await mint('https://app.example.com', { corpId: corpA.corpId, userid: 'lisi' })).status).toBe(200);
  expect((await mint('https://intranet.example', { corpId: corpA.corpId, userid: 'lisi' })).status).toBe(403);
  sim.allowPageOrigin('https://intranet.example');
  expect((await mint('https://intranet.example', { corpId: corpA.corpId, userid: 'lisi' })).status).toBe(200);
  expect((await admin(sim, 'POST', '/__sim/page-origins', { json: { origin: 'https://wiki.example:8443' } })).status).toBe(200);
  expect((await mint('https://wiki.example:8443', { corpId: corpA.corpId, userid: 'lisi' })).status).toBe(200);
  expect((await admin(sim, 'POST', '/__sim/page-origins', { json: { origin: 'https://wiki.example/path' } })).status).toBe(400);
  expect(() => sim.allowPageOrigin('not an origin')).toThrow(/pageOrigins/);
});

it('answers in JSAPI failure shape: corpId required (-1), an app of another corp (3), an unknown member (-1)', async () => {
  const page = 'http://127.0.0.1:3000';
  expect((await mint(page, { userid: 'lisi' })).body).toEqual({ errorCode: -1, errorMessage: 'corpId is required' });
  const otherApp = await mint(page, { corpId: corpA.corpId, clientId: appB.appKey, userid: 'lisi' });
  expect(otherApp.body.errorCode).toBe(3);
  expect(otherApp.body.errorMessage).toContain(appB.appKey);
  expect((await mint(page, { corpId: 'dingnope', userid: 'lisi' })).body.errorCode).toBe(3);
  expect((await mint(page, { corpId: corpA.corpId, userid: 'nobody' })).body.errorCode).toBe(-1);
});

it('lists the corp members for the chooser, and no secret', async () => {
  const res = await http(sim.url, 'GET', `/standins/dd/members?corpId=${corpA.corpId}&clientId=${appA.appKey}`, { headers: { origin: 'http://127.0.0.1:3000' } });
  expect(res.status).toBe(200);
  expect(res.body.corp).toEqual({ corpId: corpA.corpId, name: corpA.name });
  expect(res.body.members).toContainEqual({ userid: 'zhangsan', name: '张三' });
  expect(res.text).not.toContain(appA.appSecret);
  expect(res.text).not.toContain('unionid');
});
