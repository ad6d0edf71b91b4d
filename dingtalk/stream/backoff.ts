/**
 * Reconnect delays: exponential with jitter (1 s doubling to 60 s by default), so a DingTalk outage is
 * not met by every host reconnecting in step (the official Node SDK retries every 1 s, fixed:
 * docs/dingtalk-facts.md §12).
 */

export interface BackoffPolicy {
  /** Delay before the first retry (ms). Default 1000. */
  initialMs: number;
  /** Ceiling (ms). Default 60000. */
  maxMs: number;
  /** Growth per failed attempt. Default 2. */
  factor: number;
  /** A connection that stayed up this long resets the delay to `initialMs`; one that drops sooner
   *  keeps growing it (a flapping connection). Default 30000. */
  stableAfterMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({ initialMs: 1000, maxMs: 60_000, factor: 2, stableAfterMs: 30_000 });

/** The delay before retry number `attempt` (1-based): "equal jitter", half fixed, half random. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
