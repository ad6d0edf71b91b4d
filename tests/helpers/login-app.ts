/**
 * An app with a DingTalk login (DDInnerType) pointed at the simulator, on a real database: the one
 * app fixture of the test suites.
 *
 *   const sim = useSimulator();
 *   describeEachDatabase('first logins', (db) => {
 *     const env = useLoginApp({ sim, app: 'create-user', database: db });
 *     test('...', async () => { await env.auth().getLoginCode(...) });
 *   });
 *
 * The app is one of:
 *   - a fixture under tests/fixtures/login ('create-user', 'bind-existing', 'reject', 'subtype'),
 *     or any app folder (an absolute path; `copy: true` loads a temporary copy a test may edit);
 *   - a folder written for the test from the simulator's org (`{ instances: [...] }`): one login
 *     instance per corp given, with its binding policy (createUser, bindExisting, reject), and a
 *     password login for the local accounts bindExisting proves (`withPasswordLogin`).
 * It is loaded in the test process (`app`, `auth()`, `svc`, `model`, `corp()`, every log line,
 * every verification code "sent"), and optionally served: `host: 'in-process'` (the HTTP host on
 * port 0, as the host tests use) or `host: 'process'` (`jit serve` as a child process; then nothing
 * is loaded in the test process unless `load: true`). `tap: true` puts a DingTalk tap between the
 * app and the simulator (every answer and token DingTalk handed out, recorded).
 *
 * The database is a DatabaseUnderTest from describeEachDatabase, or a kind: a fresh scratch
 * database of that kind, removed with the app (default: a SQLite file).
 *
 * `openLoginApp` is the same inside one test (close it yourself); `useLoginApp` opens it in beforeAll
 * and closes it in afterAll. Declare it after the `useSimulator` it names.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApp } from '../../runtime/load-app';
import { createLogger, silentLogger, type Logger } from '../../runtime/logger';
import { createHost, type Host, type HostOptions } from '../../runtime/http/host';
import type { LoadAppOptions } from '../../runtime/app-types';
import type { App } from '../../runtime/app';
import type { DatabaseKind } from '../../runtime/db/types';
import type { VerificationSender } from '../../runtime/auth/types';
import type { SimCorp, SimulatorHandle } from '../../sim/types';
import { simulatorEnv } from '../../sim/env';
import { standinIntegrity } from '../../sim/standin-scripts';
import { dingtalkScripts } from '../../dingtalk/page-scripts';
import type { DDInnerType } from '../../elements/auths/loginTypes/DDInnerType/DDInnerType';
import type { DDInnerAuthSvc } from '../../elements/auths/loginTypes/DDInnerType/services/DDInnerAuthSvc/DDInnerAuthSvc';
import type { DDInnerAuthModel } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import type { DDInnerCorpType } from '../../elements/corps/DDInnerType/DDInnerCorpType';
import { DEMO_SECRETS_ENV } from './demo-org';
import { startDingTalkTap, type DingTalkTap } from './dingtalk-tap';
import { lateBound } from './late-bound';
import { scratchDatabase } from './scratch-database';
import { startServeProcess, type ServeProcess } from './serve-process';
import { holdSimulator } from './simulator';

export const SVC = 'auths.loginTypes.DDInnerType.services.DDInnerAuthSvc';
export const AUTH_SERVICE = SVC;
export const MODEL = 'auths.loginTypes.DDInnerType.DDInnerAuthModel';
export const ACME_LOGIN = 'auths.loginTypes.acmeLogin';
export const OTHER_LOGIN = 'auths.loginTypes.otherLogin';
export const PASSWORD_LOGIN = 'auths.loginTypes.staffPassword';
/** The appId of written apps, and the base of their function routes. */
export const APP_ID = 'acme.hr';
export const API_BASE = '/api/acme/hr';

export type LoginFixture = 'create-user' | 'bind-existing' | 'reject' | 'subtype';
export const LOGIN_FIXTURES = path.resolve(__dirname, '../fixtures/login');

