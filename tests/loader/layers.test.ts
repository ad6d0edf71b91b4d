/**
 * App layering: the platform app, apps named in `extends`, the app itself; overrides by fullName
 * with provenance; access modifiers; and overriding the official DDInnerType.
 */
import * as path from 'path';
import { loadDefinitions, PLATFORM_APP_DIR, SCHEMAS_DIR } from '../../runtime/loader';
import { fixture } from './fixtures';

describe('app layers', () => {
  it('stacks platform < parents < the app, and the nearest override wins with provenance', () => {
    const result = loadDefinitions(fixture('grandchild-app'));
    expect(result.diagnostics).toEqual([]);
    expect(result.layers.map((l) => l.appId)).toEqual(['jit.platform', 'test.base', 'test.child', 'test.grandchild']);
    const greeting = result.registry.get('widgets.greeting')!;
    expect(greeting).toMatchObject({
      title: 'Greeting (grandchild)',
      appId: 'test.grandchild',
      provenance: { definedBy: 'test.grandchild', overrides: ['test.child', 'test.base'] },
      config: { text: 'hello from grandchild' },
      dir: fixture('grandchild-app', 'widgets', 'greeting'),
    });
    expect(result.registry.get('widgets.usesProtected')!.provenance).toEqual({ definedBy: 'test.child', overrides: [] });
  });

  it('an override inherits the keys it leaves out (here the functionList)', () => {
    const greeting = loadDefinitions(fixture('child-app')).registry.get('widgets.greeting')!;
    expect(greeting.provenance).toEqual({ definedBy: 'test.child', overrides: ['test.base'] });
    expect(greeting.functionList.map((f) => f.name)).toEqual(['hello']);
    expect(greeting.config).toEqual({ text: 'hello from child' });
  });

  it('a protected Type of a parent can be used; a private one only inside its own app', () => {
    const { registry, diagnostics } = loadDefinitions(fixture('child-app'));
    expect(diagnostics).toEqual([]);
    expect(registry.get('widgets.usesProtected')).toMatchObject({ valid: true, typeChain: ['widgets.ProtectedType', 'widgets.Meta'] });
    // base-app's own instance of its private Type is fine, also when loaded as a parent.
    expect(registry.get('widgets.internalNote')).toMatchObject({ valid: true, appId: 'test.base' });

    const denied = loadDefinitions(fixture('broken/access-denied'));
    expect(denied.registry.get('widgets.mine')!.valid).toBe(false);
    expect(denied.registry.get('widgets.mine')!.diagnostics.map((d) => d.code)).toEqual(['ACCESS_DENIED']);
  });

  it('an app may override auths.loginTypes.DDInnerType, keeping its schema, uniqueness rule and functions', () => {
    const { registry, diagnostics } = loadDefinitions(fixture('dd-override-app'));
    expect(diagnostics).toEqual([]);
    const type = registry.get('auths.loginTypes.DDInnerType')!;
    expect(type).toMatchObject({
      title: 'DingTalk login (Acme flavour)',
      level: 'type',
      provenance: { definedBy: 'test.ddover', overrides: ['jit.platform'] },
      backendBundleEntry: fixture('dd-override-app', 'auths', 'loginTypes', 'DDInnerType', 'AcmeDDInnerType'),
    });
    expect(type.functionList.map((f) => f.name)).toEqual(['getLoginConfig', 'getLoginCode']);
    // Inherited paths still point into the platform's folder.
    expect(type.eJson.configSchema).toBe(path.join(SCHEMAS_DIR, 'auths.loginTypes.DDInnerType.config.json'));
    expect(type.eJson.frontendBundleEntry).toBe(path.join(PLATFORM_APP_DIR, 'auths', 'loginTypes', 'DDInnerType', 'pages', 'login-panel.js'));
    expect(type.eJson.uniqueConfig).toEqual([{ pointer: '/authConfig/corpId', activeWhen: '/isActive', label: 'corpId' }]);
    expect(registry.get('auths.loginTypes.acmeLogin')).toMatchObject({ valid: true, config: { scope: 'openid', isActive: true } });
    // The platform's own children of DDInnerType are still there.
    expect(registry.get('auths.loginTypes.DDInnerType.services.DDInnerAuthSvc')!.valid).toBe(true);
  });

  it('an app may add its own Type built on DDInnerType (a subtype)', () => {
    const { registry, diagnostics } = loadDefinitions(fixture('dd-subtype-app'));
    expect(diagnostics).toEqual([]);
    expect(registry.get('auths.loginTypes.AuditedDDType')).toMatchObject({ level: 'type', typeChain: ['auths.loginTypes.DDInnerType', 'auths.loginTypes.Meta'] });
    expect(registry.get('auths.loginTypes.corpLogin')).toMatchObject({
      level: 'instance',
      typeChain: ['auths.loginTypes.AuditedDDType', 'auths.loginTypes.DDInnerType', 'auths.loginTypes.Meta'],
      secretPointers: ['/authConfig/appSecret'],
    });
  });
});
