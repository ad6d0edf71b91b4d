/**
 * `jit serve` as a real child process, for tests that need what an in-process host cannot show:
 * several hosts on one database, SIGKILL in the middle of a burst, a process that must not crash,
 * and every byte a host writes (for the secret-leak test).
 *
 *   const host = await startServeProcess({ appDir, env: { DINGTALK_OAPI_URL: sim.url, ... } });
 *   await fetch(`${host.url}/healthz`);
 *   host.output();            // stdout + stderr so far
 *   await host.kill('SIGKILL');
 *
 * How the CLI is run. Default: the TypeScript sources through ts-node (transpile-only), the same
 * code jest tests, whatever state dist/ is in. dist/ is built by `npm install` on a fresh clone but
 * is not rebuilt when a source changes, so running it by default would silently test stale code
 * while developing. `JIT_SERVE_RUNNER=dist` runs the compiled `dist/cli/main.js` instead (CI can use
 * it to test the shipped build); the helper refuses when dist/ has not been built.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Environment variables of the test process that must not leak into a host it starts. */
const INHERITED_ENV_DROPPED = ['JIT_DATABASE_URL', 'DINGTALK_OAPI_URL', 'DINGTALK_API_URL', 'DINGTALK_LOGIN_URL', 'NODE_OPTIONS'];

export interface ServeProcessOptions {
  /** The app folder served. */
  appDir: string;
  /** Added to the inherited environment: DINGTALK_*_URL, JIT_DATABASE_URL, DD_APP_SECRET, ... */
  env?: Record<string, string>;
  /** Extra `jit serve` arguments, e.g. ['--trust-proxy']. `--port 0` is always passed. */
  args?: string[];
  /** How long start-up may take (ts-node compiles the sources first; two cores are shared). Default 90 s. */
  startTimeoutMs?: number;
  /** Run the host as this system user (through runuser; the test must run as root), e.g. to serve files it cannot write. */
  runAs?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServeProcess {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Every byte the process wrote to stdout and stderr so far, in order of arrival. */
  output(): string;
  /** Whether the process is still running. */
  running(): boolean;
  /** Resolves once the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /** Sends `signal` and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<ExitInfo>;
  /** SIGTERM (graceful), then SIGKILL if it has not exited within `graceMs` (default 15 s). */
  stop(graceMs?: number): Promise<ExitInfo>;
}

export type ServeRunner = 'ts-node' | 'dist';

/** The runner in use: `JIT_SERVE_RUNNER` (`ts-node` | `dist`), default ts-node. */
export function serveRunner(env: NodeJS.ProcessEnv = process.env): ServeRunner {
  const value = (env.JIT_SERVE_RUNNER ?? 'ts-node').trim();
  if (value !== 'ts-node' && value !== 'dist') throw new Error(`JIT_SERVE_RUNNER must be ts-node or dist, got ${JSON.stringify(value)}`);
  return value;
}

/** node's arguments that run the `jit` CLI with `cliArgs`, for the chosen runner. */
export function jitCommand(cliArgs: string[], runner: ServeRunner = serveRunner()): string[] {
  if (runner === 'dist') {
    const main = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
    if (!fs.existsSync(main)) throw new Error(`JIT_SERVE_RUNNER=dist but ${main} does not exist; run npm run build`);
    return [main, ...cliArgs];
  }
  return ['-r', 'ts-node/register/transpile-only', path.join(REPO_ROOT, 'cli', 'main.ts'), ...cliArgs];
}

/** The environment a child `jit` process gets: ours minus what would point it elsewhere, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_ENV_DROPPED) delete env[name];
  return { ...env, TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'), NO_COLOR: '1', ...extra };
}

/** Starts `jit serve <appDir> --port 0` and resolves once it printed the URL it listens on. */
export async function startServeProcess(options: ServeProcessOptions): Promise<ServeProcess> {
  const args = jitCommand(['serve', options.appDir, '--port', '0', ...(options.args ?? [])]);
  const [command, commandArgs] = options.runAs ? ['runuser', ['-u', options.runAs, '--', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, commandArgs, { cwd: REPO_ROOT, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  const output = () => chunks.join('');

  let exitInfo: ExitInfo | null = null;
  const exited = new Promise<ExitInfo>((resolve) => {
    // 'close', not 'exit': by then stdout and stderr are drained, so output() is complete.
    child.once('close', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });

  const url = await waitForUrl(child, output, exited, options.startTimeoutMs ?? 90_000).catch(async (err: Error) => {
    if (!exitInfo) {
      child.kill('SIGKILL');
      await exited;
    }
    throw err;
  });

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!exitInfo) child.kill(signal);
    return exited;
  };
  return {
    url,
    pid: child.pid!,
    child,
    output,
    running: () => exitInfo === null,
    exited,
    kill,
    async stop(graceMs = 15_000) {
      if (exitInfo) return exitInfo;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** `describeServer` prints "<title> (<appId>) is served at <url>" once the host listens. */
const LISTENING_LINE = /is served at (https?:\/\/[^\s]+)/;

function waitForUrl(child: ChildProcess, output: () => string, exited: Promise<ExitInfo>, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = LISTENING_LINE.exec(output());
      if (!match) return;
      done();
      resolve(match[1]);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`jit serve did not start within ${timeoutMs} ms; its output:\n${output()}`));
    }, timeoutMs);
    const onExit = (info: ExitInfo) => {
      done();
      reject(new Error(`jit serve exited (code ${info.code}, signal ${info.signal}) before listening; its output:\n${output()}`));
    };
    const done = () => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    exited.then(onExit, () => undefined);
    check();
  });
}

/** Runs a `jit` command to completion (validate, list, show, ...) and collects its output. */
export function runJit(cliArgs: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ExitInfo & { stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, jitCommand(cliArgs), { cwd: REPO_ROOT, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jit ${cliArgs.join(' ')} did not finish within ${options.timeoutMs ?? 90_000} ms; output:\n${stdout}${stderr}`));
    }, options.timeoutMs ?? 90_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
