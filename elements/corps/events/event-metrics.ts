/**
 * The metrics of live events, declared on the app's registry (app.metrics):
 *
 *   jit_events_applied_total{corp,type,outcome}  events handled: outcome `applied`, `duplicate`,
 *                                                `ignored` (a type the corp does not apply), `retry`
 *                                                (a transient failure: the source delivers it again),
 *                                                or the reason it was not applied (STILL_MEMBER, a code)
 *   jit_event_lag_seconds{corp}                  from the change at the source (eventBornTime) to applied
 *   jit_stream_connected{corp}                   1 while the corp's event connection is open, else 0
 *
 * Labels are bounded: corp fullNames, event types, outcomes and codes.
 */
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { AppHandle } from '../../../runtime';

/** From a few ms (an event applied at once) to minutes (one delivered again after a gap). */
const LAG_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800];

export interface EventMetrics {
  applied: Counter<'corp' | 'type' | 'outcome'>;
  lag: Histogram<'corp'>;
  connected: Gauge<'corp'>;
}

export function eventMetrics(app: AppHandle): EventMetrics {
  return {
    applied: app.metrics.counter({
      name: 'jit_events_applied_total',
      help: 'Live organisation events handled, by corp, event type and outcome (applied, duplicate, ignored, retry, or why not applied)',
      labelNames: ['corp', 'type', 'outcome'],
    }),
    lag: app.metrics.histogram({
      name: 'jit_event_lag_seconds',
      help: 'Seconds from a change at the source (eventBornTime) to the event applied',
      labelNames: ['corp'],
      buckets: LAG_BUCKETS_SECONDS,
    }),
    connected: app.metrics.gauge({ name: 'jit_stream_connected', help: "1 while the corp's live event connection (DingTalk Stream) is open, else 0", labelNames: ['corp'] }),
  };
}
