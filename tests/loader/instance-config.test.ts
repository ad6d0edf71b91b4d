/**
 * One reader for an instance's config: the loader validates it against the Type's JSON Schema and
 * fills in the schema's defaults; the login reads one typed, frozen view of that (the secret
 * non-enumerable), and the secret is registered once per load, in the app's own registry.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { SecretRegistry } from '../../runtime/secrets';
import * as appEnv from '../../runtime/loader/env';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import { DEMO_APP, DEMO_SECRET, SCHEMAS, fixture, makeTemp, removeTemp } from './fixtures';

const LOGIN = 'auths.loginTypes.testDDLogin';
const PROBE_TYPE = 'auths.loginTypes.ProbeDDType';
const LOGIN_SCHEMA = path.join(SCHEMAS, 'auths.loginTypes.DDInnerType.config.json');

let dir: string;
beforeEach(() => {
  dir = makeTemp('instance-config');
  fs.cpSync(DEMO_APP, dir, { recursive: true });
  fs.rmSync(path.join(dir, 'corps'), { recursive: true, force: true });
});
afterEach(() => {
  jest.restoreAllMocks();
  removeTemp(dir);
});

/** The demo login as an Instance of a Type whose schema is a copy of DDInnerType's, edited by `edit`. */
function probeApp(edit: (schema: any) => void): void {
  const typeDir = path.join(dir, 'auths', 'loginTypes', 'ProbeDDType');
  fs.mkdirSync(typeDir, { recursive: true });
  const schema = JSON.parse(fs.readFileSync(LOGIN_SCHEMA, 'utf8'));
  edit(schema);
  fs.writeFileSync(path.join(typeDir, 'probe.schema.json'), JSON.stringify(schema));
  fs.writeFileSync(path.join(typeDir, 'e.json'), JSON.stringify({ title: 'Probe', type: 'auths.loginTypes.DDInnerType', level: 'type', configSchema: 'probe.schema.json' }));
  const loginDir = path.join(dir, 'auths', 'loginTypes', 'testDDLogin');
  fs.writeFileSync(path.join(loginDir, 'e.json'), JSON.stringify({ title: 'Demo login', type: PROBE_TYPE }));
  // No scope, binding, isActive or dingtalk: each comes from the schema's default.
  const config = JSON.parse(fs.readFileSync(path.join(loginDir, 'testDDLogin.json'), 'utf8'));
  fs.writeFileSync(path.join(loginDir, 'testDDLogin.json'), JSON.stringify({ authConfig: config.authConfig }));
}

async function instanceConfigOf(appDir: string) {
  const app = await loadApp(appDir, { database: false, logger: silentLogger });
  try {
    return app.getElement<DDInnerType>(LOGIN).instanceConfig;
  } finally {
    await app.close();
  }
}

test('the defaults come from the schema only: a changed default in the schema is what the login reads', async () => {
  probeApp(() => undefined);
  const asShipped = await instanceConfigOf(dir);
  expect(asShipped).toMatchObject({ scope: 'openid', isActive: true, dingtalk: { qps: 20 }, binding: { autoBind: true, match: [], whenNotAssociated: 'createUser' } });

  probeApp((schema) => {
    schema.properties.scope.default = 'openid corpid';
    schema.properties.dingtalk.properties.qps.default = 45;
    schema.properties.binding.properties.whenNotAssociated.default = 'bindExisting';
    schema.properties.binding.properties.autoBind.default = false;
  });
  const edited = await instanceConfigOf(dir);
  expect(edited).toMatchObject({ scope: 'openid corpid', dingtalk: { qps: 45 }, binding: { autoBind: false, whenNotAssociated: 'bindExisting' } });
});

test('the view is frozen, its secret non-enumerable, and it carries the deprecated sync only when written', async () => {
  const config = await instanceConfigOf(dir);
  expect(Object.isFrozen(config)).toBe(true);
  expect(Object.isFrozen(config.authConfig)).toBe(true);
  expect(Object.isFrozen(config.binding)).toBe(true);
  expect(Object.isFrozen(config.dingtalk)).toBe(true);
  expect(config.authConfig.appSecret).toBe(DEMO_SECRET);
  expect(Object.keys(config.authConfig)).toEqual(['appKey', 'agentId', 'corpId']);
  expect(JSON.stringify(config)).not.toContain(DEMO_SECRET);
  expect(() => {
    (config as { scope: string }).scope = 'openid';
  }).toThrow(TypeError);
  expect('sync' in config).toBe(false);
});

test('the secret is registered once per load, in the app\'s own registry, and nowhere else', async () => {
  const register = jest.spyOn(SecretRegistry.prototype, 'register');
  const app = await loadApp(dir, { database: false, logger: silentLogger });
  try {
    const login = app.getElement<DDInnerType>(LOGIN);
    login.getClient(); // the client finds the secret registered already
    login.getLoginConfig();
    const registrations = register.mock.calls.map((call, i) => ({ value: call[0], registry: register.mock.contexts[i] })).filter((r) => r.value === DEMO_SECRET);
    expect(registrations).toHaveLength(1);
    expect(registrations[0].registry).toBe(app.secrets);
    expect(app.secrets.has(DEMO_SECRET)).toBe(true);
  } finally {
    await app.close();
  }
  expect(app.secrets.has(DEMO_SECRET)).toBe(false);
});

test('the app\'s environment is read once per load (and once per reload)', async () => {
  const read = jest.spyOn(appEnv, 'readAppEnv');
  const app = await loadApp(dir, { database: false, logger: silentLogger });
  try {
    expect(read).toHaveBeenCalledTimes(1);
    app.checkDraft(new Map());
    expect(read).toHaveBeenCalledTimes(1);
    await app.reload();
    expect(read).toHaveBeenCalledTimes(2);
  } finally {
    await app.close();
  }
});

test('a corp\'s family settings get the defaults of schemas/corps.settings.json, whatever its Type\'s own schema gives', async () => {
  const familyDefaults = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'corps.settings.json'), 'utf8')).properties.sync.properties;
  // The custom corp Type's schema gives sync no `events` nor `catchUpAfterSeconds`.
  const app = await loadApp(fixture('custom-corp-app'), { database: false, logger: silentLogger });
  try {
    const corp = app.getElement<{ settings: { sync: { intervalMinutes: number | null; events: boolean; catchUpAfterSeconds: number } } }>('corps.staff');
    expect(corp.settings.sync).toEqual({ intervalMinutes: 60, events: familyDefaults.events.default, catchUpAfterSeconds: familyDefaults.catchUpAfterSeconds.default });
    expect(Object.isFrozen(corp.settings.sync)).toBe(true);
  } finally {
    await app.close();
  }
});
