/**
 * The login metrics every login Type reports the same way: `jit_logins_total{instance, flow,
 * outcome}` (outcome `ok`, `bind_required`, or the error code) and `jit_login_duration_seconds{flow}`.
 * One function, so a user's own login Type counts like the official ones.
 */
import type { AppHandle } from '../app-types';

export function countLogin(app: Pick<AppHandle, 'metrics'>, labels: { instance: string; flow: string; outcome: string }, durationMs: number): void {
  app.metrics.logins.inc(labels);
  app.metrics.loginDuration.observe({ flow: labels.flow }, durationMs / 1000);
}
