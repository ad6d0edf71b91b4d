/**
 * The app's Prometheus metrics: one prom-client Registry per loaded app (no process-wide state: two
 * apps in one process, and every test, start from zero). The runtime declares its own metrics here;
 * elements declare theirs through `counter` / `histogram` / `gauge`, which return the metric already
 * registered under that name (so a Type built twice, or rebuilt by hot reload, keeps counting).
 *
 * Names follow Prometheus conventions: `jit_` prefix, base units (`_seconds`), `_total` on counters,
 * and labels with bounded values only (instance fullNames, outcomes, error codes; never user ids).
 */
import { Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

type Labels = string;

/** Latency buckets in seconds, from 5 ms (a warm workbench login) to 30 s (a login that waited for DingTalk's budget). */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class AppMetrics {
  readonly registry = new Registry();

  /** Logins by login instance, flow and outcome (`ok` or the error code). */
  readonly logins: Counter<Labels>;
  /** Login latency by flow, in seconds. */
  readonly loginDuration: Histogram<Labels>;

  constructor() {
    this.logins = this.counter({ name: 'jit_logins_total', help: 'Logins by instance, flow and outcome (ok or the error code)', labelNames: ['instance', 'flow', 'outcome'] });
    this.loginDuration = this.histogram({ name: 'jit_login_duration_seconds', help: 'Login latency by flow', labelNames: ['flow'], buckets: LATENCY_BUCKETS_SECONDS });
  }

  counter<L extends Labels>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return (this.registry.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter({ ...config, registers: [this.registry] });
  }

  histogram<L extends Labels>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return (this.registry.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  /** A gauge; `collect` (may be async) runs at each scrape, e.g. to count active sessions in the database. */
  gauge<L extends Labels>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return (this.registry.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
