/**
 * Hot reload through the watcher against a temp copy of the fixture app, observed over HTTP: add,
 * change, break (the last good version stays live and the diagnostic is logged with file:line:col),
 * fix, remove. No timed assertions: each step waits for the change to be served (or for the reload
 * event). The save -> served times are measured and printed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { watchApp, type AppWatcher, type ReloadEvent, type ReloadableApp } from '../../runtime/watch';
import { ACME_LOGIN, fn, http, startTestHost, type TestHost } from './helpers';

let t: TestHost;
let watcher: AppWatcher;
const timings: Record<string, number> = {};

beforeAll(async () => {
  // The steps poll login functions; lift the login rate limit for this host.
  t = await startTestHost({ host: { floodPerAddress: 1_000_000 } });
  watcher = watchApp(t.app as unknown as ReloadableApp, { logger: t.logger });
  await watcher.ready;
});
afterAll(async () => {
  await watcher?.close();
  await t?.close();
  // eslint-disable-next-line no-console
  console.log(`hot reload, save -> served (ms): ${Object.entries(timings).map(([step, ms]) => `${step} ${ms.toFixed(0)}`).join(', ')}`);
});

/** Polls until `served()` is true; returns the time from `save()` to then. Bounded by the test timeout. */
async function saveAndServe(step: string, save: () => void, served: () => Promise<boolean>): Promise<void> {
  const started = performance.now();
  save();
  while (!(await served())) await new Promise((resolve) => setTimeout(resolve, 10));
  timings[step] = performance.now() - started;
}

function nextReload(matches: (event: ReloadEvent) => boolean): Promise<ReloadEvent> {
  return new Promise((resolve) => {
    const listener = (event: ReloadEvent) => {
      if (!matches(event)) return;
      watcher.off('reload', listener);
      resolve(event);
    };
    watcher.on('reload', listener);
  });
}

const addedDir = () => path.join(t.dir, 'services', 'added');
const configFile = () => path.join(t.dir, 'auths', 'loginTypes', 'acmeLogin', 'acmeLogin.json');
const call = (fullName: string, name: string) => http(t.url, 'POST', fn(fullName, name), { json: {} });
const scopeServed = async () => (await call(ACME_LOGIN, 'getLoginConfig')).body.data.scope as string;

function writeConfig(scope: string): void {
  const config = JSON.parse(fs.readFileSync(configFile(), 'utf8'));
  fs.writeFileSync(configFile(), JSON.stringify({ ...config, scope }, null, 2) + '\n');
}

function writeAddedService(answer: string): void {
  fs.mkdirSync(addedDir(), { recursive: true });
  fs.writeFileSync(
    path.join(addedDir(), 'e.json'),
    JSON.stringify({
      title: 'Added while serving',
      type: 'services.NormalType',
      backendBundleEntry: 'AddedService',
      functionList: [{ name: 'ping', title: 'Ping', args: [], loginRequired: false }],
    }),
  );
  fs.writeFileSync(
    path.join(addedDir(), 'AddedService.js'),
    `const { Element } = require('jit-runtime');\nmodule.exports = class AddedService extends Element {\n  ping() {\n    return ${JSON.stringify(answer)};\n  }\n};\n`,
  );
}

test('add: a new element folder is served without a restart', async () => {
  expect((await call('services.added', 'ping')).status).toBe(404);
  await saveAndServe('add', () => writeAddedService('pong'), async () => (await call('services.added', 'ping')).status === 200);
  expect((await call('services.added', 'ping')).body).toEqual({ success: true, data: 'pong' });
});

// An edited module (code) is covered by tests/http/serve-process.test.ts in a real Node process:
// jest keeps its own module registry, which a hot reload cannot clear.
test('change: an edited business config and an edited e.json are served', async () => {
  expect(await scopeServed()).toBe('openid');
  await saveAndServe('change config', () => writeConfig('openid corpid'), async () => (await scopeServed()) === 'openid corpid');
  const eJson = path.join(addedDir(), 'e.json');
  const edited = JSON.parse(fs.readFileSync(eJson, 'utf8'));
  edited.functionList.push({ name: 'ping', title: 'Ping again', args: [{ name: 'times', dataType: 'Integer', required: true }], loginRequired: false });
  edited.functionList.shift();
  await saveAndServe('change e.json', () => fs.writeFileSync(eJson, JSON.stringify(edited)), async () => (await call('services.added', 'ping')).status === 400);
  expect((await call('services.added', 'ping')).body.error.message).toContain('"times"');
});

test('break: a broken file keeps the last good version live and logs the diagnostic with file:line:col', async () => {
  const reported = nextReload((event) => event.result.diagnostics.some((d) => d.file === configFile()));
  fs.writeFileSync(configFile(), '{\n  "authConfig": {\n    "appKey": "dinga1b2c3d4e5f6g7h8",,\n  }\n}\n');
  const event = await reported;
  const diagnostic = event.result.diagnostics.find((d) => d.file === configFile())!;
  expect(diagnostic.line).toBe(3);
  expect(await scopeServed()).toBe('openid corpid');
  const logged = t.logs.find((l) => l.level === 'warn' && typeof l.diagnostic === 'string' && l.diagnostic.startsWith(`auths/loginTypes/acmeLogin/acmeLogin.json:3:`));
  expect(logged).toBeDefined();
  expect(String(logged!.msg)).toMatch(/acmeLogin\.json:3:\d+ \w+/);
});

test('fix: fixing the file applies the change', async () => {
  await saveAndServe(
    'fix',
    () =>
      fs.writeFileSync(
        configFile(),
        fs.readFileSync(path.join(__dirname, 'fixtures', 'hr-app', 'auths', 'loginTypes', 'acmeLogin', 'acmeLogin.json'), 'utf8'),
      ),
    async () => (await scopeServed()) === 'openid',
  );
});

test('remove: a deleted element folder stops being served', async () => {
  await saveAndServe('remove', () => fs.rmSync(addedDir(), { recursive: true, force: true }), async () => (await call('services.added', 'ping')).status === 404);
  expect((await call(ACME_LOGIN, 'getLoginConfig')).status).toBe(200);
});

test('reloads run one at a time: a burst of saves ends with the last one served', async () => {
  const eJson = path.join(t.dir, 'auths', 'loginTypes', 'acmeLogin', 'e.json');
  const original = fs.readFileSync(eJson, 'utf8');
  const titleServed = async () => (await http(t.url, 'GET', '/login')).text;
  let running = 0;
  let overlapped = false;
  const app = t.app as unknown as ReloadableApp;
  const reload = app.reload;
  // Observe (not replace) the real reload: count how many run at once.
  (app as { reload: ReloadableApp['reload'] }).reload = async () => {
    running++;
    if (running > 1) overlapped = true;
    try {
      return await reload.call(app);
    } finally {
      running--;
    }
  };
  try {
    for (const title of ['Burst 1', 'Burst 2', 'Burst 3']) {
      fs.writeFileSync(eJson, JSON.stringify({ ...JSON.parse(original), title }));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    while (!(await titleServed()).includes('Burst 3')) await new Promise((resolve) => setTimeout(resolve, 10));
    await watcher.idle();
    expect(overlapped).toBe(false);
    expect(await titleServed()).toContain('Burst 3');
  } finally {
    (app as { reload: ReloadableApp['reload'] }).reload = reload;
    fs.writeFileSync(eJson, original);
  }
});
