/**
 * Issue #16 hardening: the scrypt cost (recommended N=2^17; a setting tests lower), old hashes
 * upgraded on the next successful sign-in (on both databases), and the gate that keeps password
 * hashing to half of libuv's thread pool with a bounded queue.
 */
import { openDatabase, UserEntity, type Database } from '../../runtime/db';
import { checkedCost, createAuthStores, hashPassword, needsRehash, passwordCostFromEnv, SCRYPT_COST, verifyPassword } from '../../runtime/auth';
import { PasswordGate } from '../../runtime/auth/passwords';
import { describeEachDatabase } from '../helpers/each-database';

describe('the password cost', () => {
  test('recommended N=2^17, r=8, p=1; JIT_SCRYPT_N lowers or raises N within 2^10..2^20, anything else is CONFIG_INVALID naming it', () => {
    expect(SCRYPT_COST).toMatchObject({ N: 131072, r: 8, p: 1 });
    expect(passwordCostFromEnv({})).toEqual({ N: 131072, r: 8, p: 1 });
    expect(passwordCostFromEnv({ JIT_SCRYPT_N: '1024' })).toEqual({ N: 1024, r: 8, p: 1 });
    for (const bad of ['1000', '512', String(1 << 21), 'lots']) {
      expect(() => passwordCostFromEnv({ JIT_SCRYPT_N: bad })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('JIT_SCRYPT_N') }));
    }
    expect(() => checkedCost({ N: 4096, r: 0 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  test('the recommended cost hashes and verifies (128 MiB fits the maxmem given to scrypt)', async () => {
    const hash = await hashPassword('a long passphrase', SCRYPT_COST);
    expect(hash.startsWith('scrypt$131072$8$1$')).toBe(true);
    expect(await verifyPassword('a long passphrase', hash)).toBe(true);
    expect(needsRehash(hash, SCRYPT_COST)).toBe(false);
  });

  test('a hash is weaker than a cost when its N, r or p is lower, or it cannot be read', async () => {
    const weak = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
    expect(needsRehash(weak, { N: 4096, r: 8, p: 1 })).toBe(true);
    expect(needsRehash(weak, { N: 1024, r: 8, p: 1 })).toBe(false);
    expect(needsRehash(weak.replace('$8$', '$4$'), { N: 1024, r: 8, p: 1 })).toBe(true);
    expect(needsRehash('plain-text', { N: 1024, r: 8, p: 1 })).toBe(true);
  });
});

describeEachDatabase('old password hashes', (target) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(target.url, []);
  });
  afterAll(() => db?.close());

  const storedHash = async (id: string) => (await db.run((m) => m.findOneByOrFail(UserEntity, { id }))).passwordHash!;
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  test('are upgraded to the current cost on the next successful sign-in, and only then', async () => {
    // A user created when the cost was lower (an older release, N=2^10).
    const before = createAuthStores(db, { passwordCost: { N: 1024, r: 8, p: 1 } }).users;
    const user = await before.create({ username: 'old-hash-user', password: 'old but gold' });
    const oldHash = await storedHash(user.id);
    expect(oldHash.startsWith('scrypt$1024$8$1$')).toBe(true);

    // The cost is raised.
    const users = createAuthStores(db, { passwordCost: { N: 4096, r: 8, p: 1 } }).users;
    expect(await users.verifyPassword('old-hash-user', 'wrong')).toBeNull();
    expect(await users.verifyPassword('nobody', 'old but gold')).toBeNull();
    expect(await storedHash(user.id)).toBe(oldHash);

    expect(await users.verifyPassword('old-hash-user', 'old but gold')).toMatchObject({ id: user.id });
    const upgraded = await eventually(() => storedHash(user.id), (hash) => hash !== oldHash);
    expect(upgraded.startsWith('scrypt$4096$8$1$')).toBe(true);
    expect(upgraded).not.toContain('old but gold');
    expect(await users.verifyPassword('old-hash-user', 'old but gold')).toMatchObject({ id: user.id });
    // Never downgraded: a store at a lower cost leaves the stronger hash as it is.
    expect(await before.verifyPassword('old-hash-user', 'old but gold')).toMatchObject({ id: user.id });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await storedHash(user.id)).toBe(upgraded);
  });
});

describe('PasswordGate', () => {
  test('runs at most `limit` hashes at once, queues the rest in order, and refuses past the queue with RATE_LIMITED', async () => {
    const gate = new PasswordGate(2, 3);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const work = () =>
      gate.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
      });
    const started = [work(), work(), work(), work(), work()];
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.load).toEqual({ running: 2, waiting: 3 });
    await expect(work()).rejects.toMatchObject({ code: 'RATE_LIMITED', details: { retryAfter: expect.any(Number) } });
    while (releases.length || running) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(started);
    expect(peak).toBe(2);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  test('the runtime gate takes half of libuv\'s pool', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { passwordGate } = require('../../runtime/auth/passwords') as typeof import('../../runtime/auth/passwords');
    expect(passwordGate.limit).toBe(Math.max(1, Math.floor((Number(process.env.UV_THREADPOOL_SIZE) || 4) / 2)));
  });
});
