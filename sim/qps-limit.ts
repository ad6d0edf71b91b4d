/**
 * DingTalk's per-app per-API limit (docs/dingtalk-facts.md §9): at most `qps` calls by one appKey to one API
 * within any 1-second window; a call over it is rejected, not queued. A sliding window (any 1000 ms,
 * not calendar seconds) is the stricter reading: a client kept under it passes a fixed-window limit
 * too. Only admitted calls fill the window, so a client that backs off for a second gets through.
 */
import { SlidingWindow } from './sliding-window';
import type { SimEndpoint } from './types';

/** Standard-edition orgs; the paid 企业开发增购包 raises it to 60. */
export const DEFAULT_QPS = 20;

export class QpsLimit {
  private readonly windows = new Map<string, SlidingWindow>();

  constructor(
    readonly qps: number | 'off',
    private readonly now: () => number,
  ) {
    if (qps !== 'off' && !(Number.isInteger(qps) && qps > 0))
      throw new RangeError(`qps: must be a positive integer (calls per second per app per API) or 'off' (got ${JSON.stringify(qps)})`);
  }

  /** True when the call may proceed (and is counted); false when it is over the limit. */
  admit(appKey: string, endpoint: SimEndpoint): boolean {
    if (this.qps === 'off') return true;
    const key = `${appKey}\n${endpoint}`;
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = new SlidingWindow()));
    const now = this.now();
    if (window.count(now) >= this.qps) return false;
    window.add(now);
    return true;
  }
}