export interface LoginInstanceSpec {
  /** Instance name under auths/loginTypes/ (its fullName is auths.loginTypes.<name>). */
  name: string;
  corp: SimCorp;
  whenNotAssociated: 'createUser' | 'bindExisting' | 'reject';
  scope?: 'openid' | 'openid corpid';
}

export interface WrittenAppSpec {
  instances: LoginInstanceSpec[];
  /** A PasswordType instance (auths.loginTypes.staffPassword) for the local accounts bindExisting proves. */
  withPasswordLogin?: boolean;
}

/** Acme creates users, Globex asks for a local account (proved with the password login): the security suites' app. */
export function acmeAndGlobexApp(corpA: SimCorp, corpB: SimCorp): WrittenAppSpec {
  return {
    instances: [
      { name: 'acmeLogin', corp: corpA, whenNotAssociated: 'createUser' },
      { name: 'otherLogin', corp: corpB, whenNotAssociated: 'bindExisting' },
    ],
    withPasswordLogin: true,
  };
}

export interface SentCode {
  phone: string;
  code: string;
  instance: string;
}

export interface LoginAppOptions {
  /** DingTalk; none for an app whose test makes no DingTalk call (its hosts then stay the defaults). */
  sim?: SimulatorHandle;
  /** A login fixture's name, an app folder (absolute), or instances to write into a new folder. */
  app: LoginFixture | string | WrittenAppSpec;
  /** Load a temporary copy of the folder (for tests that edit its files). */
  copy?: boolean;
  /** app.json settings merged into the (copied) app.json (a key set to undefined is removed); implies `copy`. */
  settings?: Record<string, unknown>;
  /** Files written into the (copied) folder, by name relative to it; implies `copy`. */
  files?: Record<string, string>;
  /**
   * A database set up by describeEachDatabase (its url read when the app opens), a URL, a kind for a
   * fresh one, or 'app-folder': none given, so the app's own default (sqlite in <dir>/.jit), as
   * `jit serve` without JIT_DATABASE_URL. Default 'sqlite'.
   */
  database?: { url: string } | DatabaseKind | 'app-folder';
  /**
   * The environment the app reads secrets from; default the demo org's (DD_APP_SECRET_A/B), plus a
   * written app's own. It is layered over the DingTalk hosts (DINGTALK_API_URL, ...) pointing at the
   * simulator, so a test may point one of them elsewhere (a gateway in front of the simulator).
   */
  env?: Record<string, string>;
  /** Put a recording DingTalk tap between the app and the simulator. */
  tap?: boolean;
  /** 'capture' (default): every line at debug level kept in `logs`/`rawLogs`; 'silent': none (long syncs). */
  logs?: 'capture' | 'silent';
  /**
   * Where verification codes go: 'collect' (default) keeps them in `sentCodes`; 'development-sender'
   * writes them to the log, as under --sim; 'app' leaves it to the app (`verification.sender`, else
   * refused unless `load.developmentSender`).
   */
  codes?: 'collect' | 'development-sender' | 'app';
  /** Further loadApp options (passwordCost, watch, ...); false: do not load in this process. */
  load?: Partial<LoadAppOptions> | boolean;
  /** Serve the app over HTTP: the in-process host, or `jit serve` as a child process. */
  host?: 'in-process' | 'process';
  /** Options of the in-process host (scripts default to the simulator's stand-ins). */
  hostOptions?: HostOptions;
  /** Runs after the in-process host is created and before it listens (to add a route of a test's own). */
  beforeListen?: (host: Host) => void;
  /** `jit serve` arguments (e.g. ['--trust-proxy']) and environment (JIT_LOG_LEVEL, ...) for host: 'process'. */
  serveArgs?: string[];
  serveEnv?: Record<string, string>;
}

