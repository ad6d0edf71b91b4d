/**
 * Per-second call counts, so a test can assert "at most N calls in any second per API": for each API
 * (all apps together) and each app's calls to it, the most calls seen within any 1-second window, and
 * how many calls the QPS limit rejected. Every call that reached an endpoint counts, whatever its
 * outcome.
 */
import { SIM_ENDPOINTS } from './endpoints';
import { SlidingWindow } from './sliding-window';
import type { SimEndpoint } from './types';

export class CallRates {
  private perApi = new Map<SimEndpoint, SlidingWindow>();
  private perApp = new Map<string, SlidingWindow>();
  private peaks = zero();
  private appPeaks: Record<string, Partial<Record<SimEndpoint, number>>> = {};
  private rejections = zero();

  constructor(private readonly now: () => number) {}

  /** A call reached `endpoint` (before anything about it is known). */
  recordCall(endpoint: SimEndpoint): void {
    const seen = windowOf(this.perApi, endpoint).add(this.now());
    if (seen > this.peaks[endpoint]) this.peaks[endpoint] = seen;
  }

  /** The call's app is known (a valid token, or a known appKey/clientId). */
  recordAppCall(appKey: string, endpoint: SimEndpoint): void {
    const seen = windowOf(this.perApp, `${appKey}\n${endpoint}`).add(this.now());
    const peaks = (this.appPeaks[appKey] ??= {});
    if (seen > (peaks[endpoint] ?? 0)) peaks[endpoint] = seen;
  }

  recordRejection(endpoint: SimEndpoint): void {
    this.rejections[endpoint] += 1;
  }

  snapshot(): { peakPerSecond: Record<SimEndpoint, number>; peakPerSecondByApp: Record<string, Partial<Record<SimEndpoint, number>>>; rejected: Record<SimEndpoint, number> } {
    return {
      peakPerSecond: { ...this.peaks },
      peakPerSecondByApp: Object.fromEntries(Object.entries(this.appPeaks).map(([app, peaks]) => [app, { ...peaks }])),
      rejected: { ...this.rejections },
    };
  }

  /** Starts afresh: calls before the reset count towards no later peak. */
  reset(): void {
    this.perApi.clear();
    this.perApp.clear();
    this.peaks = zero();
    this.appPeaks = {};
    this.rejections = zero();
  }
}

function windowOf<K>(map: Map<K, SlidingWindow>, key: K): SlidingWindow {
  let window = map.get(key);
  if (!window) map.set(key, (window = new SlidingWindow()));
  return window;
}

function zero(): Record<SimEndpoint, number> {
  return Object.fromEntries(SIM_ENDPOINTS.map((e) => [e, 0])) as Record<SimEndpoint, number>;
}
