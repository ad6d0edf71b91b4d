/** Expiry times of sessions and tickets. */
import { JitError } from '../errors';

/** The moment `ttlSeconds` after `from`; a lifetime that is not a positive number is a CONFIG_INVALID error. */
export function expiryAfter(from: Date, ttlSeconds: number): Date {
  return new Date(from.getTime() + requireLifetime(ttlSeconds) * 1000);
}

export function requireLifetime(ttlSeconds: number): number {
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new JitError('CONFIG_INVALID', `A lifetime must be a positive number of seconds (got ${String(ttlSeconds)})`);
  }
  return ttlSeconds;
}