export interface LoginApp {
  /** The simulator it was opened against (throws when opened without one). */
  sim: SimulatorHandle;
  /** The DingTalk tap (tap: true only). */
  tap: DingTalkTap;
  /** The app folder loaded (a copy or a written folder when so asked). */
  dir: string;
  databaseUrl: string;
  /** The environment the app's config reads its secrets from. */
  appEnv: Record<string, string>;
  /** Every app secret the app holds, for leak checks. */
  secrets: string[];
  /** Environment for a `jit serve` or `jit` child on this app: DingTalk URLs, secrets, JIT_DATABASE_URL. */
  childEnv: Record<string, string>;
  /** The app loaded in this process. */
  app: App;
  logger: Logger;
  /** Every log line of the app (and in-process host), parsed; and as written. */
  logs: Array<Record<string, unknown>>;
  rawLogs: string[];
  /** Verification codes "sent" (empty under codes: 'development-sender'). */
  sentCodes: SentCode[];
  auth(name?: string): DDInnerType;
  svc: DDInnerAuthSvc;
  model: DDInnerAuthModel;
  corp(name: string): DDInnerCorpType;
  /** The in-process host (host: 'in-process'). */
  host: Host;
  /** The `jit serve` child (host: 'process'). */
  serve: ServeProcess;
  /** Base URL of the host, either kind. */
  url: string;
  /**
   * Starts one more `jit serve` of this app (same database, same DingTalk), e.g. a second host or a
   * restart after a kill; close() stops it (first, before the database goes).
   */
  startServe(options?: { args?: string[]; env?: Record<string, string> }): Promise<ServeProcess>;
  close(): Promise<void>;
}

/** Opens the app now; the caller closes it. */
export async function openLoginApp(options: LoginAppOptions): Promise<LoginApp> {
  const cleanups: Array<() => unknown> = [];
  const close = async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  };
  try {
    return await open(options, cleanups, close);
  } catch (err) {
    // Nothing started here may outlive a failed start.
    await close();
    throw err;
  }
}

/** The app, opened in beforeAll and closed in afterAll (options may be a function read then). */
export function useLoginApp(options: LoginAppOptions | (() => LoginAppOptions)): LoginApp {
  const handle = lateBound<LoginApp>('useLoginApp()');
  beforeAll(async () => {
    handle.set(await openLoginApp(typeof options === 'function' ? options() : options));
  });
  afterAll(async () => {
    await handle.current()?.close();
  });
  return handle.value;
}

