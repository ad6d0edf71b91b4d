/**
 * The timestamps of the events of the last second, oldest first: what both the QPS limit and the
 * per-second peaks count. A head index instead of `shift()` keeps a busy window (thousands of calls a
 * second with the limit off) cheap.
 */
export const WINDOW_MS = 1000;

export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  /** Events in (now - 1 s, now]. */
  count(now: number): number {
    const horizon = now - WINDOW_MS;
    while (this.head < this.times.length && this.times[this.head] <= horizon) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Records an event at `now`; returns the events in the last second, this one included. */
  add(now: number): number {
    this.times.push(now);
    return this.count(now);
  }
}
