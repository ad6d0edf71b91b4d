/**
 * `jit org watch <corp>` as a real child process (the TypeScript sources through ts-node, as
 * tests/helpers/serve-process.ts runs `jit serve`), optionally with a module preloaded (`node -r`):
 * the crash test pauses it inside an event's transaction and SIGKILLs it there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv, jitCommand, REPO_ROOT, type ExitInfo } from '../helpers/serve-process';

export interface WatchProcess {
  readonly child: ChildProcess;
  /** stdout + stderr so far. */
  output(): string;
  readonly exited: Promise<ExitInfo>;
  running(): boolean;
  kill(signal: NodeJS.Signals): Promise<ExitInfo>;
  /** Resolves once the output matches `pattern` (rejects if the process exits first, or after `timeoutMs`). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export function startWatchProcess(options: { appDir: string; corp: string; env: Record<string, string>; preload?: string[] }): WatchProcess {
  const [tsNodeFlag, tsNode, ...rest] = jitCommand(['org', 'watch', options.corp, '--app', options.appDir], 'ts-node');
  const preload = (options.preload ?? []).flatMap((file) => ['-r', file]);
  // ts-node first, so a preloaded .ts module can be required.
  const child = spawn(process.execPath, [tsNodeFlag, tsNode, ...preload, ...rest], { cwd: REPO_ROOT, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  let exit: ExitInfo | null = null;
  const exited = new Promise<ExitInfo>((resolve) => child.once('close', (code, signal) => resolve((exit = { code, signal }))));
  const output = () => chunks.join('');
  return {
    child,
    output,
    exited,
    running: () => exit === null,
    kill: async (signal) => {
      if (!exit) child.kill(signal);
      return exited;
    },
    async waitForOutput(pattern, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output())) {
        if (exit) throw new Error(`jit org watch exited (${JSON.stringify(exit)}) before printing ${pattern}; output:\n${output()}`);
        if (Date.now() > deadline) throw new Error(`jit org watch did not print ${pattern} within ${timeoutMs} ms; output:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