async function open(options: LoginAppOptions, cleanups: Array<() => unknown>, close: () => Promise<void>): Promise<LoginApp> {
  const { sim } = options;
  // The simulator stays up until the app is closed (cleanups run last-first: this one last).
  if (sim) cleanups.push(holdSimulator(sim));
  let dir: string;
  let appEnv: Record<string, string> = { ...(options.env ?? DEMO_SECRETS_ENV) };
  let secrets: string[] = Object.values(appEnv);
  if (typeof options.app === 'object') {
    const written = writeLoginApp(options.app.instances, { withPasswordLogin: options.app.withPasswordLogin });
    cleanups.push(() => written.remove());
    dir = written.dir;
    appEnv = { ...written.appEnv, ...options.env };
    secrets = written.secrets;
  } else {
    dir = path.isAbsolute(options.app) ? options.app : path.join(LOGIN_FIXTURES, options.app);
    if (options.copy || options.settings || options.files) {
      const copy = copyAppFolder(dir);
      cleanups.push(() => copy.remove());
      dir = copy.dir;
    }
  }
  if (options.settings) {
    const appJson = path.join(dir, 'app.json');
    fs.writeFileSync(appJson, JSON.stringify({ ...JSON.parse(fs.readFileSync(appJson, 'utf8')), ...options.settings }, null, 2));
  }
  for (const [name, text] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(dir, name), text);

  let databaseUrl: string;
  const database = options.database ?? 'sqlite';
  if (database === 'app-folder') {
    databaseUrl = `sqlite:${path.join(dir, '.jit', 'app.db')}`;
  } else if (typeof database === 'string') {
    const scratch = await scratchDatabase(database);
    cleanups.push(() => scratch.remove());
    databaseUrl = scratch.url;
  } else {
    databaseUrl = database.url;
  }

  let tap: DingTalkTap | undefined;
  if (options.tap) {
    if (!sim) throw new Error('useLoginApp: tap: true needs the simulator (sim)');
    tap = await startDingTalkTap(sim.url);
    cleanups.push(() => tap!.close());
  }
  // DingTalk's hosts travel in the environment (DINGTALK_OAPI_URL, ...), as they do for `jit serve`.
  const dingtalkEnv: Record<string, string> = tap ? { ...simulatorEnv({ oapiUrl: tap.url, apiUrl: tap.url, loginUrl: tap.url }) } : sim ? { ...simulatorEnv(sim) } : {};
  const childEnv: Record<string, string> = {
    ...dingtalkEnv,
    ...appEnv,
    JIT_DATABASE_URL: databaseUrl,
  };

  const rawLogs: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const logger =
    options.logs === 'silent'
      ? silentLogger
      : createLogger({
          level: 'debug',
          sink: (line) => {
            rawLogs.push(line);
            logs.push(JSON.parse(line) as Record<string, unknown>);
          },
        });
  const sentCodes: SentCode[] = [];
  const verificationSender: VerificationSender = {
    async send(phone, code, context) {
      sentCodes.push({ phone, code, instance: context.instance });
    },
  };

  let app: App | undefined;
  const shouldLoad = options.load === undefined ? options.host !== 'process' : options.load !== false;
  if (shouldLoad) {
    const loaded = await loadApp(dir, {
      databaseUrl: database === 'app-folder' ? undefined : databaseUrl,
      env: { ...dingtalkEnv, ...appEnv },
      logger,
      ...(options.codes === 'development-sender' ? { developmentSender: true } : options.codes === 'app' ? {} : { verificationSender }),
      ...(typeof options.load === 'object' ? options.load : {}),
    });
    app = loaded;
    cleanups.push(() => loaded.close());
  }

  let host: Host | undefined;
  let serve: ServeProcess | undefined;
  let url: string | undefined;
  if (options.host === 'in-process') {
    if (!app) throw new Error('useLoginApp: host "in-process" needs the app loaded (load: false was given)');
    // As `jit serve --sim`: the simulator as a mirror of DingTalk's CDN, its stand-ins' hashes pinned.
    const scripts = sim ? { scripts: dingtalkScripts(sim.url), scriptIntegrity: standinIntegrity() } : {};
    const started = createHost(app, { logger, ...scripts, ...options.hostOptions });
    host = started;
    // Closed before the app (cleanups run last-first).
    cleanups.push(() => started.close());
    options.beforeListen?.(started);
    url = await started.listen(0, '127.0.0.1');
  } else if (options.host === 'process') {
    const started = await startServeProcess({ appDir: dir, env: { ...childEnv, ...options.serveEnv }, args: options.serveArgs ?? [] });
    serve = started;
    cleanups.push(async () => void (await started.stop()));
    url = started.url;
  }

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useLoginApp: no ${what} (${whatEnables[what] ?? 'not asked for'})`);
    return value;
  };
  const loadedApp = () => need(app, 'app');
  return {
    get sim() {
      return need(sim, 'sim');
    },
    get tap() {
      return need(tap, 'tap');
    },
    dir,
    databaseUrl,
    appEnv,
    secrets,
    childEnv,
    get app() {
      return loadedApp();
    },
    logger,
    logs,
    rawLogs,
    sentCodes,
    auth: (name = ACME_LOGIN) => loadedApp().getElement<DDInnerType>(name),
    get svc() {
      return loadedApp().getElement<DDInnerAuthSvc>(SVC);
    },
    get model() {
      return loadedApp().getElement<DDInnerAuthModel>(MODEL);
    },
    corp: (name) => loadedApp().getElement<DDInnerCorpType>(name),
    get host() {
      return need(host, 'host');
    },
    get serve() {
      return need(serve, 'serve');
    },
    get url() {
      return need(url, 'url');
    },
    async startServe(serveOptions = {}) {
      const started = await startServeProcess({ appDir: dir, env: { ...childEnv, ...options.serveEnv, ...serveOptions.env }, args: serveOptions.args ?? options.serveArgs ?? [] });
      cleanups.push(async () => void (await started.stop()));
      return started;
    },
    close,
  };
}

const whatEnables: Record<string, string> = {
  sim: 'opened without sim',
  app: "loaded unless host: 'process'; pass load: true to load it as well",
  tap: 'pass tap: true',
  host: "pass host: 'in-process'",
  serve: "pass host: 'process'",
  url: 'pass host',
};

/** A temporary copy of an app folder (its .jit state left behind); `remove()` deletes it. */
export function copyAppFolder(dir: string): { dir: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-app-'));
  const copy = path.join(root, path.basename(dir));
  fs.cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}.jit`) });
  return { dir: copy, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface WrittenApp {
  dir: string;
  /** The env vars the config references ({{DD_SECRET_<n>}} -> appSecret). */
  appEnv: Record<string, string>;
  /** Every appSecret the app holds, for leak checks. */
  secrets: string[];
  instances: Array<LoginInstanceSpec & { fullName: string }>;
  remove(): void;
}

/**
 * Writes an app folder from the simulator's org, so the credentials always match: one DDInnerType
 * instance per corp given, plus a PasswordType instance when asked. Secrets stay out of the files:
 * the config says `{{DD_SECRET_<n>}}` and the values travel in the environment (`appEnv`), as the
 * contract asks of real apps.
 */
export function writeLoginApp(instances: LoginInstanceSpec[], options: { withPasswordLogin?: boolean } = {}): WrittenApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-rel-app-'));
  writeJson(path.join(dir, 'app.json'), { appId: APP_ID, title: 'Acme HR', version: '1.0.0', extends: [] });
  const appEnv: Record<string, string> = {};
  instances.forEach((spec, index) => {
    const app = spec.corp.apps[0];
    const variable = `DD_SECRET_${index + 1}`;
    appEnv[variable] = app.appSecret;
    const folder = path.join(dir, 'auths', 'loginTypes', spec.name);
    writeJson(path.join(folder, 'e.json'), { title: `DingTalk: ${spec.corp.name}`, type: 'auths.loginTypes.DDInnerType' });
    const binding =
      spec.whenNotAssociated === 'createUser'
        ? { autoBind: true, match: [{ source: 'mobile', target: 'phone' }], whenNotAssociated: 'createUser' }
        : { autoBind: false, whenNotAssociated: spec.whenNotAssociated };
    writeJson(path.join(folder, `${spec.name}.json`), {
      authConfig: { appKey: app.appKey, appSecret: `{{${variable}}}`, agentId: app.agentId, corpId: spec.corp.corpId },
      scope: spec.scope ?? 'openid',
      binding,
      isActive: true,
    });
  });
  if (options.withPasswordLogin) {
    writeJson(path.join(dir, 'auths', 'loginTypes', 'staffPassword', 'e.json'), { title: 'Staff account', type: 'auths.loginTypes.PasswordType' });
  }
  return {
    dir,
    appEnv,
    secrets: instances.map((i) => i.corp.apps[0].appSecret),
    instances: instances.map((i) => ({ ...i, fullName: `auths.loginTypes.${i.name}` })),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The HTTP path of an element function of a written app. */
export function functionPath(fullName: string, functionName: string): string {
  return `${API_BASE}/${fullName.split('.').join('/')}/${functionName}`;
}

/**
 * A local account with a password, written straight into the app's database through the library
 * (as `jit users create` does), e.g. for the bindExisting proof while `jit serve` runs the app.
 */
export async function createLocalUser(env: LoginApp, user: { username: string; password: string; phone?: string }): Promise<string> {
  const app = await loadApp(env.dir, { databaseUrl: env.databaseUrl, env: { ...process.env, ...env.appEnv }, logger: silentLogger });
  try {
    return (await app.users.create({ username: user.username, password: user.password, phone: user.phone ?? null, source: 'test' })).id;
  } finally {
    await app.close();
  }
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
