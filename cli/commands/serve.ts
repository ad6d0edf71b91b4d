/**
 * `jit serve [dir]`: the HTTP host for an app. `--sim` starts the DingTalk simulator in the same
 * process and points the app at it (the demo: `npm start` = `jit serve apps/demo --sim`); `--watch`
 * hot-reloads element folders. Corps with `sync.intervalMinutes` are synced on their schedule, and
 * corps with `sync.events` get their live events (one DingTalk Stream connection each; state at
 * `GET /api/admin/stream-status` for administrators). SIGINT/SIGTERM stop it gracefully: stop
 * accepting, finish in-flight requests and the events in hand, close the watcher, the app and the
 * simulator, exit 0.
 */
import * as path from 'path';
import type { Command } from 'commander';
import type { AppHandle } from '../../runtime/app-types';
import { createHost, type Host } from '../../runtime/http/host';
import { dingtalkScripts } from '../../dingtalk/page-scripts';
import { dingTalkSettingsOf } from '../../dingtalk/settings';
import { DINGTALK_LOGIN_TYPE } from '../../dingtalk/login-type';
import { METRICS_TOKEN_ENV, registerMetricsRoute, startMetricsServer } from '../../runtime/http/metrics-route';
import { startAuditRetention } from '../../runtime/audit/retention';
import { describeTrustProxy, parseTrustProxy, type TrustProxyOption } from '../../runtime/http/proxy-trust';
import { configuredPublicOrigin, parsePublicUrl } from '../../runtime/http/public-origin';
import { activeLoginInstances } from '../../runtime/http/pages/login-instances';
import { loadApp } from '../../runtime/load-app';
import { createLogger, type Logger } from '../../runtime/logger';
import type { AppWatcher } from '../../runtime/watch';
import { simulatorEnv, startSimulator } from '../../sim';
import { standinIntegrity } from '../../sim/standin-scripts';
import { startCorpSyncScheduler } from '../../elements/corps/corp-sync-scheduler';
import { readStreamStatus, startCorpEventWatchers, type CorpEventWatchers } from '../../elements/corps/corp-event-watchers';
import type { SimCorp, SimulatorHandle } from '../../sim/types';
import { EXIT_USER_ERROR, printError, printLine } from '../output';

