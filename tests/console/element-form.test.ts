/**
 * Creating and editing a login instance from the console, over real HTTP: the draft is checked by
 * the loader (the diagnostics `jit validate` prints), saved as the files `jit create` writes (only
 * the title and the business config; secrets only as {{NAME}}), and served after hot reload. Refused:
 * a host that is not watching, a folder the host cannot write, a file changed since the form read
 * it, a secret given in clear.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../cli/run-cli';
import { CookieJar } from '../helpers/cookie-jar';
import { startServeProcess } from '../helpers/serve-process';
import { appA, appB, copyFixture, corpB, qrLogin, type TestHost } from '../http/helpers';
import { ACME_LOGIN, CONSOLE_FIXTURE, consolePost, corpA, fn, getPage, http, member, pageData, signedInBrowser, startConsoleHost, useConsoleHost } from './support';
import { useSimulator } from '../helpers/simulator';

const NEW_LOGIN = 'auths.loginTypes.otherLogin';

/** A DingTalk login for the demo's Other Corp, as the form sends it (the secret as the variable's name). */
function otherCorpDraft(overrides: Record<string, unknown> = {}) {
  return {
    mode: 'create',
    fullName: NEW_LOGIN,
    type: 'auths.loginTypes.DDInnerType',
    title: 'DingTalk: Other Corp',
    config: {
      authConfig: { appKey: appB.appKey, appSecret: '{{DD_APP_SECRET_B}}', agentId: appB.agentId, corpId: corpB.corpId },
      scope: 'openid',
      binding: { autoBind: false, whenNotAssociated: 'bindExisting' },
      isActive: true,
    },
    ...overrides,
  };
}

