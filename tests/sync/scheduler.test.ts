/**
 * Org sync on a schedule (what `jit serve` starts): only active instances with
 * `sync.intervalMinutes` are scheduled; a run is awaited by whenIdle(); stop() aborts a run in
 * progress and waits for it, so the host can close the database right after. And the progress bar:
 * drawn in place on a terminal, silent elsewhere.
 */
import { generateOrg } from '../../sim';
import { startCorpSyncScheduler } from '../../elements/corps/corp-sync-scheduler';
import { createProgressBar, type SyncProgress } from '../../cli/sync-progress';
import { APP_ENV, CORP, FIXTURE_APP, SYNC_CORP, countRows } from './org-fixture';
import { openLoginApp } from '../helpers/login-app';
import { withSimulator } from '../helpers/simulator';

describe('the org sync scheduler', () => {
  it('syncs scheduled instances, and stop() aborts a run in progress and waits for it', async () => {
    const org = generateOrg({
      members: 120,
      depth: 2,
      breadth: 3,
      seed: 4,
      corpId: SYNC_CORP.corpId,
      app: { appKey: SYNC_CORP.appKey, appSecret: SYNC_CORP.appSecret, agentId: SYNC_CORP.agentId },
    });
    // The paid tier on both sides (60 calls a second per API; the fixture's dingtalk.qps is 60): 1,000-member
    // syncs stay quick. DingTalk's default 20 is paced in tests/client and measured in npm run bench.
    await withSimulator({ org, qps: 60 }, async (sim) => {
      const env = await openLoginApp({ sim, app: FIXTURE_APP, env: APP_ENV, database: 'sqlite' });
      const { app, logs } = env;
      try {
        // Stopped at once: the run started on start is aborted, and stop() waits for it to settle.
        const first = startCorpSyncScheduler(app, { runOnStart: true });
        expect(first.instances).toEqual([CORP]); // the corp with sync.intervalMinutes; plainLogin has no corp
        await first.stop();
        expect(logs).toContainEqual(expect.objectContaining({ msg: 'org sync stopped', instance: CORP }));
        expect(await countRows(app, 'dd_inner_auth')).toBeLessThan(120);

        const second = startCorpSyncScheduler(app, { runOnStart: true });
        await second.whenIdle();
        await second.stop();
        expect(await countRows(app, 'dd_inner_auth')).toBe(120);
        expect(logs).toContainEqual(expect.objectContaining({ msg: 'org sync scheduled', instance: CORP, intervalMinutes: 60 }));
        expect(logs).toContainEqual(expect.objectContaining({ msg: 'org sync finished', instance: CORP, complete: true }));
        expect(logs.filter((l) => l.level === 'error')).toEqual([]);
      } finally {
        await env.close();
      }
    });
  });
});

describe('the progress bar', () => {
  const progress = (patch: Partial<SyncProgress>): SyncProgress => ({ phase: 'apply', departments: 85, departmentsListed: 85, members: 1000, applied: 0, total: 1000, ...patch });
  const fakeStream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, stream: { isTTY, columns: 100, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
  };

  it('redraws one line in place on a terminal and erases it when done', () => {
    const { writes, stream } = fakeStream(true);
    const bar = createProgressBar(stream);
    bar.update(progress({ phase: 'departments', departments: 12 }));
    bar.update(progress({ phase: 'apply', applied: 500 }));
    bar.done();
    expect(writes).toEqual([
      '\r\x1b[2Korg sync: reading departments 12',
      `\r\x1b[2Korg sync: departments 85/85  members [${'#'.repeat(12)}${'-'.repeat(12)}] 500/1000`,
      '\r\x1b[2K',
    ]);
  });

  it('writes nothing when the stream is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const bar = createProgressBar(stream);
    bar.update(progress({}));
    bar.done();
    expect(writes).toEqual([]);
  });
});