export interface ServeOptions {
  dir: string;
  port?: number;
  host?: string;
  watch?: boolean;
  sim?: boolean;
  /** The simulator's port under --sim (default a free one). */
  simPort?: number;
  /** Which reverse proxies to believe: true (one hop), a hop count, or their addresses (`--trust-proxy`). */
  trustProxy?: TrustProxyOption;
  /** The origin people reach the host at (`--public-url`; wins over app.json publicUrl). */
  publicUrl?: string;
  /** Anonymous login requests per minute per client address (`--flood-per-address`). */
  floodPerAddress?: number;
  /** Seconds to receive a whole request (`--request-timeout`). */
  requestTimeout?: number;
  /** Seconds a silent connection is kept (`--connection-timeout`). */
  connectionTimeout?: number;
  /**
   * Serve Prometheus metrics (`--metrics`, or app.json `metrics.enabled`): on `metricsPort` (a port of
   * their own, `--metrics-port` or app.json `metrics.port`), else on the host behind JIT_METRICS_TOKEN.
   */
  metrics?: boolean;
  metricsPort?: number;
  /** The environment JIT_METRICS_TOKEN is read from (default process.env). */
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

export interface RunningServer {
  /** Base URL of the host, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  readonly app: AppHandle;
  readonly host: Host;
  readonly sim: SimulatorHandle | null;
  readonly watcher: AppWatcher | null;
  /** Where Prometheus scrapes, when metrics are on (the host's /metrics, or a port of their own). */
  readonly metricsUrl: string | null;
  /** Stops everything it started; safe to call twice. */
  close(): Promise<void>;
}

/** Starts the simulator (if asked), loads the app, listens and watches. Cleans up if any step fails. */
export async function startServe(options: ServeOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const dir = path.resolve(options.dir);
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      await step().catch((err: unknown) => logger.warn('shutdown step failed', { err }));
    }
  };
  try {
    const sim = options.sim ? await startSimulator({ port: options.simPort ?? 0, host: '127.0.0.1' }) : null;
    if (sim) cleanups.push(() => sim.close());
    // With watch, the app watches its own folders (and those of the apps it extends) and stops on close.
    const app = await loadApp(dir, {
      logger,
      watch: options.watch,
      env: sim ? simulatorEnv(sim) : undefined,
      developmentSender: !!sim, // verification codes to the log: under --sim only (issue #20 item 3)
    });
    cleanups.push(() => app.close());
    let events: CorpEventWatchers | null = null;
    const host = createHost(app, {
      logger,
      trustProxy: options.trustProxy,
      publicUrl: options.publicUrl,
      floodPerAddress: options.floodPerAddress,
      requestTimeout: options.requestTimeout,
      connectionTimeout: options.connectionTimeout,
      // The simulator mirrors DingTalk's CDN: the scripts load from its URL at the CDN's paths, with
      // the stand-ins' integrity hashes pinned (every --sim page checks them, as a pinned mirror would).
      ...(sim ? { scripts: dingtalkScripts(sim.url), scriptIntegrity: standinIntegrity() } : {}),
      streamStatus: () => readStreamStatus(app, events?.status() ?? []),
    });
    const metrics = metricsPlan(app, options);
    if (metrics?.token) registerMetricsRoute(host.fastify, app, metrics.token);
    const url = await host.listen(options.port ?? 3000, options.host ?? '127.0.0.1');
    cleanups.push(() => host.close());
    let metricsUrl: string | null = metrics?.token ? `${url}/metrics` : null;
    if (metrics?.port !== undefined) {
      const server = await startMetricsServer(app, metrics.port, options.host ?? '127.0.0.1');
      cleanups.push(() => server.close());
      metricsUrl = server.url;
    }
    // The audit trail keeps app.json audit.retentionDays (default 180): pruned now and every hour.
    const retention = startAuditRetention(app);
    cleanups.push(async () => retention.stop());
    const publicUrl = configuredPublicOrigin(app, options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl));
    logger.info('host started', { url, publicUrl: publicUrl ?? null, proxies: describeTrustProxy(parseTrustProxy(options.trustProxy)) });
    const watcher = app.watcher ?? null;
    warnOnRestartSettings(app, watcher, logger);
    const syncSchedule = scheduleOrgSync(app, watcher);
    cleanups.push(() => syncSchedule.stop());
    const liveEvents = await watchOrgEvents(app, watcher);
    events = liveEvents;
    cleanups.push(() => liveEvents.stop());
    let closing: Promise<void> | null = null;
    return { url, app, host, sim, watcher, metricsUrl, close: () => (closing ??= cleanUp()) };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/**
 * How metrics are served, or null when they are off. On the host's port they need a bearer token
 * (JIT_METRICS_TOKEN); without one, only a port of their own will do: anything else refuses to start
 * (a scrape endpoint open to everyone who can reach the login page is a leak, not a default).
 */
function metricsPlan(app: AppHandle, options: ServeOptions): { token?: string; port?: number } | null {
  const enabled = options.metrics ?? app.settings.metrics.enabled;
  if (!enabled) return null;
  const port = options.metricsPort ?? app.settings.metrics.port;
  if (port !== undefined) return { port };
  const token = (options.env ?? process.env)[METRICS_TOKEN_ENV];
  if (token) return { token };
  throw new ServeUsageError(`metrics need a guard: set ${METRICS_TOKEN_ENV} (scrape /metrics with Authorization: Bearer <token>) or serve them on a port of their own with --metrics-port <port> (app.json metrics.port)`);
}

/** A start refused for how it was asked (exit 2), not for what went wrong while running. */
export class ServeUsageError extends Error {}

/**
 * Org sync for corps with `sync.intervalMinutes` (and the implied corps of logins still carrying
 * `sync`, with a notice naming the command that makes the real corp). The scheduler reads the
 * intervals when it starts, so a hot reload that changed elements restarts it (one restart at a time).
 */
function scheduleOrgSync(app: AppHandle, watcher: AppWatcher | null): { stop(): Promise<void> } {
  let scheduler = startCorpSyncScheduler(app);
  let restarting: Promise<void> = Promise.resolve();
  let stopped = false;
  watcher?.on('reload', ({ result }) => {
    if (result.added.length + result.changed.length + result.removed.length === 0) return;
    restarting = restarting.then(async () => {
      await scheduler.stop();
      if (!stopped) scheduler = startCorpSyncScheduler(app);
    });
  });
  return {
    async stop() {
      stopped = true;
      await restarting;
      await scheduler.stop();
    },
  };
}

