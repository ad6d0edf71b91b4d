/**
 * Retries with jittered exponential backoff, bounded in attempts and in total time. Only failures the
 * error table marks retryable are retried (busy, 5xx, timeouts, QPS throttles); a wrong code, a
 * missing permission or a non-member fails at once. `sleep` and `random` are injectable so tests can
 * check the delays asked for without waiting.
 */
import { JitError } from '../../runtime/core';
import type { RetryKind } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first included (DingTalk's advice for -1 is "retry at most 3 times"). */
  maxAttempts: number;
  /** First transient backoff; doubled for each further retry. */
  baseDelayMs: number;
  /** Cap on any single wait. */
  maxDelayMs: number;
  /** Cap on the time one call may spend (requests + waits): no retry starts that would pass it. */
  totalBudgetMs: number;
  /** The wait after a QPS throttle: DingTalk counts QPS in 1-second windows. */
  rateLimitDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); jitter spreads the retries of many callers hit at the same moment. */
  random?: () => number;
}

export type ResolvedRetryPolicy = Required<RetryPolicy>;

/** Production defaults: up to 3 retries within 10 s; a throttled call waits 1-1.5 s (the 1-s QPS window). */
export const DEFAULT_RETRY_POLICY: Readonly<Omit<RetryPolicy, 'sleep' | 'random'>> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 3000,
  totalBudgetMs: 10_000,
  rateLimitDelayMs: 1000,
});

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): ResolvedRetryPolicy {
  const policy: ResolvedRetryPolicy = { ...DEFAULT_RETRY_POLICY, sleep: realSleep, random: Math.random, ...dropUndefined(overrides) };
  const check = (ok: boolean, field: string, rule: string) => {
    if (!ok) throw new JitError('CONFIG_INVALID', `DingTalk client retry.${field} must be ${rule}, got ${String(policy[field as keyof RetryPolicy])}`);
  };
  check(Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1, 'maxAttempts', 'an integer >= 1');
  for (const field of ['baseDelayMs', 'maxDelayMs', 'totalBudgetMs', 'rateLimitDelayMs'] as const) {
    check(Number.isFinite(policy[field]) && policy[field] >= 0, field, 'a number >= 0');
  }
  return policy;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The wait before retry number `retry` (1 = the first retry). Transient: "equal jitter" over an
 * exponential ceiling, so waits grow, differ between callers and never exceed maxDelayMs. Rate limit:
 * at least the QPS window (or the exponential ceiling when longer), plus up to half again of jitter.
 */
export function backoffDelay(policy: ResolvedRetryPolicy, kind: RetryKind, retry: number): number {
  const exponential = policy.baseDelayMs * 2 ** (retry - 1);
  const jitter = policy.random();
  if (kind === 'rateLimit') {
    return Math.min(policy.maxDelayMs, Math.max(policy.rateLimitDelayMs, exponential) * (1 + jitter / 2));
  }
  const ceiling = Math.min(policy.maxDelayMs, exponential);
  return ceiling / 2 + (jitter * ceiling) / 2;
}

export type AttemptOutcome<T, F> = { ok: true; value: T } | { ok: false; failure: F; retry?: RetryKind };

export type RetryResult<T, F> = { ok: true; value: T; attempts: number } | { ok: false; failure: F; attempts: number };

export interface RetryHooks {
  /** Called before each wait (for the debug log). */
  onRetry?: (info: { attempt: number; delayMs: number; kind: RetryKind }) => void;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts or the time budget run out; the
 * last outcome is returned, never thrown. Time spent = request durations + waits asked for, so the
 * budget holds with an injected sleep as with a real one (a last request may run its own timeout past it).
 */
export async function runWithRetry<T, F>(
  policy: ResolvedRetryPolicy,
  attempt: (attemptNumber: number) => Promise<AttemptOutcome<T, F>>,
  hooks: RetryHooks = {},
): Promise<RetryResult<T, F>> {
  let spentMs = 0;
  for (let attemptNumber = 1; ; attemptNumber++) {
    const started = performance.now();
    const outcome = await attempt(attemptNumber);
    spentMs += performance.now() - started;
    if (outcome.ok) return { ok: true, value: outcome.value, attempts: attemptNumber };
    if (!outcome.retry || attemptNumber >= policy.maxAttempts) return { ok: false, failure: outcome.failure, attempts: attemptNumber };
    const delayMs = backoffDelay(policy, outcome.retry, attemptNumber);
    if (spentMs + delayMs > policy.totalBudgetMs) return { ok: false, failure: outcome.failure, attempts: attemptNumber };
    hooks.onRetry?.({ attempt: attemptNumber, delayMs, kind: outcome.retry });
    await policy.sleep(delayMs);
    spentMs += delayMs;
  }
}
