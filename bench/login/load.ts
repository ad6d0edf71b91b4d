/**
 * Closed-loop load: `concurrency` workers take the next job as soon as their previous one finishes,
 * so throughput is bounded by the latency of what they call, as a crowd of users logging in is.
 * A run ends when the jobs run out or, if given, when `maxDurationMs` has passed (jobs in flight
 * finish and count): a slow host then costs the benchmark a bounded time, not an unbounded one.
 */
import { nowMs } from '../lib/stats';

export interface LoadRun {
  /** Jobs completed (all of them unless the time limit ended the run). */
  count: number;
  concurrency: number;
  wallMs: number;
  latenciesMs: number[];
  perSecond: number;
  /** True when the time limit, not the job list, ended the run. */
  timeLimited: boolean;
}

export async function runClosedLoop<J>(
  jobs: readonly J[],
  concurrency: number,
  work: (job: J) => Promise<unknown>,
  options: { maxDurationMs?: number } = {},
): Promise<LoadRun> {
  const latenciesMs: number[] = [];
  let next = 0;
  let failure: unknown;
  let timeLimited = false;
  const start = nowMs();
  const deadline = options.maxDurationMs === undefined ? Infinity : start + options.maxDurationMs;
  const worker = async () => {
    while (failure === undefined) {
      if (next >= jobs.length) return;
      const begin = nowMs();
      if (begin > deadline) {
        timeLimited = true;
        return;
      }
      const job = jobs[next++];
      try {
        await work(job);
      } catch (err) {
        failure ??= err;
        return;
      }
      latenciesMs.push(nowMs() - begin);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  const wallMs = nowMs() - start;
  if (failure !== undefined) throw failure;
  return { count: latenciesMs.length, concurrency, wallMs, latenciesMs, perSecond: (latenciesMs.length / wallMs) * 1000, timeLimited };
}
