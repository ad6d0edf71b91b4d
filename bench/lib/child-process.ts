/**
 * Child processes the suites drive (the simulator, the host, `jit serve --watch`): started with an IPC
 * channel, asked questions by message id, and stopped by their own pid. Their output goes to a log
 * file (as an operator's would) or is drained from a pipe; either way the last lines are kept, so a
 * failed start can say why.
 */
import { fork, type ChildProcess } from 'child_process';
import * as fs from 'fs';

export interface IpcMessage {
  type: string;
  id?: number;
  [key: string]: unknown;
}

export interface ForkOptions {
  args?: string[];
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Wait for this message type before resolving (e.g. 'ready'); its message is returned. */
  readyType: string;
  readyTimeoutMs?: number;
  label: string;
  /**
   * Write the child's stdout and stderr to this file instead of a pipe. A host under load logs a
   * line per request; through a pipe to a busy benchmark process those writes block and would be
   * measured as the host's cost, while a file costs what it costs in production.
   */
  outputFile?: string;
}

export class ChildService {
  private nextId = 1;
  private readonly pending = new Map<number, (msg: IpcMessage) => void>();
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly label: string, readonly child: ChildProcess, private readonly outputFile?: string) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (raw) => {
      const msg = raw as IpcMessage;
      if (typeof msg.id === 'number' && this.pending.has(msg.id)) {
        const resolve = this.pending.get(msg.id)!;
        this.pending.delete(msg.id);
        resolve(msg);
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The last few kilobytes the child wrote, for error messages. */
  get recentOutput(): string {
    if (this.outputFile) {
      try {
        return fs.readFileSync(this.outputFile, 'utf8').slice(-8000);
      } catch {
        return '';
      }
    }
    return this.output;
  }

  /** Sends a message and waits for the reply carrying the same id. */
  request<T extends IpcMessage>(message: IpcMessage, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: no reply to ${message.type} within ${timeoutMs} ms\n${this.output}`));
      }, timeoutMs);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        if (msg.type === 'error') reject(new Error(`${this.label}: ${String(msg.message)}`));
        else resolve(msg as T);
      });
      this.child.send({ ...message, id });
    });
  }

  /** Stops the child (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Forks a Node module with an IPC channel and waits until it sends `readyType`. */
export function forkService(modulePath: string, options: ForkOptions): Promise<{ service: ChildService; ready: IpcMessage }> {
  const fd = options.outputFile ? fs.openSync(options.outputFile, 'w') : undefined;
  const child = fork(modulePath, options.args ?? [], {
    execArgv: options.execArgv ?? [],
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', fd, fd, 'ipc'],
  });
  if (fd !== undefined) fs.closeSync(fd); // the child holds its own copy
  const service = new ChildService(options.label, child, options.outputFile);
  return new Promise((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      void service.stop();
      reject(new Error(`${options.label} did not start within ${timeoutMs} ms\n${service.recentOutput}`));
    }, timeoutMs);
    const onMessage = (raw: unknown) => {
      const msg = raw as IpcMessage;
      if (msg.type === options.readyType) {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve({ service, ready: msg });
      } else if (msg.type === 'error') {
        clearTimeout(timer);
        void service.stop();
        reject(new Error(`${options.label} failed to start: ${String(msg.message)}\n${service.recentOutput}`));
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.label} exited (${code ?? signal}) before it was ready\n${service.recentOutput}`));
    });
  });
}

/** Runs a module to completion in a child process and returns the `result` message it sends. */
export function runToCompletion<T>(modulePath: string, options: { args?: string[]; execArgv?: string[]; label: string; timeoutMs?: number }): Promise<T> {
  const child = fork(modulePath, options.args ?? [], { execArgv: options.execArgv ?? [], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8000);
  });
  return new Promise<T>((resolve, reject) => {
    let result: T | undefined;
    let failure: string | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('message', (raw) => {
      const msg = raw as IpcMessage;
      if (msg.type === 'result') result = msg.result as T;
      else if (msg.type === 'error') failure = String(msg.message);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result !== undefined) resolve(result);
      else reject(new Error(`${options.label} failed (${code ?? signal}): ${failure ?? ''}\n${stderr}`));
    });
  });
}

/** The child side of runToCompletion: runs fn, sends its value, and ends the process. */
export function completeInChild<T>(fn: () => Promise<T>): void {
  fn().then(
    // Exit once the message is out: a handle left open by the code under test must not hang the run.
    (result) => process.send?.({ type: 'result', result }, () => process.exit(0)),
    (err: unknown) => {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.send?.({ type: 'error', message }, () => process.exit(1));
    },
  );
}
