/**
 * Element-declared app.json sections: a Type's e.json `appSettings` names an app.json key and the
 * JSON Schema its value must match. The runtime validates app.json against its own schema and the
 * declared sections, fills in their defaults, and hands each family its section
 * (`app.settings.section(key)`); `dingtalk` is the DingTalk login Type's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadApp } from '../../runtime/load-app';
import { silentLogger } from '../../runtime/logger';
import { dingTalkSettingsOf } from '../../dingtalk/settings';
import { DEMO_APP, makeTemp, removeTemp } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = makeTemp('app-settings');
  fs.cpSync(DEMO_APP, dir, { recursive: true });
});
afterEach(() => removeTemp(dir));

function writeAppJson(extra: Record<string, unknown>): void {
  const file = path.join(dir, 'app.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...extra }, null, 2));
}

const load = () => loadApp(dir, { database: false, logger: silentLogger });

test('the dingtalk section is the DingTalk login Type\'s: defaults filled in, frozen, not a core setting', async () => {
  const app = await load();
  try {
    expect(dingTalkSettingsOf(app)).toEqual({ scriptBase: 'https://g.alicdn.com', scriptIntegrity: {} });
    expect(Object.isFrozen(dingTalkSettingsOf(app))).toBe(true);
    expect(Object.keys(app.settings)).not.toContain('dingtalk');
    expect(() => app.settings.section('ldap')).toThrow(/No element of this app declares the app.json section "ldap"/);
  } finally {
    await app.close();
  }
});

test('app.json is validated against the declared section: a bad value is placed in app.json and falls back to the default', async () => {
  writeAppJson({ dingtalk: { scriptBase: 'ftp://cdn.example' } });
  const app = await load();
  try {
    const problem = app.diagnostics.find((d) => d.code === 'APP_JSON_INVALID');
    expect(problem).toMatchObject({ file: path.join(dir, 'app.json'), pointer: '/dingtalk/scriptBase', severity: 'error' });
    expect(dingTalkSettingsOf(app).scriptBase).toBe('https://g.alicdn.com');
  } finally {
    await app.close();
  }

  writeAppJson({ dingtalk: { scriptBase: 'https://cdn.mirror.example' } });
  const fixed = await load();
  try {
    expect(fixed.diagnostics.filter((d) => d.code === 'APP_JSON_INVALID')).toEqual([]);
    expect(dingTalkSettingsOf(fixed).scriptBase).toBe('https://cdn.mirror.example');
  } finally {
    await fixed.close();
  }
});

test('a key no one declares is refused with a did-you-mean', async () => {
  writeAppJson({ dingtak: { scriptBase: 'https://cdn.mirror.example' } });
  const app = await load();
  try {
    const problem = app.diagnostics.find((d) => d.code === 'APP_JSON_INVALID');
    expect(problem).toMatchObject({ pointer: '/dingtak', severity: 'error' });
    expect(problem!.message).toMatch(/did you mean "dingtalk"\?/);
  } finally {
    await app.close();
  }
});

test('an app\'s own Type declares a section of its own; a core key cannot be declared', async () => {
  const typeDir = path.join(dir, 'auths', 'loginTypes', 'LdapType');
  fs.mkdirSync(typeDir, { recursive: true });
  fs.writeFileSync(
    path.join(typeDir, 'ldap.settings.json'),
    JSON.stringify({ type: 'object', additionalProperties: false, properties: { url: { type: 'string', default: 'ldap://localhost' }, timeoutMs: { type: 'integer', default: 5000 } } }),
  );
  fs.writeFileSync(path.join(typeDir, 'e.json'), JSON.stringify({ title: 'LDAP login', type: 'auths.loginTypes.Meta', appSettings: { ldap: 'ldap.settings.json' } }));
  writeAppJson({ ldap: { url: 'ldaps://ldap.acme.example' } });
  const app = await load();
  try {
    expect(app.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(app.settings.section('ldap')).toEqual({ url: 'ldaps://ldap.acme.example', timeoutMs: 5000 });
  } finally {
    await app.close();
  }

  fs.writeFileSync(path.join(typeDir, 'e.json'), JSON.stringify({ title: 'LDAP login', type: 'auths.loginTypes.Meta', appSettings: { sessions: 'ldap.settings.json' } }));
  writeAppJson({ ldap: undefined });
  const clash = await load();
  try {
    const problem = clash.diagnostics.find((d) => d.code === 'E_JSON_INVALID');
    expect(problem).toMatchObject({ pointer: '/appSettings/sessions', fullName: 'auths.loginTypes.LdapType' });
    expect(problem!.message).toMatch(/a key of app.json the runtime owns/);
  } finally {
    await clash.close();
  }
});
