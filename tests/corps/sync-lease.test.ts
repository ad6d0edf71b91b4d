/**
 * One sync of a corp at a time across processes (DECISIONS "Sync lease"): two apps on one database
 * (as two hosts would be) cannot sync the same corp at once; the second is told who holds it, and
 * gets it once the first is done. A lease left by a killed process expires.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { createLeaseStore } from '../../runtime/db/leases';
import { describeEachDatabase } from '../helpers/each-database';
import { CORP, generatedOrg, openSyncApp, withSimulator } from '../sync/org-fixture';

describeEachDatabase('the sync lease across processes', (target) => {
  test('a second app on the same database is refused while the first syncs, then syncs itself', async () => {
    await withSimulator(generatedOrg(300), async (sim) => {
      const first = await openSyncApp(sim, target.url);
      const second = await openSyncApp(sim, target.url);
      try {
        const running = first.corp.syncCorp({ pageSize: 5 });
        // Wait until the first run holds the lease in the database.
        const leases = createLeaseStore(first.app.db);
        for (const deadline = Date.now() + 20_000; !(await leases.holder(`corp-sync:${CORP}`)) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
        await expect(second.corp.syncCorp()).rejects.toMatchObject({ code: 'SYNC_IN_PROGRESS', details: expect.objectContaining({ holder: expect.stringMatching(/a sync on process \d+/) }) });
        expect((await running).complete).toBe(true);
        expect(await leases.holder(`corp-sync:${CORP}`)).toBeUndefined();
        expect((await second.corp.syncCorp()).complete).toBe(true);
      } finally {
        await first.close();
        await second.close();
      }
    });
  });

  test('a lease of a process of this machine that no longer runs is taken over at once (a sync killed midway)', async () => {
    await withSimulator(generatedOrg(20), async (sim) => {
      const env = await openSyncApp(sim, target.url);
      try {
        const gone = spawnSync(process.execPath, ['-e', '0']).pid; // a process that has exited
        const leases = createLeaseStore(env.app.db);
        expect((await leases.acquire(`corp-sync:${CORP}`, `${hostname()}/${gone}/run`, { ttlMs: 60_000, label: 'jit org sync on process ' + gone })).acquired).toBe(true);
        expect((await env.corp.syncCorp()).complete).toBe(true);
        // A live process's lease is respected: this one's parent (jest) holds it.
        expect((await leases.acquire(`corp-sync:${CORP}`, `${hostname()}/${process.ppid}/run`, { ttlMs: 60_000, label: 'a live run' })).acquired).toBe(true);
        await expect(env.corp.syncCorp()).rejects.toMatchObject({ code: 'SYNC_IN_PROGRESS' });
        expect(await leases.release(`corp-sync:${CORP}`, `${hostname()}/${process.ppid}/run`)).toBe(true);
      } finally {
        await env.close();
      }
    });
  });

  test('a lease whose holder died (no renewal) is free once it expires', async () => {
    await withSimulator(generatedOrg(20), async (sim) => {
      const env = await openSyncApp(sim, target.url);
      try {
        const leases = createLeaseStore(env.app.db, { now: () => Date.now() - 120_000 });
        // A holder that took the lease two minutes ago and never renewed it (its process was killed).
        expect((await leases.acquire(`corp-sync:${CORP}`, 'dead-process:run', { ttlMs: 60_000, label: 'a sync on process 1' })).acquired).toBe(true);
        expect((await env.corp.syncCorp()).complete).toBe(true);
      } finally {
        await env.close();
      }
    });
  });
});