/**
 * Live events for corps with `sync.events`: one watcher each (its Stream connection, a catch-up sync
 * at start). A hot reload that changed elements restarts the watchers of the corps it rebuilt.
 */
async function watchOrgEvents(app: AppHandle, watcher: AppWatcher | null): Promise<CorpEventWatchers> {
  const events = await startCorpEventWatchers(app);
  watcher?.on('reload', ({ result }) => {
    if (result.added.length + result.changed.length + result.removed.length > 0) void events.reload();
  });
  return events;
}

/**
 * The settings the host reads once (the session lifetime, the server timeouts): a hot reload that
 * changes them is told they wait for a restart. Every other setting applies on reload.
 */
function warnOnRestartSettings(app: AppHandle, watcher: AppWatcher | null, logger: Logger): void {
  const readOnce = () => JSON.stringify({ 'sessions.ttl': app.settings.sessions.ttl, server: app.settings.server, dingtalk: dingTalkSettingsOf(app) });
  const atStart = readOnce();
  let warned = atStart;
  watcher?.on('reload', () => {
    const now = readOnce();
    if (now === warned) return;
    warned = now;
    if (now !== atStart) logger.warn('app.json changed sessions.ttl, server.requestTimeout/connectionTimeout or dingtalk.scriptBase/scriptIntegrity: these apply after jit serve restarts', { running: JSON.parse(atStart), saved: JSON.parse(now) });
  });
}


/** What a newcomer needs on the console: where to go and, under --sim, who can scan. */
export function describeServer(server: RunningServer, dir: string): string[] {
  const { app, url, sim } = server;
  const lines = [`${app.title} (${app.appId}) is served at ${url}`, `  Sign in:        ${url}/login`, `  Admin console:  ${url}/admin${adminsHint(app)}`];
  const corpIds = new Set(
    activeLoginInstances(app)
      .filter((i) => app.getDefinition(i.fullName)?.typeChain.includes(DINGTALK_LOGIN_TYPE))
      .map((i) => (app.getDefinition(i.fullName)?.config as { authConfig?: { corpId?: string } } | undefined)?.authConfig?.corpId)
      .filter((id): id is string => typeof id === 'string'),
  );
  for (const corpId of corpIds) lines.push(`  In DingTalk:    ${url}/login/workbench?corpId=${corpId}`);
  if (sim) {
    lines.push('', `DingTalk simulator at ${sim.url} (nothing leaves this machine).`);
    const corps = sim.org.corps.filter((c) => corpIds.has(c.corpId));
    for (const corp of corps) lines.push(...describeMembers(corp));
    const others = [...sim.org.corps.filter((c) => !corpIds.has(c.corpId)).flatMap((c) => c.users.map((u) => `${u.name} (${c.name})`)), ...(sim.org.outsiders ?? []).map((o) => `${o.name} (no organisation)`)];
    if (others.length) lines.push(`  Not members, refused with "not a member": ${others.join(', ')}`);
    if (corps.length) lines.push(`  Inside-DingTalk page as a member: add &dd_sim_user=<userid> to the workbench address.`);
  }
  if (sim) lines.push(`  Simulator admin routes (/__sim/*) take: Authorization: Bearer ${sim.adminToken}`);
  if (server.metricsUrl) lines.push('', `Prometheus metrics: ${server.metricsUrl}`);
  if (server.watcher) lines.push('', `Watching ${path.relative(process.cwd(), dir) || '.'} for element changes.`);
  lines.push('', 'Press Ctrl+C to stop.');
  return lines;
}

/** Who app.json lets into the console, for the start-up lines (grants are in the database: jit users grant-admin). */
function adminsHint(app: AppHandle): string {
  const admins = app.settings.admins;
  return admins.length ? ` (app.json admins: ${admins.join(', ')})` : ' (no admins yet: app.json "admins", or jit users grant-admin <user>)';
}

