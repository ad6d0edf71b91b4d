/**
 * Closed-loop load: `concurrency` workers take the next job as soon as their previous one finishes,
 * so throughput is bounded by the latency of what they call, as a crowd of users logging in is.
 */
import { nowMs } from '../lib/stats';

export interface LoadRun {
  count: number;
  concurrency: number;
  wallMs: number;
  latenciesMs: number[];
  perSecond: number;
}

export async function runClosedLoop<J>(jobs: readonly J[], concurrency: number, work: (job: J) => Promise<void>): Promise<LoadRun> {
  const latenciesMs: number[] = new Array(jobs.length);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined) {
      const index = next++;
      if (index >= jobs.length) return;
      const start = nowMs();
      try {
        await work(jobs[index]);
      } catch (err) {
        failure ??= err;
        return;
      }
      latenciesMs[index] = nowMs() - start;
    }
  };
  const start = nowMs();
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  const wallMs = nowMs() - start;
  if (failure !== undefined) throw failure;
  return { count: jobs.length, concurrency, wallMs, latenciesMs, perSecond: (jobs.length / wallMs) * 1000 };
}
