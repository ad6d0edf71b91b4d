/**
 * The simulator's clock: wall time plus an offset that `advanceClock` moves forward, so tests can
 * expire tokens (7200 s) and codes (5 min) without waiting.
 */
export class SimClock {
  private offsetMs = 0;

  /** Milliseconds since the epoch, as the simulator sees them. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceClock needs a finite, non-negative number of ms (got ${ms})`);
    this.offsetMs += ms;
  }
}
