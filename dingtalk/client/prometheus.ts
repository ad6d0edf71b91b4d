/**
 * The DingTalk client's events as Prometheus metrics in the app's registry (`app.metrics`):
 *   jit_dingtalk_calls_total{api, lane, outcome}      every HTTP exchange (outcome `ok` or the failure reason)
 *   jit_dingtalk_throttled_total{api}                  exchanges DingTalk throttled (90018, 90002, QpsLimit, 429)
 *   jit_dingtalk_budget_refused_total{api, lane}       calls the budget refused (queue deadline or depth)
 *   jit_dingtalk_budget_wait_seconds{lane}             time a call waited for its budget slot
 *   jit_dingtalk_token_fetches_total{cause}            app access tokens fetched (cold, refresh, rejected, forced)
 * Labels are bounded: API names from the call table, lanes, reasons, causes; never an appKey or a user.
 */
import type { DingTalkMetrics } from './metrics';

/** The part of the app's metrics registry this needs (runtime/metrics/app-metrics.ts has it). */
export interface MetricsRegistryLike {
  counter(config: { name: string; help: string; labelNames: readonly string[] }): { inc(labels: Record<string, string>, value?: number): void };
  histogram(config: { name: string; help: string; labelNames: readonly string[]; buckets: number[] }): { observe(labels: Record<string, string>, value: number): void };
}

const WAIT_BUCKETS_SECONDS = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 120];

/** Feeds `registry` from `metrics` until the returned function is called. */
export function exportDingTalkMetrics(metrics: DingTalkMetrics, registry: MetricsRegistryLike): () => void {
  const calls = registry.counter({ name: 'jit_dingtalk_calls_total', help: 'DingTalk HTTP exchanges by API, budget lane and outcome', labelNames: ['api', 'lane', 'outcome'] });
  const throttled = registry.counter({ name: 'jit_dingtalk_throttled_total', help: 'DingTalk exchanges DingTalk throttled, by API', labelNames: ['api'] });
  const refused = registry.counter({ name: 'jit_dingtalk_budget_refused_total', help: 'DingTalk calls the call budget refused (queue deadline or depth)', labelNames: ['api', 'lane'] });
  const wait = registry.histogram({ name: 'jit_dingtalk_budget_wait_seconds', help: 'Time a DingTalk call waited for its budget slot', labelNames: ['lane'], buckets: WAIT_BUCKETS_SECONDS });
  const tokens = registry.counter({ name: 'jit_dingtalk_token_fetches_total', help: 'DingTalk app access tokens fetched, by cause', labelNames: ['cause'] });
  return metrics.subscribe((event) => {
    switch (event.type) {
      case 'call':
        calls.inc({ api: event.api, lane: event.lane, outcome: event.outcome });
        if (event.outcome === 'RATE_LIMITED') throttled.inc({ api: event.api });
        wait.observe({ lane: event.lane }, event.waitMs / 1000);
        break;
      case 'refused':
        refused.inc({ api: event.api, lane: event.lane });
        wait.observe({ lane: event.lane }, event.waitMs / 1000);
        break;
      case 'tokenFetch':
        tokens.inc({ cause: event.cause });
        break;
      case 'share':
        break;
    }
  });
}
