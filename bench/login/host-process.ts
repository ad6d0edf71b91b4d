/**
 * Starts the host the way an operator does, `jit serve <app>`, as a child process with the usage
 * probe preloaded (host-probe.ts), pointed at the simulator through the documented DINGTALK_* env
 * variables, using the app's default SQLite file and its default logging (a line per request),
 * written to a log file.
 */
import * as path from 'path';
import { forkService, type ChildService, type IpcMessage } from '../lib/child-process';
import { BENCH_DIST, BENCH_TMP, JIT_CLI } from '../lib/paths';

export interface HostProcess {
  url: string;
  service: ChildService;
  /** CPU time of the host process (all threads), in milliseconds. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

interface UsageReply extends IpcMessage {
  cpu: { user: number; system: number };
}

export interface StartHostOptions {
  appDir: string;
  /** The simulator's base URL (all three DingTalk hosts); unset: the real DingTalk hosts. */
  simUrl?: string;
  watch?: boolean;
  trustProxy?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The database (JIT_DATABASE_URL); default the app's own SQLite file. */
  databaseUrl?: string;
  /** Where the host's console output goes (default bench/tmp/host-<app folder>.log). */
  logFile?: string;
}

/**
 * Starts `jit serve`. With BENCH_PROFILE_DIR set, the host writes a V8 CPU profile there when it
 * stops (open it in Chrome DevTools or VS Code): how the hot spots in docs/benchmarks.md were found.
 */
export async function startHost(options: StartHostOptions): Promise<HostProcess> {
  const args = ['serve', options.appDir, '--port', '0'];
  if (options.watch) args.push('--watch');
  if (options.trustProxy) args.push('--trust-proxy');
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.simUrl) {
    env.DINGTALK_OAPI_URL = options.simUrl;
    env.DINGTALK_API_URL = options.simUrl;
    env.DINGTALK_LOGIN_URL = options.simUrl;
  }
  delete env.JIT_DATABASE_URL; // the app's default SQLite file, unless a database is given
  if (options.databaseUrl) env.JIT_DATABASE_URL = options.databaseUrl;
  const { service, ready } = await forkService(JIT_CLI, {
    label: 'jit serve',
    args,
    env,
    cwd: options.appDir,
    execArgv: [...profileArgs(), '-r', path.join(BENCH_DIST, 'login', 'host-probe.js')],
    readyType: 'listening',
    outputFile: options.logFile ?? path.join(BENCH_TMP, `host-${path.basename(options.appDir)}.log`),
  });
  const url = `http://127.0.0.1:${Number(ready.port)}`;
  await waitForHealth(url, service);
  return {
    url,
    service,
    async cpuMs() {
      const reply = await service.request<UsageReply>({ type: 'usage' });
      return (reply.cpu.user + reply.cpu.system) / 1000;
    },
    stop: () => service.stop(),
  };
}

function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

/** The server may listen a moment before the app is ready to answer; wait for /healthz. */
async function waitForHealth(url: string, service: ChildService): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`jit serve at ${url} never answered /healthz\n${service.recentOutput}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
