import { openDatabase, TicketEntity, type Database } from '../../runtime/db';
import { createAuthStores, hashToken, type AuthStores } from '../../runtime/auth';
import { describeEachDatabase } from '../helpers/each-database';

const INSTANCE = 'auths.loginTypes.testDDLogin';

describeEachDatabase('TicketStore', (target) => {
  let db: Database;
  let tickets: AuthStores['tickets'];
  const clock = { now: new Date() };
  const later = (seconds: number) => new Date(clock.now.getTime() + seconds * 1000);

  beforeAll(async () => {
    db = await openDatabase(target.url, []);
    tickets = createAuthStores(db, { now: () => clock.now }).tickets;
  });
  afterAll(() => db?.close());
  beforeEach(() => {
    clock.now = new Date();
  });

  test('issue returns a random id stored only as its SHA-256; consume returns the ticket once', async () => {
    const issued = await tickets.issue('bind', INSTANCE, { corpId: 'ding-a', userid: 'u1' }, 300);
    const other = await tickets.issue('bind', INSTANCE, {}, 300);
    expect(issued.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.id).not.toBe(other.id);
    const row = await db.run((m) => m.findOneByOrFail(TicketEntity, { idHash: hashToken(issued.id) }));
    expect(JSON.stringify(row)).not.toContain(issued.id);

    expect(await tickets.peek('bind', INSTANCE, issued.id)).toEqual(issued);
    expect(await tickets.consume('bind', INSTANCE, issued.id)).toEqual(issued);
    expect(await tickets.consume('bind', INSTANCE, issued.id)).toBeNull();
    expect(await tickets.peek('bind', INSTANCE, issued.id)).toBeNull();
  });

  test('20 concurrent consumes of one ticket have exactly one winner', async () => {
    const issued = await tickets.issue('code', INSTANCE, { phone: '13800138000' }, 300);
    const results = await Promise.all(Array.from({ length: 20 }, () => tickets.consume('code', INSTANCE, issued.id)));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.payload).toEqual({ phone: '13800138000' });
  });

  test('an expired ticket, or one for another kind or audience, is not consumed', async () => {
    const issued = await tickets.issue('bind', INSTANCE, {}, 60);
    expect(await tickets.consume('code', INSTANCE, issued.id)).toBeNull();
    expect(await tickets.consume('bind', 'auths.loginTypes.otherLogin', issued.id)).toBeNull();
    expect(await tickets.consume('bind', INSTANCE, 'not-a-ticket-id')).toBeNull();

    clock.now = later(60);
    expect(await tickets.peek('bind', INSTANCE, issued.id)).toBeNull();
    expect(await tickets.consume('bind', INSTANCE, issued.id)).toBeNull();
    expect(await tickets.purgeExpired()).toBeGreaterThanOrEqual(1);
  });

  test('claimOnce is true the first time only, also inside a transaction that carries on', async () => {
    const expiresAt = later(600);
    expect(await tickets.claimOnce('login-state', 'nonce-1', expiresAt)).toBe(true);
    expect(await tickets.claimOnce('login-state', 'nonce-1', expiresAt)).toBe(false);
    // Another kind with the same id is a different claim.
    expect(await tickets.claimOnce('other-kind', 'nonce-1', expiresAt)).toBe(true);

    const replays = await Promise.all(Array.from({ length: 10 }, () => tickets.claimOnce('login-state', 'nonce-2', expiresAt)));
    expect(replays.filter(Boolean)).toHaveLength(1);

    // A replay inside a transaction does not abort it (PostgreSQL aborts a transaction on any error).
    const issuedAfter = await db.transaction(async (manager) => {
      expect(await tickets.claimOnce('login-state', 'nonce-1', expiresAt, manager)).toBe(false);
      return tickets.issue('bind', INSTANCE, { after: 'replay' }, 60, manager);
    });
    expect(await tickets.peek('bind', INSTANCE, issuedAfter.id)).toEqual(issuedAfter);
  });
});
