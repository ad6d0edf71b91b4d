/**
 * What the DingTalk client did, for metrics and `jit doctor`: counters anyone can read
 * (`runtime.metrics.snapshot()`) and events anyone can subscribe to (`runtime.metrics.subscribe`),
 * e.g. to feed a Prometheus registry. Kept per DingTalk runtime (per loaded app), never per process.
 * A listener that throws is ignored: metrics never break a call.
 */
import type { DingTalkLane } from './lanes';
import type { DingTalkFailureReason } from './reasons';

/** How one HTTP exchange with DingTalk ended: 'ok', or the reason of its failure. */
export type CallOutcome = 'ok' | DingTalkFailureReason;

export type DingTalkEvent =
  /** One HTTP exchange (every attempt counts), with the time it waited for its budget slot first. */
  | { type: 'call'; appKey: string; api: string; lane: DingTalkLane; outcome: CallOutcome; attempt: number; waitMs: number; durationMs: number }
  /** The budget refused a call (queue deadline or depth): no exchange was made. */
  | { type: 'refused'; appKey: string; api: string; lane: DingTalkLane; waitMs: number; retryAfter: number; cause: 'deadline' | 'depth' }
  /** An app access token was fetched: `cause` says why (none cached, about to expire, DingTalk refused the old one, asked for). */
  | { type: 'tokenFetch'; appKey: string; cause: 'cold' | 'refresh' | 'rejected' | 'forced' }
  /** The budget's share changed (processes joined or left, or `dingtalk.qps` changed). */
  | { type: 'share'; appKey: string; qps: number; members: number; share: number };

export type DingTalkEventListener = (event: DingTalkEvent) => void;

export interface DingTalkMetricsSnapshot {
  /** Milliseconds calls spent waiting for a budget slot, summed. */
  waitMsTotal: number;
  /** Exchanges that had to wait at all. */
  waitedCalls: number;
  /** HTTP exchanges by API (`topapi/v2/user/get`) and outcome (`ok`, `RATE_LIMITED`, ...). */
  calls: Record<string, Partial<Record<CallOutcome, number>>>;
  /** Exchanges DingTalk throttled (90018, 90002, QpsLimit, 429), by API. */
  throttled: Record<string, number>;
  /** Calls the budget refused (DINGTALK_RATE_LIMITED, reason BUDGET_EXHAUSTED), by API. */
  refused: Record<string, number>;
  /** App access tokens fetched, by cause. */
  tokenFetches: { cold: number; refresh: number; rejected: number; forced: number };
}

export class DingTalkMetrics {
  private counters: DingTalkMetricsSnapshot = emptySnapshot();
  private readonly listeners = new Set<DingTalkEventListener>();

  /** Calls `listener` for every event from now on; returns the function that stops it. */
  subscribe(listener: DingTalkEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A copy of the counters. */
  snapshot(): DingTalkMetricsSnapshot {
    return structuredClone(this.counters);
  }

  reset(): void {
    this.counters = emptySnapshot();
  }

  record(event: DingTalkEvent): void {
    const c = this.counters;
    switch (event.type) {
      case 'call': {
        const byOutcome = (c.calls[event.api] ??= {});
        byOutcome[event.outcome] = (byOutcome[event.outcome] ?? 0) + 1;
        if (event.outcome === 'RATE_LIMITED') c.throttled[event.api] = (c.throttled[event.api] ?? 0) + 1;
        this.addWait(event.waitMs);
        break;
      }
      case 'refused':
        c.refused[event.api] = (c.refused[event.api] ?? 0) + 1;
        this.addWait(event.waitMs);
        break;
      case 'tokenFetch':
        c.tokenFetches[event.cause] += 1;
        break;
      case 'share':
        break;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken metrics sink must not fail a login.
      }
    }
  }

  private addWait(waitMs: number): void {
    if (waitMs <= 0) return;
    this.counters.waitMsTotal += waitMs;
    this.counters.waitedCalls += 1;
  }
}

function emptySnapshot(): DingTalkMetricsSnapshot {
  return { waitMsTotal: 0, waitedCalls: 0, calls: {}, throttled: {}, refused: {}, tokenFetches: { cold: 0, refresh: 0, rejected: 0, forced: 0 } };
}
