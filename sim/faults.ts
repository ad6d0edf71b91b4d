/**
 * Fault injection: each request to an endpoint consults the active faults; a fault matches by
 * endpoint, fires with its `rate` (seeded randomness), and one with `count` retires after firing that
 * many times. Latency faults add up; the first failing fault that fires decides the failure.
 */
import { isSimEndpoint } from './endpoints';
import type { RandomSource } from './random';
import type { SimEndpoint, SimFault } from './types';

export type FailureKind = Exclude<SimFault['kind'], 'latency'>;

export interface FaultOutcome {
  /** Extra delay before answering. */
  latencyMs: number;
  failure?: FailureKind;
}

const KINDS: ReadonlyArray<SimFault['kind']> = ['http500', 'busy', 'qps', 'globalQps', 'permission', 'ipWhitelist', 'latency'];

interface ActiveFault {
  fault: SimFault;
  remaining: number;
}

export class FaultInjector {
  private active: ActiveFault[] = [];

  constructor(private readonly random: RandomSource) {}

  /** Adds a fault after checking it; throws a RangeError naming the bad field. */
  inject(fault: SimFault): void {
    this.active.push({ fault: checkFault(fault), remaining: fault.count ?? Infinity });
  }

  clear(): void {
    this.active = [];
  }

  list(): SimFault[] {
    return this.active.map((a) => ({ ...a.fault }));
  }

  /** Rolls every matching fault for one request to `endpoint`. */
  roll(endpoint: SimEndpoint): FaultOutcome {
    const outcome: FaultOutcome = { latencyMs: 0 };
    for (const entry of this.active) {
      const { fault } = entry;
      if (fault.endpoints && !fault.endpoints.includes(endpoint)) continue;
      if (fault.kind !== 'latency' && outcome.failure) continue; // one failure per request
      if (this.random() >= (fault.rate ?? 1)) continue;
      entry.remaining -= 1;
      if (fault.kind === 'latency') outcome.latencyMs += fault.latencyMs ?? 0;
      else outcome.failure = fault.kind;
    }
    this.active = this.active.filter((a) => a.remaining > 0);
    return outcome;
  }
}

function checkFault(value: unknown): SimFault {
  if (typeof value !== 'object' || value === null) throw new RangeError('fault: must be an object like {"kind":"busy"}');
  const fault = value as SimFault;
  if (!KINDS.includes(fault.kind)) throw new RangeError(`fault.kind: must be one of ${KINDS.join(', ')} (got ${JSON.stringify(fault.kind)})`);
  if (fault.rate !== undefined && !(typeof fault.rate === 'number' && fault.rate >= 0 && fault.rate <= 1))
    throw new RangeError(`fault.rate: must be a number in [0, 1] (got ${JSON.stringify(fault.rate)})`);
  if (fault.count !== undefined && !(Number.isInteger(fault.count) && fault.count > 0))
    throw new RangeError(`fault.count: must be a positive integer (got ${JSON.stringify(fault.count)})`);
  if (fault.latencyMs !== undefined && !(typeof fault.latencyMs === 'number' && fault.latencyMs >= 0))
    throw new RangeError(`fault.latencyMs: must be a number >= 0 (got ${JSON.stringify(fault.latencyMs)})`);
  if (fault.kind === 'latency' && fault.latencyMs === undefined) throw new RangeError('fault.latencyMs: required for a latency fault');
  if (fault.endpoints !== undefined) {
    if (!Array.isArray(fault.endpoints)) throw new RangeError('fault.endpoints: must be an array of endpoint names');
    const unknown = fault.endpoints.filter((e) => !isSimEndpoint(e));
    if (unknown.length > 0) throw new RangeError(`fault.endpoints: unknown endpoint ${JSON.stringify(unknown[0])}`);
  }
  const { kind, rate, count, latencyMs, endpoints } = fault;
  return { kind, rate, count, latencyMs, endpoints: endpoints ? [...endpoints] : undefined };
}
