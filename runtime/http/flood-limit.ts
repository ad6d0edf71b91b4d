/**
 * The anonymous flood limit: requests per client address (IPv6 by /64) per minute to the login
 * functions and the redirect callback, `limits.floodPerAddress` (default 3600). It stops a script
 * hammering the login entry points from one address; it is not a guessing limit (failed proofs are
 * counted per account, member and address in the database by the logins themselves) and it does
 * not count successes against anyone: one office behind one NAT signing in at 9:00 stays far below
 * it. In memory, per host process (rate-limiter-flexible's fixed one-minute windows).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from './client-address';

const WINDOW_SECONDS = 60;

export interface FloodDecision {
  allowed: boolean;
  /** Whole seconds until the address may try again (0 when allowed). */
  retryAfterSeconds: number;
}

export class FloodLimiter {
  private limiter: RateLimiterMemory | null = null;
  private points = 0;

  /** `perMinute` is read on every request, so a changed setting applies at once (counts restart). */
  constructor(private readonly perMinute: () => number) {}

  /** Counts one request from `address` and says whether it may go ahead. */
  async take(address: string | undefined): Promise<FloodDecision> {
    try {
      await this.current().consume(addressKey(address));
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }

  private current(): RateLimiterMemory {
    const points = Math.max(1, Math.floor(this.perMinute()));
    if (!this.limiter || points !== this.points) {
      this.limiter = new RateLimiterMemory({ points, duration: WINDOW_SECONDS });
      this.points = points;
    }
    return this.limiter;
  }
}
