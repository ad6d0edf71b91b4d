/**
 * Deterministic load plans: the same seed gives the same order of logins on every run, so a failure
 * can be replayed; and one client address per member, as members behind a proxy would have.
 */
import { createHash } from 'node:crypto';
import type { SimOrgUser } from '../../sim/types';

/** A copy of `items` in a seeded random order (Fisher-Yates over a small xorshift generator). */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A stable private address for a member (10.x.y.z), sent as X-Forwarded-For to a --trust-proxy host. */
export function memberAddress(member: Pick<SimOrgUser, 'userid'>): string {
  const digest = createHash('sha256').update(member.userid).digest();
  return `10.${digest[0]}.${digest[1]}.${digest[2] || 1}`;
}
