/**
 * The failure-counter store on a real SQLite file and a real PostgreSQL database, with a clock the
 * test moves: free failures then a back-off that doubles up to 15 minutes (never a lock), a burst
 * of parallel guesses counted in full, successes that never count, forgetting after an hour, fixed
 * windows for costly actions, what operators see, and clearing. Two stores on one database stand
 * for two hosts.
 */
import { openDatabase, type Database } from '../../runtime/db';
import { addressSubject, backoffSeconds, DatabaseFailureCounterStore, type GuardedKey } from '../../runtime/auth';
import { describeEachDatabase } from '../helpers/each-database';

describeEachDatabase('FailureCounterStore', (target) => {
  let db: Database;
  let store: DatabaseFailureCounterStore;
  let otherHost: DatabaseFailureCounterStore;
  const clock = { now: new Date() };
  const advance = (seconds: number) => {
    clock.now = new Date(clock.now.getTime() + seconds * 1000);
  };

  beforeAll(async () => {
    db = await openDatabase(target.url, []);
    store = new DatabaseFailureCounterStore(db, () => clock.now);
    otherHost = new DatabaseFailureCounterStore(db, () => clock.now);
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    clock.now = new Date();
    await db.run((m) => m.clear('failure_counters'));
  });

  const account = (subject: string, limit = 3): GuardedKey => ({ scope: 'account', subject, limit });
  /** One failed proof: counted, never taken back. */
  const fail = async (s: DatabaseFailureCounterStore, keys: GuardedKey[]) => {
    const decision = await s.beginProof(keys);
    return decision.allowed ? 'counted' : decision.retryAfterSeconds;
  };

  test('the first failures are free; then each one doubles the wait, up to 15 minutes; hosts share the count', async () => {
    const keys = [account('alice')];
    expect(await fail(store, keys)).toBe('counted');
    expect(await fail(otherHost, keys)).toBe('counted');
    // The third failure reaches the limit: the next attempt waits 30 seconds.
    expect(await fail(store, keys)).toBe('counted');
    expect(await fail(otherHost, keys)).toBe(30);
    advance(31);
    expect(await fail(store, keys)).toBe('counted');
    expect(await fail(store, keys)).toBe(60);
    advance(61);
    expect(await fail(store, keys)).toBe('counted');
    expect(await fail(store, keys)).toBe(120);
    // Never longer than 15 minutes, however many failures: a back-off, not a lock.
    expect(backoffSeconds(3)).toBe(240);
    expect(backoffSeconds(50)).toBe(15 * 60);
    for (let i = 0; i < 10; i++) {
      advance(15 * 60 + 1);
      expect(await fail(store, keys)).toBe('counted');
    }
    expect(await fail(store, keys)).toBe(15 * 60);
    // A refused attempt is not counted: hammering during the wait does not lengthen it.
    const [row] = await store.list({ scope: 'account', subject: 'alice' });
    expect(await fail(store, keys)).toBe(15 * 60);
    expect((await store.list({ scope: 'account', subject: 'alice' }))[0].count).toBe(row.count);
    // Other accounts are untouched.
    expect(await fail(store, [account('bob')])).toBe('counted');
  });

  test('a burst of parallel guesses is counted in full: exactly `limit` get through', async () => {
    const keys = [account('carol', 5)];
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => fail(i % 2 ? store : otherHost, keys)));
    expect(outcomes.filter((o) => o === 'counted')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 30)).toHaveLength(25);
  });

  test('a success is never counted: it clears the account, and only takes its own attempt back from an address', async () => {
    const address: GuardedKey = { scope: 'address', subject: '10.1.1.1', limit: 3, onSuccess: 'undo' };
    expect(await fail(store, [account('dave'), address])).toBe('counted');
    expect(await fail(store, [account('dave'), address])).toBe('counted');
    const decision = await store.beginProof([account('dave'), address]);
    if (!decision.allowed) throw new Error('expected to be allowed');
    // At the limit while the proof is checked...
    expect(await fail(store, [account('erin'), address])).toBe(30);
    await decision.attempt.succeeded();
    // ...and not after it held: the account forgot its failures, the address only this attempt.
    expect(await store.list({ scope: 'account', subject: 'dave' })).toEqual([]);
    expect(await store.list({ scope: 'address', subject: '10.1.1.1' })).toEqual([expect.objectContaining({ count: 2, blockedUntil: null, retryAfterSeconds: 0 })]);
    // abandoned() (the proof was never checked) takes the attempt back and clears nothing.
    const busy = await store.beginProof([account('frank')]);
    if (!busy.allowed) throw new Error('expected to be allowed');
    await busy.attempt.abandoned();
    expect(await store.list({ scope: 'account', subject: 'frank' })).toEqual([]);
  });

  test('failures are forgotten an hour after the last one; stale counters are purged', async () => {
    const keys = [account('grace')];
    for (let i = 0; i < 3; i++) await fail(store, keys);
    expect(await fail(store, keys)).toBe(30);
    advance(60 * 60);
    expect(await store.list()).toEqual([]);
    expect(await fail(store, keys)).toBe('counted');
    expect((await store.list({ scope: 'account', subject: 'grace' }))[0].count).toBe(1);
    advance(60 * 60 + 1);
    expect(await store.purgeStale()).toBe(1);
  });

  test('costly actions count every time, in a fixed window, and say when the window ends', async () => {
    const key = { scope: 'codes-phone', subject: '13700000001' };
    const limit = { limit: 2, windowSeconds: 600 };
    expect(await store.takeAction(key, limit)).toEqual({ allowed: true });
    advance(100);
    expect(await otherHost.takeAction(key, limit)).toEqual({ allowed: true });
    expect(await store.takeAction(key, limit)).toEqual({ allowed: false, retryAfterSeconds: 500 });
    advance(500);
    expect(await store.takeAction(key, limit)).toEqual({ allowed: true });
  });

  test('operators see the counters, those backing off first, and clear them', async () => {
    for (let i = 0; i < 3; i++) await fail(store, [account('heidi')]);
    await fail(store, [account('ivan')]);
    const listed = await store.list();
    expect(listed.map((c) => [c.subject, c.count, c.retryAfterSeconds])).toEqual([
      ['heidi', 3, 30],
      ['ivan', 1, 0],
    ]);
    expect(await store.clear([{ scope: 'account', subject: 'heidi' }, { scope: 'account', subject: 'nobody' }])).toBe(1);
    expect(await fail(store, [account('heidi')])).toBe('counted');
  });

  test('addresses are counted as given for IPv4, and by /64 for IPv6', () => {
    expect(addressSubject('10.0.0.7')).toBe('10.0.0.7');
    expect(addressSubject('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(addressSubject('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressSubject('2001:db8:1:2::99')).toBe('2001:db8:1:2::/64');
    expect(addressSubject('2001:DB8::1')).toBe('2001:db8:0:0::/64');
  });
});
