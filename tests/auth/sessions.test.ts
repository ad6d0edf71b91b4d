import { openDatabase, SessionEntity, type Database } from '../../runtime/db';
import { createAuthStores, DEFAULT_SESSION_TTL_SECONDS, hashToken, type AuthStores } from '../../runtime/auth';
import { describeEachDatabase } from '../helpers/each-database';

describeEachDatabase('SessionStore', (target) => {
  let db: Database;
  let stores: AuthStores;
  // The stores judge expiry by this clock, so tests move time instead of waiting.
  const clock = { now: new Date() };
  const later = (seconds: number) => new Date(clock.now.getTime() + seconds * 1000);

  beforeAll(async () => {
    db = await openDatabase(target.url, []);
    stores = createAuthStores(db, { now: () => clock.now });
  });
  afterAll(() => db?.close());
  beforeEach(() => {
    clock.now = new Date();
  });

  test('create returns a token once and stores only its hash; verify finds the live session', async () => {
    const user = await stores.users.create({ username: 'session-alice' });
    const { token, session } = await stores.sessions.create(user.id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.userId).toBe(user.id);
    expect(session.expiresAt.getTime() - session.createTime.getTime()).toBe(DEFAULT_SESSION_TTL_SECONDS * 1000);

    const row = await db.run((m) => m.findOneByOrFail(SessionEntity, { id: session.id }));
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    expect(await stores.sessions.verify(token)).toEqual(session);
    expect(await stores.sessions.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await stores.sessions.verify('')).toBeNull();
  });

  test('a session expires after its lifetime (default 7 days, or as configured)', async () => {
    const user = await stores.users.create({ username: 'session-bob' });
    const short = await stores.sessions.create(user.id, { ttlSeconds: 60 });
    const long = await stores.sessions.create(user.id);

    clock.now = later(59);
    expect(await stores.sessions.verify(short.token)).not.toBeNull();
    clock.now = later(1);
    expect(await stores.sessions.verify(short.token)).toBeNull();
    expect(await stores.sessions.verify(long.token)).not.toBeNull();
    clock.now = later(DEFAULT_SESSION_TTL_SECONDS);
    expect(await stores.sessions.verify(long.token)).toBeNull();
    expect(await stores.sessions.purgeExpired()).toBeGreaterThanOrEqual(2);

    const configured = createAuthStores(db, { sessionTtlSeconds: 3600, now: () => clock.now });
    const { session } = await configured.sessions.create(user.id);
    expect(session.expiresAt.getTime() - session.createTime.getTime()).toBe(3600 * 1000);
  });

  test('revoke ends one session; revokeAllForUser ends all of a user', async () => {
    const carol = await stores.users.create({ username: 'session-carol' });
    const dave = await stores.users.create({ username: 'session-dave' });
    const first = await stores.sessions.create(carol.id);
    const second = await stores.sessions.create(carol.id);
    const third = await stores.sessions.create(carol.id);
    const daves = await stores.sessions.create(dave.id);

    expect(await stores.sessions.revoke(first.token)).toBe(true);
    expect(await stores.sessions.revoke(first.token)).toBe(false);
    expect(await stores.sessions.verify(first.token)).toBeNull();
    expect(await stores.sessions.verify(second.token)).not.toBeNull();

    expect(await stores.sessions.revokeAllForUser(carol.id)).toBe(2);
    expect(await stores.sessions.verify(second.token)).toBeNull();
    expect(await stores.sessions.verify(third.token)).toBeNull();
    expect(await stores.sessions.verify(daves.token)).not.toBeNull();
    expect(await stores.sessions.revokeAllForUser(carol.id)).toBe(0);
  });
  test('an idle session ends after the idle timeout; use within it keeps it alive', async () => {
    const user = await stores.users.create({ username: 'session-idle' });
    const { token } = await stores.sessions.create(user.id);
    const start = clock.now;
    clock.now = new Date(start.getTime() + 50 * 60 * 1000);
    expect(await stores.sessions.verify(token, { idleTimeoutSeconds: 3600 })).not.toBeNull(); // records the use
    clock.now = new Date(start.getTime() + 100 * 60 * 1000);
    expect(await stores.sessions.verify(token, { idleTimeoutSeconds: 3600 })).not.toBeNull(); // 50 min since last use
    clock.now = new Date(start.getTime() + 170 * 60 * 1000);
    expect(await stores.sessions.verify(token, { idleTimeoutSeconds: 3600 })).toBeNull(); // 70 min idle
    expect(await stores.sessions.verify(token)).not.toBeNull(); // no idle limit asked for
  });

  test('revokeForBinding ends the sessions of that binding and pre-upgrade ones, not another binding\'s or a password session', async () => {
    const user = await stores.users.create({ username: 'session-binding' });
    const viaA = await stores.sessions.create(user.id, { bindingId: 'binding-a' });
    const viaB = await stores.sessions.create(user.id, { bindingId: 'binding-b' });
    const password = await stores.sessions.create(user.id);
    const legacy = await stores.sessions.create(user.id, { bindingId: '*' });
    expect(await stores.sessions.revokeForBinding(user.id, 'binding-a')).toBe(2);
    expect(await stores.sessions.verify(viaA.token)).toBeNull();
    expect(await stores.sessions.verify(legacy.token)).toBeNull();
    expect(await stores.sessions.verify(viaB.token)).not.toBeNull();
    expect(await stores.sessions.verify(password.token)).not.toBeNull();
    expect((await stores.sessions.listForUser(user.id)).map((s) => s.bindingId).sort()).toEqual([null, 'binding-b'].sort());
  });
});
