/**
 * What a finished sync leaves for operators: one `sync.finished` audit row with its summary's counts
 * (`jit audit list --type sync.finished`, the console's past runs) and the sync metrics
 * (`jit_sync_runs_total{corp, outcome}`, `jit_sync_duration_seconds{corp}`,
 * `jit_sync_members_changed_total{corp, change}`). A dry run leaves neither: it changed nothing.
 */
import type { AppHandle } from '../../../runtime';
import type { SyncSummary } from './summary';

const DURATION_BUCKETS_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
const CHANGES = ['added', 'updated', 'left', 'unbound', 'failed'] as const;

export async function recordSyncFinished(app: Pick<AppHandle, 'audit' | 'metrics'>, summary: SyncSummary): Promise<void> {
  const outcome = summary.complete ? 'ok' : 'INCOMPLETE';
  const corp = summary.corp;
  app.metrics.counter({ name: 'jit_sync_runs_total', help: 'Organisation syncs by corp and outcome (ok or INCOMPLETE)', labelNames: ['corp', 'outcome'] }).inc({ corp, outcome });
  app.metrics.histogram({ name: 'jit_sync_duration_seconds', help: 'Organisation sync duration by corp', labelNames: ['corp'], buckets: DURATION_BUCKETS_SECONDS }).observe({ corp }, summary.durationMs / 1000);
  const changed = app.metrics.counter({ name: 'jit_sync_members_changed_total', help: 'Members a sync changed, by corp and kind of change', labelNames: ['corp', 'change'] });
  for (const change of CHANGES) if (summary.members[change] > 0) changed.inc({ corp, change }, summary.members[change]);
  await app.audit.tryRecord({
    type: 'sync.finished',
    instance: corp,
    corpId: summary.corpId,
    outcome,
    details: { runId: summary.runId, durationMs: summary.durationMs, departments: summary.departments, members: summary.members, failures: summary.failures.length },
  });
}
