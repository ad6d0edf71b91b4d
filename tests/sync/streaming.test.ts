/**
 * The streaming sync (#12): members are written chunk by chunk while the organisation is still being
 * read, one transaction per chunk, and leavers are found afterwards by the run stamp in SQL. On both
 * databases:
 *   - a first run writes every member once, with every department they are in, although a person
 *     in several departments is listed once per department, often in different chunks;
 *   - a run stopped mid-stream leaves whole chunks only and ends nobody, even with members missing
 *     from DingTalk (leavers are looked for only after a complete walk);
 *   - the next complete run ends exactly the missing ones; the summary lists stay bounded.
 */
import type { OrgModel } from '../../elements/corps/models/OrgModel/OrgModel';
import { SYNC_CHUNK_MEMBERS } from '../../elements/corps/sync/run-org-sync';
import { SUMMARY_LIST_LIMIT } from '../../elements/corps/sync/summary';
import { describeWithPostgres } from '../helpers/requirements';
import { describeEachDatabase, type DatabaseUnderTest } from '../helpers/each-database';
import { useScratchDatabase } from '../helpers/scratch-database';
import { CORP, cloneOrg, corpOf, countRows, generatedOrg, membershipCount, withSimulator, withSyncApp } from './org-fixture';
import type { SimOrg } from '../../sim/types';

const PAGE_SIZE = 100;
const LEAVERS = 30;

function streamingStory(db: DatabaseUnderTest, size: number): void {
  const org0 = generatedOrg(size);
  // The same organisation less LEAVERS members spread over the whole list (so over every chunk).
  const org1 = cloneOrg(org0);
  const gone = corpOf(org0)
    .users.filter((_, i) => i % Math.floor(size / LEAVERS) === 1)
    .slice(0, LEAVERS)
    .map((u) => u.userid);
  corpOf(org1).users = corpOf(org1).users.filter((u) => !gone.includes(u.userid));
  const withApp = <T>(org: SimOrg, fn: Parameters<typeof withSyncApp<T>>[2]) => withSimulator(org, (sim) => withSyncApp(sim, db.url, fn));

  it('a first run writes every member once, with all their departments, across chunks', async () => {
    const summary = await withApp(org0, ({ corp }) => corp.syncCorp({ pageSize: PAGE_SIZE }));
    expect(summary.complete).toBe(true);
    expect(summary.members).toMatchObject({ listed: size, added: size, updated: 0, unchanged: 0, failed: 0, left: 0 });
    expect(summary.added).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(summary.truncated).toBe(true);
    await withApp(org0, async ({ app }) => {
      expect(await countRows(app, 'corp_members')).toBe(size);
      expect(await countRows(app, 'users')).toBe(size);
      expect(await countRows(app, 'corp_department_members')).toBe(membershipCount(org0));
      const orgModel = app.getElement<OrgModel>('corps.models.OrgModel');
      const several = corpOf(org0).users.filter((u) => new Set(u.dept_id_list).size > 1);
      expect(several.length).toBeGreaterThan(SYNC_CHUNK_MEMBERS / 10);
      const linked = await orgModel.departmentsOf(CORP, several.map((u) => u.userid));
      for (const u of several) expect([u.userid, linked.get(u.userid)]).toEqual([u.userid, [...new Set(u.dept_id_list)].sort((a, b) => a - b)]);
    });
  }, 120_000);

  it('stopped after its first chunk, it leaves that chunk whole and ends nobody', async () => {
    const abort = new AbortController();
    const stopped = withApp(org1, ({ corp }) =>
      corp.syncCorp({ pageSize: PAGE_SIZE, signal: abort.signal, onProgress: (p) => p.phase === 'apply' && p.applied > 0 && abort.abort(new Error('stop')) }),
    );
    await expect(stopped).rejects.toThrow('stop');
    await withApp(org1, async ({ app }) => {
      const orgModel = app.getElement<OrgModel>('corps.models.OrgModel');
      const run = await orgModel.lastRun(CORP);
      expect(run).toMatchObject({ outcome: 'interrupted' });
      // Exactly the members of whole chunks carry the interrupted run's stamp: the first chunk (a
      // chunk is written once it holds SYNC_CHUNK_MEMBERS, so at most one page more).
      const stamped = await app.db.dataSource.query(`SELECT COUNT(*) AS n FROM corp_members WHERE "lastRunId" = ${db.kind === 'postgres' ? '$1' : '?'}`, [run!.id]);
      const n = Number(stamped[0].n);
      expect(n).toBeGreaterThanOrEqual(SYNC_CHUNK_MEMBERS);
      expect(n).toBeLessThan(SYNC_CHUNK_MEMBERS + PAGE_SIZE);
      // Nobody ended: those missing from DingTalk are still members, with their accounts.
      expect(await orgModel.countMembers(CORP)).toEqual({ active: size, left: 0, offline: 0 });
      for (const userid of gone) expect(await app.users.findByUsername(userid)).toMatchObject({ disabled: false });
    });
  }, 120_000);

  it('the next complete run ends exactly the members missing from DingTalk', async () => {
    const summary = await withApp(org1, ({ corp }) => corp.syncCorp({ pageSize: PAGE_SIZE }));
    expect(summary.complete).toBe(true);
    expect(summary.members).toMatchObject({ listed: size - LEAVERS, added: 0, updated: 0, unchanged: size - LEAVERS, left: LEAVERS, disabled: LEAVERS });
    expect(summary.disabled.map((d) => d.userid)).toEqual([...gone].sort());
    expect(summary.truncated).toBe(false);
    await withApp(org1, async ({ app }) => {
      const orgModel = app.getElement<OrgModel>('corps.models.OrgModel');
      expect(await orgModel.countMembers(CORP)).toEqual({ active: size - LEAVERS, left: LEAVERS, offline: 0 });
      for (const userid of gone) expect(await app.users.findByUsername(userid)).toMatchObject({ disabled: true });
    });
    // And again: nothing to do.
    const again = await withApp(org1, ({ corp }) => corp.syncCorp({ pageSize: PAGE_SIZE }));
    expect(again.members).toMatchObject({ listed: size - LEAVERS, unchanged: size - LEAVERS, added: 0, updated: 0, left: 0 });
  }, 120_000);
}

