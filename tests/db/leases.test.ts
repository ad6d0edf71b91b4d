/**
 * The lease store on a real SQLite file and a real PostgreSQL database: group memberships that
 * expire and are counted, and exclusive leases with one holder at a time (acquire, renew, release,
 * holder), including many holders racing for one lease through separate connections, as separate
 * processes would. Time is the store's injected clock, so expiry needs no waiting.
 */
import { coreModels, createLeaseStore, openDatabase, type Database, type LeaseStore } from '../../runtime/db';
import { describeEachDatabase } from '../helpers/each-database';

describeEachDatabase('leases', (target) => {
  let db: Database;
  let other: Database;
  let now = Date.parse('2026-10-01T08:00:00Z');
  const clock = () => now;
  let store: LeaseStore;
  let otherStore: LeaseStore;

  beforeAll(async () => {
    db = await openDatabase(target.url, [coreModels]);
    // A second connection to the same database: another process's view.
    other = await openDatabase(target.url, [coreModels]);
    store = createLeaseStore(db, { now: clock });
    otherStore = createLeaseStore(other, { now: clock });
  });
  afterAll(async () => {
    await other?.close();
    await db?.close();
  });

  describe('group membership', () => {
    test('members register with an expiry; the live ones are counted, renewals keep them, the expired drop out', async () => {
      expect(await store.join('budget:a', 'host-1', { ttlMs: 10_000, label: 'host one' })).toBe(1);
      expect(await otherStore.join('budget:a', 'host-2', { ttlMs: 10_000 })).toBe(2);
      // Renewing is not joining twice.
      expect(await store.join('budget:a', 'host-1', { ttlMs: 10_000 })).toBe(2);
      // Another group is another count.
      expect(await store.join('budget:b', 'host-1', { ttlMs: 10_000 })).toBe(1);

      now += 6_000;
      expect(await store.join('budget:a', 'host-1', { ttlMs: 10_000 })).toBe(2);
      now += 6_000; // host-2 did not renew: 12 s after its registration it is gone
      expect(await store.join('budget:a', 'host-1', { ttlMs: 10_000 })).toBe(1);
      const members = await otherStore.members('budget:a');
      expect(members).toEqual([expect.objectContaining({ name: 'budget:a', holder: 'host-1', label: 'host one' })]);
      expect(members[0].expiresAt.getTime()).toBe(now + 10_000);
    });

    test('a member that leaves is no longer counted', async () => {
      await store.join('budget:c', 'host-1', { ttlMs: 10_000 });
      expect(await otherStore.join('budget:c', 'host-2', { ttlMs: 10_000 })).toBe(2);
      await store.leave('budget:c', 'host-1');
      expect(await otherStore.join('budget:c', 'host-2', { ttlMs: 10_000 })).toBe(1);
      await store.leave('budget:c', 'not-a-member');
    });

    test('bad names and lifetimes are refused with the field named', async () => {
      await expect(store.join('', 'host-1', { ttlMs: 1000 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/group/) });
      await expect(store.join('g', 'h', { ttlMs: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/ttlMs/) });
      await expect(store.acquire('x'.repeat(256), 'h', { ttlMs: 1000 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });
  });

  describe('exclusive lease', () => {
    test('one holder at a time: the other is told who holds it, until it is released', async () => {
      const first = await store.acquire('sync:corps.acme', 'host-1', { ttlMs: 60_000, label: 'host one, jit serve' });
      expect(first).toMatchObject({ acquired: true, lease: { name: 'sync:corps.acme', holder: 'host-1', label: 'host one, jit serve' } });

      const refused = await otherStore.acquire('sync:corps.acme', 'host-2', { ttlMs: 60_000 });
      expect(refused).toMatchObject({ acquired: false, heldBy: { holder: 'host-1', label: 'host one, jit serve' } });
      expect(await otherStore.holder('sync:corps.acme')).toMatchObject({ holder: 'host-1' });

      // Only the holder can release it.
      expect(await otherStore.release('sync:corps.acme', 'host-2')).toBe(false);
      expect(await store.release('sync:corps.acme', 'host-1')).toBe(true);
      expect(await otherStore.holder('sync:corps.acme')).toBeUndefined();
      expect(await otherStore.acquire('sync:corps.acme', 'host-2', { ttlMs: 60_000 })).toMatchObject({ acquired: true, lease: { holder: 'host-2' } });
      await otherStore.release('sync:corps.acme', 'host-2');
    });

    test('acquiring again as the holder renews it; renew extends it; an expired lease goes to the next taker and the old holder cannot renew', async () => {
      const taken = await store.acquire('sync:corps.beta', 'host-1', { ttlMs: 30_000 });
      expect(taken.acquired).toBe(true);
      now += 20_000;
      const again = await store.acquire('sync:corps.beta', 'host-1', { ttlMs: 30_000 });
      expect(again).toMatchObject({ acquired: true, lease: { holder: 'host-1' } });
      expect(again.acquired && again.lease.expiresAt.getTime()).toBe(now + 30_000);
      // The first acquisition time is kept.
      expect(again.acquired && again.lease.acquiredAt.getTime()).toBe(now - 20_000);

      now += 20_000;
      expect(await store.renew('sync:corps.beta', 'host-1', 30_000)).toBe(true);
      now += 20_000; // within the renewed 30 s
      expect((await otherStore.acquire('sync:corps.beta', 'host-2', { ttlMs: 30_000 })).acquired).toBe(false);

      now += 15_000; // 35 s after the renewal: expired
      expect(await otherStore.holder('sync:corps.beta')).toBeUndefined();
      expect(await otherStore.acquire('sync:corps.beta', 'host-2', { ttlMs: 30_000 })).toMatchObject({ acquired: true, lease: { holder: 'host-2' } });
      expect(await store.renew('sync:corps.beta', 'host-1', 30_000)).toBe(false);
      expect(await store.release('sync:corps.beta', 'host-1')).toBe(false);
      expect(await store.holder('sync:corps.beta')).toMatchObject({ holder: 'host-2' });
    });

    test('an exclusive lease and a group of the same name do not count each other', async () => {
      await store.acquire('shared-name', 'host-1', { ttlMs: 10_000 });
      expect(await store.join('shared-name', 'host-9', { ttlMs: 10_000 })).toBe(1);
      expect(await store.holder('shared-name')).toMatchObject({ holder: 'host-1' });
    });

    test('20 holders racing over two connections: exactly one gets it', async () => {
      const attempts = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : otherStore).acquire('sync:corps.race', `host-${i}`, { ttlMs: 60_000 }));
      const results = await Promise.all(attempts);
      const winners = results.filter((r) => r.acquired);
      expect(winners).toHaveLength(1);
      const holder = winners[0].acquired ? winners[0].lease.holder : '';
      for (const result of results) if (!result.acquired) expect(result.heldBy.holder).toBe(holder);
      expect(await otherStore.holder('sync:corps.race')).toMatchObject({ holder });
    });
  });
});
