/**
 * The contract between `bench/run.ts` and a suite. Each suite runs in a child process of its own
 * (`dist/bench/<suite>/suite.js`), so one suite's heap, caches and open handles never colour another's
 * numbers. The child reports progress lines and, at the end, its result over the IPC channel.
 */
import { describeMachine, type MachineInfo } from './machine';
import type { Figure } from './figures';

export interface SuiteResult {
  suite: string;
  title: string;
  startedAt: string;
  durationMs: number;
  machine: MachineInfo;
  /** Every reported figure, with its same-run baseline, ratio and goal. */
  figures: Figure[];
  /** The samples and settings the figures were computed from. */
  raw: Record<string, unknown>;
  /** How the suite measures, in plain words; printed under its table. */
  method: string[];
}

export type SuiteOutput = Pick<SuiteResult, 'title' | 'figures' | 'raw' | 'method'>;

export interface SuiteContext {
  progress(message: string): void;
}

type ChildMessage =
  | { type: 'progress'; message: string }
  | { type: 'result'; result: SuiteResult }
  | { type: 'failure'; message: string };

/** Runs a suite inside the current (child) process and reports to the parent. */
export function runSuiteInChild(name: string, run: (ctx: SuiteContext) => Promise<SuiteOutput>): void {
  const send = (message: ChildMessage) => {
    if (process.send) process.send(message);
    else if (message.type === 'progress') process.stderr.write(`  ${message.message}\n`);
    else process.stdout.write(JSON.stringify(message, null, 2) + '\n');
  };
  const machine = describeMachine();
  const started = Date.now();
  run({ progress: (message) => send({ type: 'progress', message }) })
    .then((output) => {
      const result: SuiteResult = {
        suite: name,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        machine,
        ...output,
      };
      send({ type: 'result', result });
    })
    .catch((err: unknown) => {
      send({ type: 'failure', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exitCode = 1;
    })
    .finally(() => {
      // Disconnect so a lingering handle in a measured library cannot keep the child alive.
      if (process.connected) process.disconnect();
    });
}

export function isSuiteMessage(value: unknown): value is ChildMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
