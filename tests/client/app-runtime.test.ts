/**
 * The DingTalk runtime belongs to each loaded app, not to the process: apps loaded through the library
 * (a login instance with `dingtalk.qps` in its config, real SQLite files, the simulator over HTTP)
 * share no app token and no budget; two apps on one database split the budget through the leases
 * table; an app without a database keeps its budget to itself; the login lane's deadline follows the
 * app's `server.requestTimeout`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { simulatorEnv } from '../../sim/env';
import { loadApp } from '../../runtime/load-app';
import { createLogger } from '../../runtime/logger';
import type { App } from '../../runtime/app';
import { createLeaseStore } from '../../runtime/db';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import { DDInnerClient, budgetGroupOf, dingTalkRuntimeOf } from '../../dingtalk/client';
import { CORP_A, counts, hostsOf, rejectionOf } from './helpers';
import { useSimulator } from '../helpers/simulator';

const LOGIN = 'auths.loginTypes.budgetLogin';

const sim = useSimulator();
let dir: string;
const apps: App[] = [];
/** The apps' log lines (kept, not printed). */
const logs: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-client-apps-'));
});
afterAll(async () => {
  for (const app of apps) await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sim.resetCounters());

/** Writes an app with one DingTalk login (corp A) and loads it on `database` (a file name in dir, or false). */
async function openApp(name: string, options: { database: string | false; qps?: number; requestTimeout?: number }): Promise<App> {
  const appDir = path.join(dir, name);
  const write = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(path.join(appDir, file)), { recursive: true });
    fs.writeFileSync(path.join(appDir, file), JSON.stringify(value, null, 2));
  };
  write('app.json', {
    appId: `clienttest.${name}`, title: `Client test ${name}`, version: '1.0.0', extends: [],
    ...(options.requestTimeout ? { server: { requestTimeout: options.requestTimeout } } : {}),
  });
  write('auths/loginTypes/budgetLogin/e.json', { title: 'Budget login', type: 'auths.loginTypes.DDInnerType' });
  write('auths/loginTypes/budgetLogin/budgetLogin.json', {
    authConfig: { appKey: CORP_A.appKey, appSecret: '{{DD_APP_SECRET}}', agentId: 3012345678, corpId: CORP_A.corpId },
    ...(options.qps ? { dingtalk: { qps: options.qps } } : {}),
  });
  const app = await loadApp(appDir, {
    env: { DD_APP_SECRET: CORP_A.appSecret, ...simulatorEnv(sim) },
    logger: createLogger({ sink: (line) => logs.push(line) }),
    ...(options.database === false ? { database: false } : { databaseUrl: `sqlite:${path.join(dir, options.database)}` }),
  });
  apps.push(app);
  return app;
}

function loginOf(app: App): DDInnerType {
  return app.getElement<DDInnerType>(LOGIN);
}

test('two apps in one process share no token cache and no budget; one app\'s clients share both', async () => {
  const first = await openApp('first', { database: 'first.db', qps: 10 });
  const second = await openApp('second', { database: 'second.db' });

  const firstClient = loginOf(first).getClient() as DDInnerClient;
  const secondClient = loginOf(second).getClient() as DDInnerClient;
  expect(firstClient.runtime).toBe(dingTalkRuntimeOf(first));
  expect(secondClient.runtime).toBe(dingTalkRuntimeOf(second));
  expect(firstClient.runtime).not.toBe(secondClient.runtime);

  const firstToken = await firstClient.getAppAccessToken();
  const secondToken = await secondClient.getAppAccessToken();
  expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 2 });
  // DingTalk hands the same app the same token while it is valid; what matters is that each app asked.
  expect(typeof firstToken).toBe('string');
  expect(typeof secondToken).toBe('string');

  // Another client on the first app's runtime (as a corp naming this login would get) reuses its token.
  const corpClient = new DDInnerClient({ credentials: { appKey: CORP_A.appKey, appSecret: CORP_A.appSecret }, hosts: hostsOf(sim), runtime: dingTalkRuntimeOf(first) });
  await corpClient.getMember('lisi');
  expect(counts(sim, 'oauth2/accessToken')).toEqual({ 'oauth2/accessToken': 2 });

  // Each app's budget: dingtalk.qps from the first app's login config, the default in the second.
  expect(dingTalkRuntimeOf(first).status()).toEqual([expect.objectContaining({ appKey: CORP_A.appKey, qps: 10 })]);
  expect(dingTalkRuntimeOf(second).status()).toEqual([expect.objectContaining({ appKey: CORP_A.appKey, qps: 20 })]);
  // The counters are each app's too.
  expect(dingTalkRuntimeOf(second).metrics.snapshot().calls).toEqual({ 'oauth2/accessToken': { ok: 1 } });
});

