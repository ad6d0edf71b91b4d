/**
 * Seedable randomness for fault injection, so a test or benchmark run with a seed replays the same
 * failures. Not for secrets: tokens and codes use node:crypto.
 */
export type RandomSource = () => number;

/** mulberry32: tiny, fast, good enough for "fail 30% of calls". Returns numbers in [0, 1). */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}
