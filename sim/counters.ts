/** Per-endpoint call counts (every request that reached an endpoint, whatever its outcome). */
import { SIM_ENDPOINTS } from './endpoints';
import type { SimEndpoint } from './types';

export class CallCounters {
  private counts = zero();

  increment(endpoint: SimEndpoint): void {
    this.counts[endpoint] += 1;
  }

  snapshot(): Record<SimEndpoint, number> {
    return { ...this.counts };
  }

  reset(): void {
    this.counts = zero();
  }
}

function zero(): Record<SimEndpoint, number> {
  return Object.fromEntries(SIM_ENDPOINTS.map((e) => [e, 0])) as Record<SimEndpoint, number>;
}
