/**
 * A finished sync is recorded for operators: one `sync.finished` audit row with the summary's counts,
 * and the sync metrics; a dry run records neither (issue #14).
 */
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text';
import { CORP, generatedOrg, withSimulator, withSyncApp } from './org-fixture';
import { scratchDatabase } from '../helpers/scratch-database';

test('a real sync writes sync.finished and counts itself; a dry run does not', async () => {
  const db = await scratchDatabase('sqlite');
  try {
    await withSimulator(generatedOrg(60), (sim) =>
      withSyncApp(sim, db.url, async ({ app, corp }) => {
        await corp.syncCorp({ dryRun: true });
        expect((await app.audit.list({ type: 'sync.finished' })).events).toEqual([]);

        const summary = await corp.syncCorp();
        expect(summary.complete).toBe(true);
        const { events } = await app.audit.list({ type: 'sync.finished' });
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ type: 'sync.finished', instance: CORP, outcome: 'ok', details: expect.objectContaining({ runId: summary.runId, members: expect.objectContaining({ added: summary.members.added }) }) });

        const samples = parsePrometheusText(await app.metrics.text());
        expect(sampleValue(samples, 'jit_sync_runs_total', { corp: CORP, outcome: 'ok' })).toBe(1);
        expect(sampleValue(samples, 'jit_sync_members_changed_total', { corp: CORP, change: 'added' })).toBe(summary.members.added);
        expect(sampleValue(samples, 'jit_sync_duration_seconds_count', { corp: CORP })).toBe(1);
      }),
    );
  } finally {
    await db.remove();
  }
});
