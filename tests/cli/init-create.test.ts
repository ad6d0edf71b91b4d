/**
 * `jit init` and `jit create`: scaffolding with `$schema` references editors can follow, secrets as
 * {{NAME}} references, refusals (non-empty folder, existing files, bad names, unknown or unusable
 * types) as one line with exit 1, and a scaffolded app that validates once its secret is set.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadDefinitions } from '../../runtime/loader';
import { makeTemp, readJson, removeTemp, SCHEMAS } from '../loader/fixtures';
import { runCli, STACK_TRACE } from './run-cli';

const SECRET = 'S'.repeat(64);

describe('jit init', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = makeTemp('init');
  });
  afterEach(() => removeTemp(tmp));

  it('creates app.json, .gitignore and auths/loginTypes/, and the new app validates', async () => {
    const dir = path.join(tmp, 'hr');
    const run = await runCli('init', dir, '--app-id', 'acme.hr', '--title', 'Acme HR');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created app acme.hr');
    const appJson = readJson(path.join(dir, 'app.json'));
    expect(appJson).toEqual({ $schema: expect.any(String), appId: 'acme.hr', title: 'Acme HR', version: '0.1.0', extends: [] });
    expect(path.resolve(dir, appJson.$schema as string)).toBe(path.join(SCHEMAS, 'app.schema.json'));
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['.jit/', '.env']));
    expect(fs.readdirSync(path.join(dir, 'auths', 'loginTypes'))).toEqual([]);
    expect(await runCli('validate', '--app', dir)).toMatchObject({ code: 0, stdout: 'acme.hr: 12 elements, no problems\n' });
  });

  it('refuses a folder that is not empty', async () => {
    fs.writeFileSync(path.join(tmp, 'notes.txt'), 'mine');
    const run = await runCli('init', tmp, '--app-id', 'acme.hr');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .* is not an empty folder/);
    expect(fs.existsSync(path.join(tmp, 'app.json'))).toBe(false);
  });

  it('refuses an app id that is not <org>.<app>', async () => {
    const run = await runCli('init', path.join(tmp, 'x'), '--app-id', 'Acme HR');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--app-id "Acme HR" is not <org>.<app>');
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('without --app-id is bad usage (exit 2)', async () => {
    const run = await runCli('init', path.join(tmp, 'x'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--app-id <org.name>' not specified");
  });
});

describe('jit create', () => {
  let tmp: string;
  let app: string;
  beforeEach(async () => {
    tmp = makeTemp('create');
    app = path.join(tmp, 'hr');
    await runCli('init', app, '--app-id', 'acme.hr');
  });
  afterEach(() => removeTemp(tmp));

  const create = (...args: string[]) => runCli('create', ...args, '--app', app);
  const ddArgs = ['--type', 'auths.loginTypes.DDInnerType', '--app-key', 'dinga1b2c3d4e5f6g7h8', '--corp-id', 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c', '--agent-id', '3012345678'];

  it('scaffolds e.json and the business config with $schema references and the secret as {{NAME}}', async () => {
    const run = await create('auths.loginTypes.testDDLogin', ...ddArgs, '--title', 'DingTalk QR login');
    expect(run.code).toBe(0);
    const folder = path.join(app, 'auths', 'loginTypes', 'testDDLogin');
    const eJson = readJson(path.join(folder, 'e.json'));
    expect(eJson).toEqual({ $schema: expect.any(String), title: 'DingTalk QR login', type: 'auths.loginTypes.DDInnerType' });
    expect(path.resolve(folder, eJson.$schema as string)).toBe(path.join(SCHEMAS, 'e.schema.json'));

    const config = readJson(path.join(folder, 'testDDLogin.json'));
    expect(path.resolve(folder, config.$schema as string)).toBe(path.join(SCHEMAS, 'auths.loginTypes.DDInnerType.config.json'));
    expect(config).toEqual({
      $schema: config.$schema,
      authConfig: { appKey: 'dinga1b2c3d4e5f6g7h8', appSecret: '{{TEST_DD_LOGIN_APP_SECRET}}', agentId: 3012345678, corpId: 'ding5f1e0c2b9a7d4e3f8c6b1a0d2e4f6a8c' },
      scope: 'openid',
      binding: { autoBind: true, match: [], whenNotAssociated: 'createUser' },
      isActive: true,
      dingtalk: { qps: 20 }, // the schema's default: the scaffold shows the call budget
    });
    expect(run.stdout).toContain('TEST_DD_LOGIN_APP_SECRET=');
    expect(run.stdout).toContain(`Created ${path.relative(process.cwd(), path.join(folder, 'e.json'))}`);

    // Until the secret is set the app says so; once it is, the app validates.
    const missing = await runCli('validate', '--app', app);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/testDDLogin\.json:5:18 ENV_MISSING .*TEST_DD_LOGIN_APP_SECRET/);
    fs.writeFileSync(path.join(app, '.env'), `TEST_DD_LOGIN_APP_SECRET=${SECRET}\n`);
    expect((await runCli('validate', '--app', app)).code).toBe(0);
    expect(loadDefinitions(app).registry.get('auths.loginTypes.testDDLogin')!.config).toMatchObject({ authConfig: { appSecret: SECRET } });
  });

  it('lists the fields to fill when they were not given', async () => {
    const run = await create('auths.loginTypes.later', '--type', 'auths.loginTypes.DDInnerType');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Fill in: authConfig.appKey, authConfig.agentId, authConfig.corpId');
  });

  it('scaffolds only e.json for a Type without a config schema', async () => {
    const run = await create('services.reports', '--type', 'services.NormalType');
    expect(run.code).toBe(0);
    expect(fs.readdirSync(path.join(app, 'services', 'reports'))).toEqual(['e.json']);
    expect(loadDefinitions(app).registry.get('services.reports')).toMatchObject({ level: 'instance', valid: true });
  });

  it('refuses to overwrite an existing element', async () => {
    await create('auths.loginTypes.testDDLogin', ...ddArgs);
    const before = fs.readFileSync(path.join(app, 'auths', 'loginTypes', 'testDDLogin', 'testDDLogin.json'), 'utf8');
    const run = await create('auths.loginTypes.testDDLogin', ...ddArgs, '--app-key', 'dingz9y8x7w6v5u4t3s2');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: auths\.loginTypes\.testDDLogin already exists/);
    expect(fs.readFileSync(path.join(app, 'auths', 'loginTypes', 'testDDLogin', 'testDDLogin.json'), 'utf8')).toBe(before);
  });

  it('refuses to overwrite files in a folder that is not an element yet', async () => {
    const folder = path.join(app, 'auths', 'loginTypes', 'draft');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'draft.json'), '{"mine": true}\n');
    const run = await create('auths.loginTypes.draft', ...ddArgs);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('draft.json already exists: refusing to overwrite it');
    expect(fs.readFileSync(path.join(folder, 'draft.json'), 'utf8')).toBe('{"mine": true}\n');
  });

  it('rejects a name that is not a valid fullName segment', async () => {
    const run = await create('auths.loginTypes.my-login', ...ddArgs);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"my-login" in auths.loginTypes.my-login is not a valid fullName segment');
    expect(run.stderr).toContain('(e.g. myLogin)');
    expect(fs.existsSync(path.join(app, 'auths', 'loginTypes', 'my-login'))).toBe(false);
  });

  it('rejects an unknown type with a suggestion, and a Meta or an Instance as type', async () => {
    const unknown = await create('auths.loginTypes.x', '--type', 'auths.loginTypes.DDInnerTyp');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown type auths.loginTypes.DDInnerTyp: did you mean auths.loginTypes.DDInnerType?');
    const meta = await create('auths.loginTypes.x', '--type', 'auths.loginTypes.Meta');
    expect(meta.code).toBe(1);
    expect(meta.stderr).toContain('auths.loginTypes.Meta is a Meta');
    const instance = await create('auths.loginTypes.x', '--type', 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc');
    expect(instance.code).toBe(1);
    expect(instance.stderr).toContain('is an Instance, not a Type');
    expect(fs.existsSync(path.join(app, 'auths', 'loginTypes', 'x'))).toBe(false);
  });

  it('without --type is bad usage (exit 2)', async () => {
    expect((await create('auths.loginTypes.x')).code).toBe(2);
  });
});