describe('a host that watches its files', () => {
  const t = useConsoleHost({ load: { watch: true } });
  let admin: CookieJar;

  beforeAll(async () => {
    admin = await signedInBrowser(t, 'zhangsan');
  });

  test('the form page carries the Type\'s JSON Schema and no secret', async () => {
    const page = await getPage(t, admin, '/admin/elements/new?type=auths.loginTypes.DDInnerType');
    expect(page.status).toBe(200);
    const form = pageData(page.text).form;
    expect(form.schema.properties.authConfig.properties.appSecret['x-secret']).toBe(true);
    expect(form.refused).toBeNull();
    expect(page.text).toContain('deploy element files like code');
    const edit = await getPage(t, admin, `/admin/elements/edit/${ACME_LOGIN}`);
    expect(edit.text).not.toContain(appA.appSecret);
    expect(pageData(edit.text).form.config.authConfig.appSecret).toBe('{{DD_APP_SECRET}}');
    expect(pageData(edit.text).form.secrets).toEqual([{ pointer: '/authConfig/appSecret', variable: 'DD_APP_SECRET', set: true }]);
  });

  test('check: the loader\'s own diagnostics for the draft, placed in the file it would write', async () => {
    const draft = otherCorpDraft();
    (draft.config as any).authConfig.appKey = 'not-a-key';
    const res = await consolePost(t, admin, '/admin/api/elements/check', draft);
    expect(res.status).toBe(200);
    const [problem] = res.body.data.diagnostics;
    expect(problem).toMatchObject({ severity: 'error', code: 'CONFIG_INVALID', pointer: '/authConfig/appKey', place: 'config', file: 'auths/loginTypes/otherLogin/otherLogin.json' });
    expect(problem.text).toMatch(/^auths\/loginTypes\/otherLogin\/otherLogin\.json:\d+:\d+ CONFIG_INVALID /);
    // Nothing was written.
    expect(fs.existsSync(path.join(t.dir, 'auths', 'loginTypes', 'otherLogin'))).toBe(false);
  });

  test('a secret is only ever a variable\'s name: an empty one gets the suggested variable (and says it is not set); a clear one is refused', async () => {
    const empty = otherCorpDraft();
    (empty.config as any).authConfig.appSecret = '';
    const checked = await consolePost(t, admin, '/admin/api/elements/check', empty);
    expect(checked.body.data.secrets).toEqual([{ pointer: '/authConfig/appSecret', variable: 'OTHER_LOGIN_APP_SECRET', set: false }]);
    expect(checked.body.data.diagnostics.map((d: { code: string }) => d.code)).toContain('ENV_MISSING');

    const clear = otherCorpDraft();
    (clear.config as any).authConfig.appSecret = appB.appSecret;
    for (const address of ['/admin/api/elements/check', '/admin/api/elements/save']) {
      const refused = await consolePost(t, admin, address, clear);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('authConfig.appSecret is a secret');
    }
    expect(fs.existsSync(path.join(t.dir, 'auths', 'loginTypes', 'otherLogin'))).toBe(false);
  });

  test('save: the files jit create writes, jit validate passes on them, and the new instance is served after hot reload', async () => {
    const before = await http(t.url, 'GET', '/login');
    expect(pageData(before.text).instances.map((i: { fullName: string }) => i.fullName)).not.toContain(NEW_LOGIN);
    const saved = await consolePost(t, admin, '/admin/api/elements/save', otherCorpDraft());
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ reloaded: true, live: true, files: ['auths/loginTypes/otherLogin/e.json', 'auths/loginTypes/otherLogin/otherLogin.json'] });

    const dir = path.join(t.dir, 'auths', 'loginTypes', 'otherLogin');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'e.json'), 'utf8'))).toEqual({ $schema: expect.stringMatching(/schemas\/e\.schema\.json$/), title: 'DingTalk: Other Corp', type: 'auths.loginTypes.DDInnerType' });
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'otherLogin.json'), 'utf8'));
    expect(config.$schema).toMatch(/schemas\/auths\.loginTypes\.DDInnerType\.config\.json$/);
    expect(config.authConfig.appSecret).toBe('{{DD_APP_SECRET_B}}');
    expect(fs.readFileSync(path.join(dir, 'otherLogin.json'), 'utf8')).not.toContain(appB.appSecret);
    expect(fs.readdirSync(dir).sort()).toEqual(['e.json', 'otherLogin.json']);

    // `jit validate` on the files as written, with the variables the host has set.
    Object.assign(process.env, { DD_APP_SECRET: appA.appSecret, DD_APP_SECRET_B: appB.appSecret });
    try {
      const validate = await runCli('validate', '--app', t.dir);
      expect(validate.stdout + validate.stderr).not.toMatch(/ERROR|error/);
      expect(validate.code).toBe(0);
    } finally {
      delete process.env.DD_APP_SECRET;
      delete process.env.DD_APP_SECRET_B;
    }

    const after = await http(t.url, 'GET', '/login');
    expect(pageData(after.text).instances.map((i: { fullName: string }) => i.fullName)).toContain(NEW_LOGIN);
    const config2 = await http(t.url, 'POST', fn(NEW_LOGIN, 'getLoginConfig'), { json: {} });
    expect(config2.body.data).toMatchObject({ appKey: appB.appKey, corpId: corpB.corpId });
    const [event] = (await t.app.audit.list({ type: 'admin.instance.created' })).events;
    expect(event).toMatchObject({ instance: NEW_LOGIN, details: expect.objectContaining({ via: 'console', type: 'auths.loginTypes.DDInnerType' }) });
    // Creating it again is refused: it exists.
    expect((await consolePost(t, admin, '/admin/api/elements/save', otherCorpDraft())).status).toBe(400);
  });

  test('edit: only the title and the business config change; e.json keeps its type and every other key; the change is live', async () => {
    const eJsonFile = path.join(t.dir, 'auths', 'loginTypes', 'acmeLogin', 'e.json');
    fs.writeFileSync(eJsonFile, JSON.stringify({ title: 'DingTalk: Acme Demo Corp', type: 'auths.loginTypes.DDInnerType', description: 'kept as written' }, null, 2));
    // Let the host pick that edit up first, so the save below waits for its own reload.
    await waitFor(async () => t.app.getDefinition(ACME_LOGIN)!.eJson.description === 'kept as written');
    const form = pageData((await getPage(t, admin, `/admin/elements/edit/${ACME_LOGIN}`)).text).form;
    const config = { ...form.config, scope: 'openid corpid' };
    const saved = await consolePost(t, admin, '/admin/api/elements/save', {
      mode: 'edit',
      fullName: ACME_LOGIN,
      // Whatever else the request says, the type is not the form's to change.
      type: 'auths.loginTypes.PasswordType',
      backendBundleEntry: '../../../evil',
      title: 'Acme (edited)',
      config,
      stamp: form.stamp,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.data.live).toBe(true);
    expect(JSON.parse(fs.readFileSync(eJsonFile, 'utf8'))).toEqual({ title: 'Acme (edited)', type: 'auths.loginTypes.DDInnerType', description: 'kept as written' });
    expect(t.app.getDefinition(ACME_LOGIN)!.config!.scope).toBe('openid corpid');
    const login = await http(t.url, 'GET', '/login', { headers: { 'accept-language': 'en' } });
    expect(login.text).toContain('<h2 id="jit-login-0-title">Acme (edited)</h2>');
    expect((await t.app.audit.list({ type: 'admin.instance.updated' })).events).toHaveLength(1);
  });

  test('a file changed on disk since the form opened is not overwritten', async () => {
    const form = pageData((await getPage(t, admin, `/admin/elements/edit/${ACME_LOGIN}`)).text).form;
    const configFile = path.join(t.dir, 'auths', 'loginTypes', 'acmeLogin', 'acmeLogin.json');
    const edited = fs.readFileSync(configFile, 'utf8').replace('"openid corpid"', '"openid"');
    fs.writeFileSync(configFile, edited);
    const stale = await consolePost(t, admin, '/admin/api/elements/save', { mode: 'edit', fullName: ACME_LOGIN, title: 'Stale', config: form.config, stamp: form.stamp });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('FILE_CHANGED');
    expect(fs.readFileSync(configFile, 'utf8')).toBe(edited);
  });

  test('only login instances of this app: not a Type, not another family, not outside auths.loginTypes', async () => {
    expect((await getPage(t, admin, '/admin/elements/edit/auths.loginTypes.DDInnerType')).status).toBe(404);
    expect((await consolePost(t, admin, '/admin/api/elements/check', otherCorpDraft({ fullName: 'corps.sneaky' }))).status).toBe(400);
    expect((await consolePost(t, admin, '/admin/api/elements/check', otherCorpDraft({ fullName: 'auths.loginTypes.bad-name' }))).status).toBe(400);
    expect((await consolePost(t, admin, '/admin/api/elements/check', otherCorpDraft({ fullName: 'auths.loginTypes.x', type: 'services.NormalType' }))).status).toBe(400);
  });
});