test('two apps on one database register in its leases table and each take half of the budget', async () => {
  const a = await openApp('sharedA', { database: 'shared.db' });
  const b = await openApp('sharedB', { database: 'shared.db' });
  await loginOf(a).getClient().getMember('lisi');
  await loginOf(b).getClient().getMember('lisi');
  for (const app of [a, b, a, b]) await dingTalkRuntimeOf(app).refreshShare(CORP_A.appKey);
  for (const app of [a, b]) expect(dingTalkRuntimeOf(app).status()).toEqual([expect.objectContaining({ members: 2, share: 10 })]);

  const members = await createLeaseStore(a.db).members(budgetGroupOf(CORP_A.appKey));
  expect(members.map((m) => m.holder).sort()).toEqual([dingTalkRuntimeOf(a).memberId, dingTalkRuntimeOf(b).memberId].sort());

  // Closing an app closes its DingTalk runtime before its database: b leaves the lease group at once
  // (no waiting for its registration to expire), and a takes the whole budget.
  await b.close();
  expect(await dingTalkRuntimeOf(a).refreshShare(CORP_A.appKey)).toBe(1);
  expect(dingTalkRuntimeOf(a).status()).toEqual([expect.objectContaining({ members: 1, share: 20 })]);
});

test('an app without a database keeps its whole budget', async () => {
  const app = await openApp('nodb', { database: false });
  await expect(loginOf(app).getClient().getMember('lisi')).resolves.toMatchObject({ userid: 'lisi' });
  expect(await dingTalkRuntimeOf(app).refreshShare(CORP_A.appKey)).toBe(1);
  expect(dingTalkRuntimeOf(app).status()).toEqual([expect.objectContaining({ members: 1, share: 20 })]);
});

test('a login\'s wait for a slot is bounded by 40% of server.requestTimeout', async () => {
  // qps 1: the second of two calls waits ~1.05 s. Allowed under the default (30 s -> 12 s) ...
  const patient = await openApp('patient', { database: false, qps: 1 });
  const calls = [loginOf(patient).getClient().getMember('lisi'), loginOf(patient).getClient().getMember('lisi')];
  await expect(Promise.all(calls)).resolves.toHaveLength(2);
  // ... refused under a 2 s request timeout (-> 0.8 s), with the seconds to wait.
  const hurried = await openApp('hurried', { database: false, qps: 1, requestTimeout: 2 });
  const first = loginOf(hurried).getClient().getMember('lisi');
  const error = await rejectionOf(loginOf(hurried).getClient().getMember('lisi'));
  await first;
  expect(error).toMatchObject({ code: 'DINGTALK_RATE_LIMITED', details: expect.objectContaining({ reason: 'BUDGET_EXHAUSTED', lane: 'login', retryAfter: 2 }) });
});

test('a dingtalk.qps outside 1..60 is refused by the schema, naming the field', async () => {
  await expect(openApp('tooFast', { database: false, qps: 100 }).then((app) => loginOf(app))).rejects.toMatchObject({
    code: 'ELEMENT_INVALID',
    message: expect.stringMatching(/dingtalk\.qps must be between 1 and 60/),
  });
});
