/**
 * Per client address limit on the login functions (anonymous functions under auths.loginTypes, and
 * the redirect callback): a token bucket of `max` attempts refilled evenly over `windowMs`. Over the
 * limit the host answers 429 RATE_LIMITED with Retry-After. Kept in memory: one host process.
 */

export interface LoginRateLimitOptions {
  /** Attempts allowed in a burst and per window (default 60). */
  max?: number;
  /** The window the bucket refills over (default 60 000 ms). */
  windowMs?: number;
  /** Clock, for tests of the refill. */
  now?: () => number;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one more attempt is allowed (0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** Buckets that have refilled completely are forgotten; this bounds memory under many addresses. */
const SWEEP_EVERY = 1000;

export class LoginRateLimiter {
  private readonly max: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private calls = 0;

  constructor(options: LoginRateLimitOptions = {}) {
    this.max = Math.max(1, Math.floor(options.max ?? 60));
    this.windowMs = Math.max(1, options.windowMs ?? 60_000);
    this.now = options.now ?? Date.now;
  }

  /** Counts one attempt from `address` and says whether it may go ahead. */
  take(address: string): RateDecision {
    const now = this.now();
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(now);
    const bucket = this.refill(this.buckets.get(address) ?? { tokens: this.max, updated: now }, now);
    this.buckets.set(address, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    const msPerToken = this.windowMs / this.max;
    const waitMs = (1 - bucket.tokens) * msPerToken;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private refill(bucket: Bucket, now: number): Bucket {
    const elapsed = Math.max(0, now - bucket.updated);
    const tokens = Math.min(this.max, bucket.tokens + (elapsed * this.max) / this.windowMs);
    return { tokens, updated: now };
  }

  private sweep(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (this.refill(bucket, now).tokens >= this.max) this.buckets.delete(address);
    }
  }
}
