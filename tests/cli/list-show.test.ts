/**
 * `jit list` and `jit show`: what an app holds, where each element comes from, and whether it loads;
 * secrets always shown as [redacted].
 */
import { DEMO_APP, DEMO_SECRET, fixture } from '../loader/fixtures';
import { runCli, STACK_TRACE } from './run-cli';

describe('jit list', () => {
  it('lists every element with level, type, title, defining app and validity', async () => {
    const run = await runCli('list', '--app', DEMO_APP);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FULLNAME\s+LEVEL\s+TYPE\s+TITLE\s+DEFINED BY\s+VALID$/);
    expect(lines).toHaveLength(15);
    expect(lines.find((l) => l.startsWith('auths.loginTypes.testDDLogin '))).toMatch(
      /^auths\.loginTypes\.testDDLogin\s+instance\s+auths\.loginTypes\.DDInnerType\s+DingTalk Custom QR Code Login\s+acme\.hr\s+yes$/,
    );
  });

  it('--type keeps the instances and subtypes of a Type; --json prints records', async () => {
    const run = await runCli('list', '--app', fixture('dd-subtype-app'), '--type', 'auths.loginTypes.DDInnerType', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({ fullName: 'auths.loginTypes.AuditedDDType', level: 'type', definedBy: 'test.ddsub', valid: true }),
      expect.objectContaining({ fullName: 'auths.loginTypes.corpLogin', level: 'instance', type: 'auths.loginTypes.AuditedDDType', valid: true, errors: 0 }),
    ]);
  });

  it('shows overrides and invalid elements', async () => {
    const child = await runCli('list', '--app', fixture('child-app'), '--type', 'widgets.SharedType');
    expect(child.stdout).toMatch(/widgets\.greeting\s+instance\s+widgets\.SharedType\s+Greeting \(child\)\s+test\.child \(overrides test\.base\)\s+yes/);
    const broken = await runCli('list', '--app', fixture('invalid-type-chain'), '--type', 'widgets.Meta');
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(/widgets\.thing\s+.*no \(DEFINITION_INVALID\)$/m);
  });

  it('an unknown --type is a user error (exit 1) with a suggestion', async () => {
    const run = await runCli('list', '--app', DEMO_APP, '--type', 'auths.loginTypes.DDInerType');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error: No element auths.loginTypes.DDInerType in this app: did you mean auths.loginTypes.DDInnerType? (see jit list)\n');
  });

  it('an app folder without app.json is a user error, without a stack trace', async () => {
    const run = await runCli('list', '--app', fixture('broken/app-json-missing'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error CONFIG_INVALID: .* is not a usable app: .*app\.json:1:1 APP_JSON_MISSING/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('jit show', () => {
  it('shows the definition with config, the secret redacted', async () => {
    const run = await runCli('show', 'auths.loginTypes.testDDLogin', '--app', DEMO_APP);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('auths.loginTypes.testDDLogin (instance of auths.loginTypes.DDInnerType)');
    expect(run.stdout).toContain('type chain:  auths.loginTypes.DDInnerType -> auths.loginTypes.Meta');
    expect(run.stdout).toContain('defined by:  acme.hr');
    expect(run.stdout).toMatch(/module:\s+elements\/auths\/loginTypes\/DDInnerType\/DDInnerType \(from auths\.loginTypes\.DDInnerType\)/);
    expect(run.stdout).toContain('"appSecret": "[redacted]"');
    expect(run.stdout).toContain('"appKey": "dinga1b2c3d4e5f6g7h8"');
    expect(run.stdout).not.toContain(DEMO_SECRET);
  });

  it('--json prints the definition with provenance and the secret redacted', async () => {
    const run = await runCli('show', 'auths.loginTypes.testDDLogin', '--app', DEMO_APP, '--json');
    const shown = JSON.parse(run.stdout);
    expect(shown).toMatchObject({
      fullName: 'auths.loginTypes.testDDLogin',
      level: 'instance',
      provenance: { definedBy: 'acme.hr', overrides: [] },
      secretPointers: ['/authConfig/appSecret'],
      config: { authConfig: { appSecret: '[redacted]', corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c' } },
      valid: true,
    });
    expect(run.stdout).not.toContain(DEMO_SECRET);
  });

  it('shows an override\'s provenance and a broken element\'s diagnostics', async () => {
    const override = await runCli('show', 'auths.loginTypes.DDInnerType', '--app', fixture('dd-override-app'));
    expect(override.stdout).toContain('defined by:  test.ddover, overriding jit.platform');
    const broken = await runCli('show', 'widgets.thing', '--app', fixture('invalid-type-chain'));
    expect(broken.code).toBe(0);
    expect(broken.stdout).toContain('valid:       no');
    expect(broken.stdout).toMatch(/widgets\/thing\/e\.json:3:11 DEFINITION_INVALID/);
  });

  it('an unknown element is a user error (exit 1) with a suggestion', async () => {
    const run = await runCli('show', 'auths.loginTypes.testDDLogn', '--app', DEMO_APP);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('error ELEMENT_NOT_FOUND: No element auths.loginTypes.testDDLogn in this app: did you mean auths.loginTypes.testDDLogin? (see jit list)\n');
  });

  it('without a fullName is bad usage (exit 2)', async () => {
    expect((await runCli('show', '--app', DEMO_APP)).code).toBe(2);
  });
});