test('a host that does not watch its files refuses to save, and its form says why', async () => {
  const t = await startConsoleHost();
  try {
    const admin = await signedInBrowser(t, 'zhangsan');
    const page = await getPage(t, admin, '/admin/elements/new');
    expect(page.text).toContain('data-role="edit-refused"');
    expect(page.text).toContain('jit serve --watch');
    const refused = await consolePost(t, admin, '/admin/api/elements/save', otherCorpDraft());
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('EDIT_REFUSED');
    expect(fs.existsSync(path.join(t.dir, 'auths', 'loginTypes', 'otherLogin'))).toBe(false);
  } finally {
    await t.close();
  }
});

describe('a host that cannot write the element folder', () => {
  // Root writes anywhere, so as root the host runs as `nobody` (a host with its files owned by
  // someone else, the usual deployment); otherwise the folder is made read-only.
  const asRoot = process.getuid?.() === 0;
  const sim = useSimulator({ qps: 'off' });
  let dir: string;

  beforeAll(async () => {
    dir = copyFixture(CONSOLE_FIXTURE);
  });
  afterAll(async () => {
    if (!asRoot) fs.chmodSync(path.join(dir, 'auths', 'loginTypes'), 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('refuses with the reason, and writes nothing', async () => {
    const loginTypes = path.join(dir, 'auths', 'loginTypes');
    if (asRoot) {
      fs.chmodSync(dir, 0o755);
      fs.mkdirSync(path.join(dir, '.jit'), { recursive: true });
      fs.chownSync(path.join(dir, '.jit'), 65534, 65534);
    } else {
      fs.chmodSync(loginTypes, 0o555);
    }
    const host = await startServeProcess({
      appDir: dir,
      args: ['--watch'],
      runAs: asRoot ? 'nobody' : undefined,
      env: { DINGTALK_OAPI_URL: sim.oapiUrl, DINGTALK_API_URL: sim.apiUrl, DINGTALK_LOGIN_URL: sim.loginUrl, DD_APP_SECRET: appA.appSecret, DD_APP_SECRET_B: appB.appSecret },
    });
    try {
      const jar = new CookieJar();
      const login = await qrLogin({ url: host.url, sim } as TestHost, ACME_LOGIN, member(corpA, 'zhangsan').unionid, {}, jar);
      expect(login.status).toBe(200);
      jar.take(login.headers);
      const page = await http(host.url, 'GET', '/admin/elements/new', { headers: jar.headers({ 'accept-language': 'en' }) });
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-role="edit-refused"');
      expect(page.text).toContain('cannot be written by this host');
      const token = pageData(page.text).csrfToken as string;
      const refused = await http(host.url, 'POST', '/admin/api/elements/save', { json: otherCorpDraft(), headers: jar.headers({ origin: host.url, 'x-csrf-token': token }) });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('EDIT_REFUSED');
      expect(fs.existsSync(path.join(loginTypes, 'otherLogin'))).toBe(false);
    } finally {
      await host.stop();
    }
  }, 180_000);
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