describeEachDatabase('streaming org sync', (db) => streamingStory(db, 1200));

/**
 * A chunk that fails as a whole is written again member by member: PostgreSQL refuses a membership
 * name longer than its column (255), which fails the chunk's bulk INSERT; the member at fault then
 * fails alone (listed, not ended later), and every other member of the chunk is written.
 */
describeWithPostgres('streaming org sync [postgres]: a chunk the database refuses', () => {
  const size = 600;
  const org = generatedOrg(size);
  const odd = corpOf(org).users[3];
  odd.name = 'N'.repeat(300);
  const db = useScratchDatabase('postgres');

  it('is written member by member: the member at fault fails alone, the others are written', async () => {
    const summary = await withSimulator(org, (sim) => withSyncApp(sim, db.url, ({ corp }) => corp.syncCorp({ pageSize: PAGE_SIZE })));
    expect(summary.complete).toBe(true);
    expect(summary.members).toMatchObject({ listed: size, added: size - 1, failed: 1, left: 0 });
    expect(summary.failures).toEqual([expect.objectContaining({ kind: 'member', userid: odd.userid })]);
    await withSimulator(org, (sim) =>
      withSyncApp(sim, db.url, async ({ app }) => {
        expect(await countRows(app, 'corp_members')).toBe(size - 1);
        expect(await countRows(app, 'dd_inner_auth')).toBe(size - 1);
        expect(await countRows(app, 'users')).toBe(size - 1);
      }),
    );
  }, 120_000);
});
