/**
 * loadDefinitions on real app folders: fullNames from paths, levels from type chains, frozen
 * definitions, business config validated with the Type's schema and its defaults applied.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadDefinitions, SourceFiles } from '../../runtime/loader';
import { copyFixture, DEMO_APP, DEMO_SECRET, ddConfig, fixture, makeTemp, removeTemp, writeJson } from './fixtures';

describe('loadDefinitions', () => {
  it('loads the demo app cleanly, with the platform app underneath', () => {
    const result = loadDefinitions(DEMO_APP);
    expect(result.diagnostics).toEqual([]);
    expect(result.fatal).toBe(false);
    expect(result.app).toMatchObject({ appId: 'acme.hr', title: 'Acme HR (demo)', dir: DEMO_APP });
    expect(result.layers.map((l) => l.appId)).toEqual(['jit.platform', 'acme.hr']);

    const login = result.registry.get('auths.loginTypes.testDDLogin')!;
    expect(login).toMatchObject({
      level: 'instance',
      type: 'auths.loginTypes.DDInnerType',
      typeChain: ['auths.loginTypes.DDInnerType', 'auths.loginTypes.Meta'],
      appId: 'acme.hr',
      provenance: { definedBy: 'acme.hr', overrides: [] },
      accessModifier: 'public',
      valid: true,
      dir: path.join(DEMO_APP, 'auths', 'loginTypes', 'testDDLogin'),
      configFile: path.join(DEMO_APP, 'auths', 'loginTypes', 'testDDLogin', 'testDDLogin.json'),
      secretPointers: ['/authConfig/appSecret'],
    });
    // {{DD_APP_SECRET}} resolved from apps/demo/.env; `$schema` is editor metadata, not config.
    expect(login.config).toEqual({
      authConfig: { appKey: 'dinga1b2c3d4e5f6g7h8', appSecret: DEMO_SECRET, agentId: 3012345678, corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c' },
      scope: 'openid corpid',
      binding: { autoBind: true, match: [{ source: 'mobile', target: 'phone' }], whenNotAssociated: 'createUser' },
      isActive: true,
      dingtalk: { qps: 20 }, // the schema's default, filled in
    });

    expect(result.registry.get('auths.loginTypes.Meta')).toMatchObject({ level: 'meta', type: '', typeChain: [] });
    expect(result.registry.get('auths.loginTypes.DDInnerType')).toMatchObject({ level: 'type', provenance: { definedBy: 'jit.platform', overrides: [] } });
    // An element pointing at a Type is an Instance, whether or not it has code of its own.
    expect(result.registry.get('auths.loginTypes.DDInnerType.services.DDInnerAuthSvc')).toMatchObject({
      level: 'instance',
      typeChain: ['services.NormalType', 'services.Meta'],
    });
  });

  it('registers deeply frozen definitions', () => {
    const login = loadDefinitions(DEMO_APP).registry.get('auths.loginTypes.testDDLogin')!;
    expect(Object.isFrozen(login)).toBe(true);
    expect(Object.isFrozen(login.config!.authConfig)).toBe(true);
    expect(Object.isFrozen(login.typeChain)).toBe(true);
    expect(Object.isFrozen(login.eJson)).toBe(true);
    expect(() => {
      (login.config!.authConfig as Record<string, unknown>).appKey = 'changed';
    }).toThrow(TypeError);
  });

  it('fills the config schema defaults into the frozen config', () => {
    const dir = makeTemp('defaults');
    try {
      writeJson(path.join(dir, 'app.json'), { appId: 'test.defaults', title: 'Defaults' });
      fs.writeFileSync(path.join(dir, '.env'), `DD_APP_SECRET=${'s'.repeat(64)}\n`);
      writeJson(path.join(dir, 'auths/loginTypes/minimal/e.json'), { title: 'Minimal', type: 'auths.loginTypes.DDInnerType' });
      writeJson(path.join(dir, 'auths/loginTypes/minimal/minimal.json'), ddConfig());
      const minimal = loadDefinitions(dir).registry.get('auths.loginTypes.minimal')!;
      expect(minimal.valid).toBe(true);
      expect(minimal.config).toMatchObject({
        scope: 'openid',
        binding: { autoBind: true, match: [], whenNotAssociated: 'createUser' },
        isActive: true,
      });
    } finally {
      removeTemp(dir);
    }
  });

  it('derives levels for a custom Meta, Type, subtype and their instances', () => {
    const { registry, diagnostics } = loadDefinitions(fixture('custom-type-app'));
    expect(diagnostics).toEqual([]);
    expect(registry.get('counters.Meta')!.level).toBe('meta');
    expect(registry.get('counters.CounterType')).toMatchObject({ level: 'type', typeChain: ['counters.Meta'] });
    expect(registry.get('counters.SteppedType')).toMatchObject({ level: 'type', typeChain: ['counters.CounterType', 'counters.Meta'] });
    expect(registry.get('counters.visits')).toMatchObject({ level: 'instance', config: { start: 10, step: 2 } });
    // The subtype's instance is validated with the nearest schema in its chain (CounterType's), defaults included.
    expect(registry.get('counters.pages')).toMatchObject({ level: 'instance', typeChain: ['counters.SteppedType', 'counters.CounterType', 'counters.Meta'], config: { start: 1, step: 1 } });
    expect(registry.get('counters.CounterType')!.functionList).toEqual([{ name: 'next', title: 'Next value', args: [], loginRequired: false }]);
    expect(registry.get('counters.CounterType')!.backendBundleEntry).toBe(fixture('custom-type-app', 'counters', 'CounterType', 'CounterType'));
  });

  it('finds elements by type (instances and subtypes) and level', () => {
    const { registry } = loadDefinitions(fixture('custom-type-app'));
    expect(registry.find({ type: 'counters.CounterType' }).map((d) => d.fullName)).toEqual(['counters.SteppedType', 'counters.pages', 'counters.visits']);
    expect(registry.find({ type: 'counters.CounterType', level: 'instance' }).map((d) => d.fullName)).toEqual(['counters.pages', 'counters.visits']);
  });

  it('skips folders holding another app, node_modules and .jit', () => {
    const dir = copyFixture('custom-type-app');
    try {
      writeJson(path.join(dir, 'vendor', 'other', 'app.json'), { appId: 'test.other', title: 'Nested app' });
      writeJson(path.join(dir, 'vendor', 'other', 'things', 'Meta', 'e.json'), { title: 'Not ours', type: '' });
      writeJson(path.join(dir, 'node_modules', 'pkg', 'e.json'), { title: 'Not an element', type: '' });
      writeJson(path.join(dir, '.jit', 'cache', 'e.json'), { title: 'Not an element', type: '' });
      const { registry, diagnostics } = loadDefinitions(dir);
      expect(diagnostics).toEqual([]);
      expect([...registry.names()].filter((n) => /^(vendor|node_modules|\.jit)/.test(n))).toEqual([]);
    } finally {
      removeTemp(path.dirname(dir));
    }
  });

  it('reads an unchanged file once across loads that share their parsed files', () => {
    const dir = copyFixture('custom-type-app');
    try {
      const files = new SourceFiles();
      const first = loadDefinitions(dir, { files }).registry;
      const second = loadDefinitions(dir, { files }).registry;
      expect(second.get('counters.visits')!.eJson).toBe(first.get('counters.visits')!.eJson);

      writeJson(path.join(dir, 'counters', 'visits', 'e.json'), { title: 'Visits (renamed)', type: 'counters.CounterType' });
      const third = loadDefinitions(dir, { files }).registry;
      expect(third.get('counters.visits')!.title).toBe('Visits (renamed)');
      expect(third.get('counters.pages')!.eJson).toBe(first.get('counters.pages')!.eJson);
    } finally {
      removeTemp(path.dirname(dir));
    }
  });
});
