/**
 * The host tests' fixture: a temp copy of a fixture app of tests/http/fixtures, served by the
 * in-process host on port 0 against the simulator (tests/helpers/login-app.ts does the work; this
 * names the fixtures and their secrets). Plus small fetch helpers (real sockets) and a QR login
 * through the simulator.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Host, HostOptions } from '../../runtime/http/host';
import type { LoadAppOptions } from '../../runtime/app-types';
import type { App } from '../../runtime/app';
import type { Logger } from '../../runtime/logger';
import { loadDemoOrg, startSimulator } from '../../sim';
import type { SimulatorHandle } from '../../sim/types';
import { lateBound } from '../helpers/late-bound';
import { openLoginApp } from '../helpers/login-app';

export const demo = loadDemoOrg();
export const corpA = demo.corps[0];
export const corpB = demo.corps[1];
export const appA = corpA.apps[0];
export const appB = corpB.apps[0];

export const FIXTURES = path.join(__dirname, 'fixtures');
export const ACME_LOGIN = 'auths.loginTypes.acmeLogin';
export const OTHER_LOGIN = 'auths.loginTypes.otherLogin';
export const STAFF_LOGIN = 'auths.loginTypes.staffPassword';
export const AUTH_SERVICE = 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc';
export const API = '/api/acme/hr';

/** The path of an element function of the hr-app fixture. */
export function fn(fullName: string, name: string): string {
  return `${API}/${fullName.split('.').join('/')}/${name}`;
}

/** Copies a fixture app (a name under tests/http/fixtures, or an absolute folder) into a fresh temp folder (its database lands there too). */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jit-${path.basename(name)}-`));
  fs.cpSync(path.isAbsolute(name) ? name : path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export interface Sent {
  phone: string;
  code: string;
}

export interface TestHost {
  url: string;
  dir: string;
  app: App;
  host: Host;
  sim: SimulatorHandle;
  /** Every log line the app and host wrote, as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  /** Raw log lines, for "no secret anywhere" checks. */
  rawLogs: string[];
  /** Verification codes the app "texted". */
  sent: Sent[];
  logger: Logger;
  close(): Promise<void>;
}

export interface TestHostOptions {
  /** A fixture under tests/http/fixtures (default hr-app), or an absolute folder. */
  fixture?: string;
  /** More loadApp options (e.g. `watch: true` for hot reload). */
  load?: Partial<LoadAppOptions>;
  host?: HostOptions;
  /** Keep an existing simulator (one per test file is plenty). */
  sim?: SimulatorHandle;
  /** app.json settings merged into the fixture's app.json (publicUrl, sessions, security, ...). */
  settings?: Record<string, unknown>;
  /** Runs after the host is created and before it listens (to add a route of a test's own). */
  beforeListen?: (host: Host) => void;
}

/** The fixture app (a temporary copy) served by the in-process host, against `sim` or a simulator of its own: useLoginApp's app. */
export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const ownSim = !options.sim;
  const sim = options.sim ?? (await startSimulator());
  try {
    const fixture = options.fixture ?? 'hr-app';
    const env = await openLoginApp({
      sim,
      app: path.isAbsolute(fixture) ? fixture : path.join(FIXTURES, fixture),
      copy: true,
      settings: options.settings,
      env: { DD_APP_SECRET: appA.appSecret, DD_APP_SECRET_B: appB.appSecret },
      // The app's own default, as before: sqlite in the copy's .jit folder.
      database: 'app-folder',
      load: options.load,
      host: 'in-process',
      hostOptions: options.host,
      beforeListen: options.beforeListen,
    });
    return {
      url: env.url,
      dir: env.dir,
      app: env.app,
      host: env.host,
      sim,
      logs: env.logs,
      rawLogs: env.rawLogs,
      sent: env.sentCodes,
      logger: env.logger,
      async close() {
        await env.close();
        if (ownSim) await sim.close();
      },
    };
  } catch (err) {
    // Nothing started here may outlive a failed start.
    if (ownSim) await sim.close();
    throw err;
  }
}

/** startTestHost for a describe block: started in beforeAll, closed in afterAll (options may be a function read then). */
export function useTestHost(options: TestHostOptions | (() => TestHostOptions) = {}): TestHost {
  const handle = lateBound<TestHost>('useTestHost()');
  beforeAll(async () => {
    handle.set(await startTestHost(typeof options === 'function' ? options() : options));
  });
  afterAll(async () => {
    await handle.current()?.close();
  });
  return handle.value;
}

import { http, type HttpResult } from '../helpers/http';
import { CookieJar } from '../helpers/cookie-jar';

export { http, type HttpResult };

/** The `jit_session` value a response set, or null. */
export function sessionCookieOf(res: HttpResult): string | null {
  return cookieOf(res, 'jit_session');
}

/** The value a response set for cookie `name`, or null. */
export function cookieOf(res: HttpResult, name: string): string | null {
  return setCookieLine(res, name)?.split(';')[0].slice(name.length + 1) ?? null;
}

/** The whole Set-Cookie line for cookie `name`, or undefined. */
export function setCookieLine(res: HttpResult, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** The attributes of a Set-Cookie line, lower-cased names (`httponly`, `samesite=lax`, `secure`, ...). */
export function cookieAttributes(line: string | undefined): string[] {
  return (line ?? '').split(';').slice(1).map((a) => a.trim().toLowerCase());
}

/**
 * A QR login as the page does it, from one browser (its cookies kept: the state is bound to the
 * browser key cookie): a fresh state, the person "scans" in the simulator, getLoginCode.
 */
export async function qrLogin(t: TestHost, instance: string, unionid: string, headers: Record<string, string> = {}, jar = new CookieJar()): Promise<HttpResult> {
  const config = await http(t.url, 'POST', fn(instance, 'getLoginConfig'), { json: {}, headers: jar.headers(headers) });
  if (config.status !== 200) throw new Error(`getLoginConfig failed: ${config.text}`);
  jar.take(config.headers);
  const appKey = config.body.data.appKey as string;
  const code = t.sim.mintQrCode(appKey, unionid);
  return http(t.url, 'POST', fn(instance, 'getLoginCode'), { json: { code, loginType: 'qr', platform: 'web', state: config.body.data.state }, headers: jar.headers(headers) });
}

export function member(corp: typeof corpA, userid: string) {
  const user = corp.users.find((u) => u.userid === userid);
  if (!user) throw new Error(`no ${userid} in ${corp.name}`);
  return user;
}
