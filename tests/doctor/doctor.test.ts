/**
 * `jit doctor`: every check passing and failing against the simulator (faults, an org file whose app
 * lacks a permission, a wrong secret, a wrong corpId, no publicUrl), the audit row and lastDoctorRun,
 * and the command: --json shape, exit codes 0 / 1 / 2, no secret in the output.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { sriHash } from '../../runtime';
import { standinIntegrity } from '../../sim/standin-scripts';
import { loadDemoOrg, startSimulator } from '../../sim';
import { lastDoctorRun, type DoctorReport } from '../../dingtalk/doctor';
import { doctorInstance as runDoctor } from '../../elements/corps/doctor-subject';
import { ACME_CORP, ACME_LOGIN, GLOBEX_LOGIN, TWO_ORGS_APP } from '../corps/corps-fixture';
import { runCli } from '../cli/run-cli';
import { dingTalkRuntimeOf } from '../../dingtalk/client/app-runtime';
import { CORP_A, CORP_B, DEMO_SECRETS_ENV } from '../helpers/demo-org';
import { openLoginApp, type LoginApp, copyAppFolder, readJson, writeJson } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';
import { useScratchDatabase } from '../helpers/scratch-database';

const statusOf = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const check = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id)!;

describe('jit doctor against the simulator', () => {
  const sim = useSimulator();
  let copy: { dir: string; remove(): void };
  let env: LoginApp;
  // Declared before the database, so it runs first: the app closes before its database goes.
  afterAll(async () => {
    await env?.close();
    copy?.remove();
  });
  const db = useScratchDatabase('sqlite');

  /** The fixture app, with https publicUrl and Acme's corp syncing events (unless told otherwise). */
  async function open(edit: (dir: string) => void = () => undefined): Promise<LoginApp> {
    await env?.close();
    copy?.remove();
    copy = copyAppFolder(TWO_ORGS_APP);
    const appJson = path.join(copy.dir, 'app.json');
    writeJson(appJson, { ...readJson(appJson), publicUrl: 'https://login.example.com/' });
    const corpJson = path.join(copy.dir, 'corps/acme/acme.json');
    writeJson(corpJson, { ...readJson(corpJson), sync: { intervalMinutes: 60, events: true } });
    edit(copy.dir);
    env = await openLoginApp({ sim, app: copy.dir, database: db });
    return env;
  }

  afterEach(() => sim.clearFaults());

  it('a login named by a corp with sync.events: every check ok, each API called once', async () => {
    await open();
    sim.resetCounters();
    const lanes: string[] = [];
    const stop = dingTalkRuntimeOf(env.app).metrics.subscribe((e) => {
      if (e.type === 'call') lanes.push(e.lane);
    });
    const report = await runDoctor(env.app, ACME_LOGIN);
    stop();
    expect(statusOf(report)).toEqual({
      credentials: 'ok',
      'permission:topapi/v2/user/get': 'ok',
      'permission:topapi/user/getbyunionid': 'ok',
      'permission:topapi/v2/department/listsub': 'ok',
      'permission:topapi/v2/department/get': 'ok',
      'permission:topapi/v2/user/list': 'ok',
      ipWhitelist: 'ok',
      redirectUrl: 'ok',
      scriptIntegrity: 'skipped',
      corpId: 'ok',
      stream: 'ok',
    });
    expect(report.ok).toBe(true);
    expect(report.corp).toBe(ACME_CORP);
    expect(check(report, 'redirectUrl').detail).toContain(`https://login.example.com/login/callback/${ACME_LOGIN}`);
    const counts = sim.counters();
    for (const api of ['topapi/v2/user/get', 'topapi/user/getbyunionid', 'topapi/v2/department/listsub', 'topapi/v2/department/get', 'topapi/v2/user/list', 'oauth2/corpToken', 'gateway/connections/open'] as const) {
      expect([api, counts[api]]).toEqual([api, 1]);
    }
    // The client's calls (token and the five probes) waited in the doctor lane of the app's budget.
    expect(lanes).toHaveLength(6);
    expect(new Set(lanes)).toEqual(new Set(['doctor']));
  });

  it('a corp checks its own features; a login no corp names checks only the login ones', async () => {
    await open();
    const corp = await runDoctor(env.app, ACME_CORP);
    expect(Object.keys(statusOf(corp))).toEqual([
      'credentials', 'permission:topapi/v2/department/listsub', 'permission:topapi/v2/department/get', 'permission:topapi/v2/user/list', 'ipWhitelist', 'corpId', 'stream',
    ]);
    expect(corp.ok).toBe(true);
    const globex = await runDoctor(env.app, GLOBEX_LOGIN);
    expect(Object.keys(statusOf(globex))).toEqual(['credentials', 'permission:topapi/v2/user/get', 'permission:topapi/user/getbyunionid', 'ipWhitelist', 'redirectUrl', 'scriptIntegrity', 'corpId']);
    expect(globex.corp).toBeNull();
  });

  it('no Stream check when the corp does not sync events', async () => {
    await open((dir) => writeJson(path.join(dir, 'corps/acme/acme.json'), { ...readJson(path.join(dir, 'corps/acme/acme.json')), sync: { intervalMinutes: 60 } }));
    expect(statusOf(await runDoctor(env.app, ACME_LOGIN)).stream).toBeUndefined();
  });

  it('a missing permission (fault) is a problem naming the permission', async () => {
    await open();
    sim.injectFault({ kind: 'permission', endpoints: ['topapi/v2/user/list'] });
    const report = await runDoctor(env.app, ACME_LOGIN);
    const c = check(report, 'permission:topapi/v2/user/list');
    expect(c.status).toBe('problem');
    expect(c.detail).toContain('qyapi_get_department_member');
    expect(c.fix).toContain('qyapi_get_department_member');
    expect(report.ok).toBe(false);
    expect(check(report, 'permission:topapi/v2/user/get').status).toBe('ok');
  });

  it('a wrong appSecret: credentials problem, the rest skipped, the secret never in the report', async () => {
    await open();
    const wrong = 'W'.repeat(32) + 'r'.repeat(32); // 64 characters, as authConfig requires, but not the app's
    await env.close();
    env = await openLoginApp({ sim, app: copy.dir, database: db, env: { DD_APP_SECRET_A: wrong, DD_APP_SECRET_B: CORP_B.appSecret } });
    const { app } = env;
    const report = await runDoctor(app, ACME_LOGIN);
    expect(check(report, 'credentials').status).toBe('problem');
    expect(check(report, 'credentials').detail).toContain('refused the appKey / appSecret');
    expect(check(report, 'permission:topapi/v2/user/get').status).toBe('skipped');
    expect(check(report, 'corpId').status).toBe('skipped');
    expect(check(report, 'stream').status).toBe('skipped');
    expect(JSON.stringify(report)).not.toContain(wrong);
    const row = (await app.audit.list({ type: 'admin.doctor', instance: ACME_LOGIN, limit: 1 })).events[0];
    expect(JSON.stringify(row)).not.toContain(wrong);
  });

  it('an org file whose app lacks a permission: the problem names it', async () => {
    const org = loadDemoOrg();
    const acme = org.corps.find((c) => c.corpId === CORP_A.corpId)!;
    acme.apps[0].permissions = ['qyapi_base', 'qyapi_get_member', 'qyapi_get_department_list'];
    const strict = await startSimulator({ org });
    try {
      await open();
      await env.close();
      env = await openLoginApp({ sim: strict, app: copy.dir, database: db });
      const report = await runDoctor(env.app, ACME_LOGIN);
      expect(check(report, 'permission:topapi/v2/user/list')).toMatchObject({ status: 'problem', detail: expect.stringContaining('qyapi_get_department_member') });
      expect(check(report, 'permission:topapi/user/getbyunionid').status).toBe('ok');
    } finally {
      await env.close();
      await strict.close();
    }
  });

  it("IP not whitelisted: a problem with the address DingTalk named", async () => {
    await open();
    sim.injectFault({ kind: 'ipWhitelist', endpoints: ['topapi/v2/user/get'] });
    const report = await runDoctor(env.app, ACME_LOGIN);
    const ip = check(report, 'ipWhitelist');
    expect(ip.status).toBe('problem');
    expect(ip.detail).toMatch(/refused calls from (127\.0\.0\.1|::1)/);
    expect(ip.fix).toMatch(/Add (127\.0\.0\.1|::1) to the app's server egress IP whitelist/);
    expect(check(report, 'permission:topapi/v2/user/get').status).toBe('skipped');
  });

  it('IP refused at the token fetch: the IP check is the problem, the credentials are not blamed', async () => {
    await open();
    sim.injectFault({ kind: 'ipWhitelist', endpoints: ['oauth2/accessToken'] });
    const report = await runDoctor(env.app, GLOBEX_LOGIN);
    expect(statusOf(report)).toMatchObject({ credentials: 'skipped', ipWhitelist: 'problem', 'permission:topapi/v2/user/get': 'skipped', corpId: 'skipped' });
  });

  it('redirect URL: a problem without publicUrl (says to set it) and over http', async () => {
    await open((dir) => writeJson(path.join(dir, 'app.json'), { ...readJson(path.join(dir, 'app.json')), publicUrl: undefined }));
    const unset = check(await runDoctor(env.app, ACME_LOGIN), 'redirectUrl');
    expect(unset.status).toBe('problem');
    expect(unset.fix).toContain('Set "publicUrl" in app.json');
    await open((dir) => writeJson(path.join(dir, 'app.json'), { ...readJson(path.join(dir, 'app.json')), publicUrl: 'http://login.example.com' }));
    const http = check(await runDoctor(env.app, ACME_LOGIN), 'redirectUrl');
    expect(http.status).toBe('problem');
    expect(http.detail).toContain('not https');
  });

  it('a corpId that is not the app\'s organisation is a problem', async () => {
    await open((dir) => {
      const file = path.join(dir, 'auths/loginTypes/acmeLogin/acmeLogin.json');
      const config = readJson(file) as { authConfig: Record<string, unknown> };
      writeJson(file, { ...config, authConfig: { ...config.authConfig, corpId: 'ding0a1b2c3d4e5f60718293a4b5c6d7e8f9' } });
      // Globex's login uses that corpId too; switch it off so the unique corpId rule holds.
      const globex = path.join(dir, 'auths/loginTypes/globexLogin/globexLogin.json');
      writeJson(globex, { ...readJson(globex), isActive: false });
    });
    const report = await runDoctor(env.app, ACME_LOGIN);
    expect(check(report, 'corpId')).toMatchObject({ status: 'problem', detail: expect.stringContaining('unauthorized.client') });
    expect(check(report, 'credentials').status).toBe('ok');
  });

  /** app.json pointing the script base at the simulator (a mirror serving DingTalk's paths with CORS), with these pins. */
  const pinScripts = (scriptIntegrity: Record<string, string>) => (dir: string) => {
    const appJson = path.join(dir, 'app.json');
    writeJson(appJson, { ...readJson(appJson), dingtalk: { scriptBase: sim.url, scriptIntegrity } });
  };

  it('pinned scripts: fetched from the script base and compared (ok when they match)', async () => {
    await open(pinScripts(standinIntegrity()));
    const report = await runDoctor(env.app, ACME_LOGIN);
    expect(check(report, 'scriptIntegrity')).toMatchObject({ status: 'ok', detail: expect.stringContaining(`${sim.url}/dingding/`) });
    expect(report.ok).toBe(true);
  });

  it('a pinned script whose bytes changed (a tampered or updated mirror): a problem naming both hashes', async () => {
    const wrong = sriHash('alert("not the script you pinned")');
    await open(pinScripts({ ...standinIntegrity(), ddLogin: wrong }));
    const report = await runDoctor(env.app, ACME_LOGIN);
    const pins = check(report, 'scriptIntegrity');
    expect(pins.status).toBe('problem');
    expect(pins.detail).toContain(`not the pinned ${wrong}`);
    expect(pins.detail).toContain(standinIntegrity().ddLogin);
    expect(pins.detail).not.toContain('dingtalk.open.js'); // the JSAPI matches its pin: only the changed one is named
    expect(report.ok).toBe(false);
  });

  it('a pin of another algorithm is compared with that algorithm (sha512)', async () => {
    const { createHash } = await import('node:crypto');
    const fs = await import('node:fs');
    const bytes = fs.readFileSync(path.join(__dirname, '../../sim/standins/ddlogin.js'));
    await open(pinScripts({ ddLogin: `sha512-${createHash('sha512').update(bytes).digest('base64')}` }));
    expect(check(await runDoctor(env.app, ACME_LOGIN), 'scriptIntegrity').status).toBe('ok');
  });

  it('the Stream registration works but the WebSocket cannot be opened (a firewall): a problem naming the endpoint', async () => {
    // A gateway in front of the simulator that answers the registration with an endpoint nothing
    // listens on: what a server whose outbound wss is blocked sees after registering.
    const closed = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const gateway = http.createServer((req, res) => {
      const upstream = http.request(`${sim.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          let body = Buffer.concat(chunks).toString('utf8');
          if (req.url?.includes('gateway/connections/open')) body = body.replace(/ws:\/\/[^/"]+/, `ws://127.0.0.1:${closed}`);
          const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) };
          res.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = gateway.address() as AddressInfo;
      await open();
      await env.close();
      env = await openLoginApp({ sim, app: copy.dir, database: db, env: { ...DEMO_SECRETS_ENV, DINGTALK_API_URL: `http://127.0.0.1:${port}` } });
      const stream = check(await runDoctor(env.app, ACME_LOGIN), 'stream');
      expect(stream.status).toBe('problem');
      expect(stream.detail).toMatch(new RegExp(`Registered, but the WebSocket at ws://127\\.0\\.0\\.1:${closed}\\S* did not open: ECONNREFUSED`));
      expect(stream.fix).toContain(`127.0.0.1:${closed}`);
      expect(stream.detail).not.toMatch(/ticket=/); // the one-connection ticket is never said
    } finally {
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
    }
  });

  it('the Stream registration refused: a problem', async () => {
    await open();
    sim.injectFault({ kind: 'busy', endpoints: ['gateway/connections/open'] });
    const report = await runDoctor(env.app, ACME_LOGIN);
    expect(check(report, 'stream').status).toBe('problem');
  });

  it('each run is recorded; lastDoctorRun reads back the last one', async () => {
    await open();
    expect(await lastDoctorRun(env.app, 'auths.loginTypes.neverChecked')).toBeNull();
    await runDoctor(env.app, GLOBEX_LOGIN);
    sim.injectFault({ kind: 'permission', endpoints: ['topapi/v2/user/get'] });
    await runDoctor(env.app, GLOBEX_LOGIN);
    const last = await lastDoctorRun(env.app, GLOBEX_LOGIN);
    expect(last).toMatchObject({ ok: false });
    expect(last!.time).toBeInstanceOf(Date);
    expect(last!.checks).toContainEqual({ id: 'permission:topapi/v2/user/get', status: 'problem' });
  });

  describe('the command', () => {
    const saved = { ...process.env };
    beforeAll(async () => {
      await open();
      await env.close();
      Object.assign(process.env, {
        DINGTALK_OAPI_URL: sim.oapiUrl, DINGTALK_API_URL: sim.apiUrl, DINGTALK_LOGIN_URL: sim.loginUrl,
        DD_APP_SECRET_A: CORP_A.appSecret, DD_APP_SECRET_B: CORP_B.appSecret, JIT_DATABASE_URL: db.url,
      });
    });
    afterAll(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });

    it('--json: the report; exit 0 when all is ok; no secret', async () => {
      const run = await runCli('doctor', ACME_LOGIN, '--json', '--app', copy.dir);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as DoctorReport;
      expect(report).toMatchObject({ instance: ACME_LOGIN, corp: ACME_CORP, appKey: CORP_A.appKey, corpId: CORP_A.corpId, ok: true });
      for (const c of report.checks) expect(Object.keys(c).sort()).toEqual(['detail', 'fix', 'id', 'status', 'title']);
      expect(run.stdout).not.toContain(CORP_A.appSecret);
    });

    it('exit 1 with the problem and its fix in text', async () => {
      sim.injectFault({ kind: 'permission', endpoints: ['topapi/user/getbyunionid'] });
      const run = await runCli('doctor', ACME_LOGIN, '--app', copy.dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('PROBLEM  Permission for topapi/user/getbyunionid');
      expect(run.stdout).toContain('fix: In the developer console');
      expect(run.stdout).toContain('1 problem found.');
      expect(run.stdout + run.stderr).not.toContain(CORP_A.appSecret);
    });

    it('exit 2 for an instance that is not a DingTalk login or corp', async () => {
      const run = await runCli('doctor', 'auths.loginTypes.noSuchLogin', '--app', copy.dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('No instance auths.loginTypes.noSuchLogin');
      expect((await runCli('doctor', '--app', copy.dir)).code).toBe(2);
    });
  });
});