function describeMembers(corp: SimCorp): string[] {
  const active = corp.users.filter((u) => u.active !== false);
  return [`  Scan the QR code as a member of ${corp.name}:`, ...active.map((u) => `    ${u.name} (${u.userid}${u.mobile ? `, ${u.mobile}` : ''})`)];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${value}`);
  return port;
}

function parsePositive(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new Error(`${flag} must be a positive ${integer ? 'whole number' : 'number'} (got ${value})`);
  }
  return number;
}

interface ServeFlags {
  app: string;
  port: string;
  host: string;
  watch?: boolean;
  sim?: boolean;
  simPort?: string;
  trustProxy?: boolean | string;
  publicUrl?: string;
  floodPerAddress?: string;
  requestTimeout?: string;
  connectionTimeout?: string;
  metrics?: boolean;
  metricsPort?: string;
}

/** How long in-flight requests get to finish after a signal before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve an app over HTTP: element functions, /login pages, /healthz')
    .argument('[dir]', 'the app folder (same as --app)')
    .option('--app <dir>', 'the app folder', '.')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--watch', 'reload element folders when their files change')
    .option('--sim', 'run the DingTalk simulator in this process and log in against it')
    .option('--sim-port <port>', 'the simulator\'s port under --sim (default: a free port)')
    .option(
      '--trust-proxy [hops|addresses]',
      'believe X-Forwarded-For/-Proto from reverse proxies: a hop count (alone: 1) or the proxies\' addresses, e.g. 10.0.0.0/8,192.168.0.0/16',
    )
    .option('--public-url <url>', 'the origin people reach the host at, e.g. https://hr.example.com (wins over app.json publicUrl)')
    .option('--flood-per-address <n>', 'anonymous login requests per minute one client address may make (default: app.json limits.floodPerAddress, 3600)')
    .option('--request-timeout <seconds>', 'seconds a client has to send a whole request (default: app.json server.requestTimeout, 30)')
    .option('--connection-timeout <seconds>', 'seconds a silent connection is kept (default: app.json server.connectionTimeout, 60)')
    .option('--metrics', 'serve Prometheus metrics at /metrics behind Authorization: Bearer $JIT_METRICS_TOKEN (or with --metrics-port)')
    .option('--metrics-port <port>', 'serve /metrics on this port of its own, without a token (implies --metrics)')
    .action(async (dirArg: string | undefined, opts: ServeFlags) => {
      let port: number;
      let simPort: number | undefined;
      let settings: Pick<ServeOptions, 'trustProxy' | 'publicUrl' | 'floodPerAddress' | 'requestTimeout' | 'connectionTimeout' | 'metrics' | 'metricsPort'>;
      try {
        port = parsePort(opts.port);
        simPort = opts.simPort === undefined ? undefined : parsePort(opts.simPort);
        settings = {
          trustProxy: parseTrustProxy(opts.trustProxy),
          publicUrl: opts.publicUrl === undefined ? undefined : parsePublicUrl(opts.publicUrl),
          floodPerAddress: parsePositive('--flood-per-address', opts.floodPerAddress, true),
          requestTimeout: parsePositive('--request-timeout', opts.requestTimeout, false),
          connectionTimeout: parsePositive('--connection-timeout', opts.connectionTimeout, false),
          metricsPort: opts.metricsPort === undefined ? undefined : parsePort(opts.metricsPort),
          metrics: opts.metrics || opts.metricsPort !== undefined ? true : undefined,
        };
      } catch (err) {
        printError(`error: ${(err as Error).message}`);
        process.exitCode = 2;
        return;
      }
      const dir = dirArg ?? opts.app;
      let server: RunningServer;
      try {
        server = await startServe({ dir, port, host: opts.host, watch: opts.watch, sim: opts.sim, simPort, ...settings });
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (err instanceof ServeUsageError) {
          printError(`error: ${err.message}`);
          process.exitCode = 2;
          return;
        }
        if (code === 'EADDRINUSE') {
          printError(`error: port ${port} on ${opts.host} is already in use; stop the other server or pass --port <another port>`);
          process.exitCode = EXIT_USER_ERROR;
          return;
        }
        throw err;
      }
      for (const line of describeServer(server, path.resolve(dir))) printLine(line);
      const stop = (signal: NodeJS.Signals) => {
        printLine(`Stopping (${signal}): finishing requests in flight…`);
        setTimeout(() => process.exit(EXIT_USER_ERROR), SHUTDOWN_GRACE_MS).unref();
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            printError(`error: shutdown failed: ${(err as Error)?.message ?? String(err)}`);
            process.exit(EXIT_USER_ERROR);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
