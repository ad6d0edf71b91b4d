/**
 * The app's environment (`app.env`): `.env` < process environment < LoadAppOptions.env, read once
 * per load. DingTalk code reads its hosts from it (dingtalk/hosts.ts), normalised in one place.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { DEFAULT_DINGTALK_HOSTS, dingTalkHostsFromEnv, dingTalkHostsOf, normaliseDingTalkHosts } from '../../dingtalk/hosts';
import { DDInnerClient } from '../../dingtalk/client';
import { simulatorEnv } from '../../sim';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import { DEMO_APP, makeTemp, removeTemp } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = makeTemp('app-env');
  fs.cpSync(DEMO_APP, dir, { recursive: true });
});
afterEach(() => {
  delete process.env.JIT_TEST_LAYER;
  removeTemp(dir);
});

test('LoadAppOptions.env overrides the process environment, which overrides .env; app.env is frozen', async () => {
  fs.appendFileSync(path.join(dir, '.env'), '\nJIT_TEST_LAYER=dotenv\nJIT_TEST_DOTENV_ONLY=from-dotenv\n');
  process.env.JIT_TEST_LAYER = 'process';
  const fromProcess = await loadApp(dir, { database: false, logger: silentLogger });
  const fromOption = await loadApp(dir, { database: false, logger: silentLogger, env: { JIT_TEST_LAYER: 'option' } });
  try {
    expect(fromProcess.env.JIT_TEST_LAYER).toBe('process');
    expect(fromOption.env.JIT_TEST_LAYER).toBe('option');
    expect(fromOption.env.JIT_TEST_DOTENV_ONLY).toBe('from-dotenv');
    expect(Object.isFrozen(fromOption.env)).toBe(true);
  } finally {
    await fromProcess.close();
    await fromOption.close();
  }
});

test('DingTalk hosts come from the app\'s environment, else the real hosts, without trailing slashes, read once per app', async () => {
  fs.appendFileSync(path.join(dir, '.env'), '\nDINGTALK_LOGIN_URL=http://login.test:9100/\n');
  const app = await loadApp(dir, { database: false, logger: silentLogger, env: { DINGTALK_API_URL: 'http://sim.test:9100//' } });
  try {
    const hosts = dingTalkHostsOf(app);
    expect(hosts).toEqual({ oapiUrl: DEFAULT_DINGTALK_HOSTS.oapiUrl, apiUrl: 'http://sim.test:9100', loginUrl: 'http://login.test:9100' });
    expect(dingTalkHostsOf(app)).toBe(hosts);
    expect(Object.isFrozen(hosts)).toBe(true);
    // The login page and the client see those hosts.
    const login = app.getElement<DDInnerType>('auths.loginTypes.testDDLogin');
    expect(login.getLoginConfig().loginUrl).toBe('http://login.test:9100');
  } finally {
    await app.close();
  }
  expect(dingTalkHostsFromEnv({ DINGTALK_OAPI_URL: '' })).toEqual(DEFAULT_DINGTALK_HOSTS);
});

test('a library caller\'s hosts are normalised by the same function', () => {
  const given = { oapiUrl: 'http://127.0.0.1:9/', apiUrl: 'http://127.0.0.1:9///', loginUrl: 'http://127.0.0.1:9' };
  const client = new DDInnerClient({ credentials: { appKey: 'dinglibrarycaller000', appSecret: 'library-caller-secret-of-forty-characters' }, hosts: given });
  expect((client as unknown as { hosts: unknown }).hosts).toEqual(normaliseDingTalkHosts(given));
  expect(normaliseDingTalkHosts(given)).toEqual({ oapiUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9', loginUrl: 'http://127.0.0.1:9' });
});

test('simulatorEnv names the three variables the hosts are read from', () => {
  const sim = { oapiUrl: 'http://127.0.0.1:1', apiUrl: 'http://127.0.0.1:2', loginUrl: 'http://127.0.0.1:3' };
  expect(dingTalkHostsFromEnv(simulatorEnv(sim))).toEqual(sim);
});

test('the removed dingtalk option is refused, not ignored (it would point the app at the real hosts silently)', async () => {
  const hosts = { oapiUrl: 'http://127.0.0.1:1', apiUrl: 'http://127.0.0.1:1', loginUrl: 'http://127.0.0.1:1' };
  await expect(loadApp(dir, { database: false, logger: silentLogger, dingtalk: hosts } as never)).rejects.toMatchObject({
    code: 'CONFIG_INVALID',
    message: expect.stringMatching(/loadApp has no option "dingtalk".*env: \{ NAME: value \}/),
  });
});
