import { openDatabase, UserEntity, type Database } from '../../runtime/db';
import { createAuthStores, passwordCostFromEnv, type AuthStores } from '../../runtime/auth';
import { isJitError } from '../../runtime/errors';
import { describeEachDatabase } from '../helpers/each-database';

describeEachDatabase('UserStore', (target) => {
  let db: Database;
  let users: AuthStores['users'];

  beforeAll(async () => {
    db = await openDatabase(target.url, []);
    users = createAuthStores(db).users;
  });
  afterAll(() => db?.close());

  test('create stores a user (phone normalised, no password hash exposed) and finds it by id and username', async () => {
    const alice = await users.create({
      username: ' alice ',
      displayName: 'Alice Liu',
      phone: '+86 138-0013-8000',
      email: 'alice@acme.example',
      employeeNo: 'E-001',
      password: 'correct horse battery staple',
      source: 'cli',
    });
    expect(alice).toMatchObject({ username: 'alice', displayName: 'Alice Liu', phone: '13800138000', email: 'alice@acme.example', employeeNo: 'E-001', disabled: false, source: 'cli' });
    expect(alice).not.toHaveProperty('passwordHash');
    expect(alice.id).toMatch(/^[0-9a-f-]{36}$/);

    expect(await users.findById(alice.id)).toEqual(alice);
    expect(await users.findByUsername('alice')).toEqual(alice);
    expect(await users.findByUsername('nobody')).toBeNull();

    const bare = await users.create({ username: 'bare-user' });
    expect(bare).toMatchObject({ displayName: 'bare-user', phone: null, email: null, employeeNo: null, source: 'api' });
  });

  test('an empty or over-long username is refused the same way on both databases', async () => {
    const empty = await users.create({ username: '  ' }).catch((e: unknown) => e);
    expect(isJitError(empty, 'BAD_REQUEST')).toBe(true);
    const tooLong = await users.create({ username: 'u'.repeat(129) }).catch((e: unknown) => e);
    expect(isJitError(tooLong, 'BAD_REQUEST')).toBe(true);
    expect((tooLong as Error).message).toMatch(/username must be at most 128 characters/);
  });

  test('findByAttribute matches phones however they are written, and skips disabled users', async () => {
    const bob = await users.create({ username: 'bob', phone: '13900139000', email: 'bob@acme.example', employeeNo: 'E-002' });
    for (const written of ['13900139000', '+86 139 0013 9000', '86-139-0013-9000', '0086 13900139000']) {
      expect((await users.findByAttribute('phone', written)).map((u) => u.id)).toEqual([bob.id]);
    }
    expect((await users.findByAttribute('email', 'bob@acme.example')).map((u) => u.id)).toEqual([bob.id]);
    expect((await users.findByAttribute('employeeNo', 'E-002')).map((u) => u.id)).toEqual([bob.id]);
    expect((await users.findByAttribute('username', 'bob')).map((u) => u.id)).toEqual([bob.id]);
    expect(await users.findByAttribute('phone', '13900139001')).toEqual([]);
    expect(await users.findByAttribute('phone', '  ')).toEqual([]);

    // Two users with one phone are both returned (the caller refuses to guess).
    const twin = await users.create({ username: 'bob-twin', phone: '139-0013-9000' });
    expect((await users.findByAttribute('phone', '13900139000')).map((u) => u.id)).toEqual([bob.id, twin.id]);

    await users.update(twin.id, { disabled: true });
    expect((await users.findByAttribute('phone', '13900139000')).map((u) => u.id)).toEqual([bob.id]);
  });

  test('update changes the given fields and the update time', async () => {
    const carol = await users.create({ username: 'carol', phone: '13700137000', email: 'carol@acme.example' });
    await users.update(carol.id, { displayName: 'Carol Chen', phone: '+86 137 0000 0001', email: null });
    const updated = await users.findById(carol.id);
    expect(updated).toMatchObject({ displayName: 'Carol Chen', phone: '13700000001', email: null, employeeNo: null, disabled: false });
    expect(updated!.updateTime.getTime()).toBeGreaterThanOrEqual(carol.updateTime.getTime());
    expect(updated!.createTime.getTime()).toBe(carol.createTime.getTime());
  });

  test('verifyPassword: right, wrong, unknown user, user without a password; setPassword replaces it', async () => {
    const dave = await users.create({ username: 'dave', password: 'dave-secret-1' });
    await users.create({ username: 'no-password-erin' });

    expect((await users.verifyPassword('dave', 'dave-secret-1'))?.id).toBe(dave.id);
    expect(await users.verifyPassword('dave', 'dave-secret-2')).toBeNull();
    expect(await users.verifyPassword('nobody-at-all', 'dave-secret-1')).toBeNull();
    expect(await users.verifyPassword('no-password-erin', '')).toBeNull();
    expect(await users.verifyPassword('no-password-erin', 'anything')).toBeNull();

    await users.setPassword(dave.id, 'dave-secret-2');
    expect(await users.verifyPassword('dave', 'dave-secret-1')).toBeNull();
    expect((await users.verifyPassword('dave', 'dave-secret-2'))?.id).toBe(dave.id);
    await expect(users.setPassword('00000000-0000-0000-0000-000000000000', 'x-password')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // Only the salted hash is stored.
    const row = await db.run((m) => m.findOneByOrFail(UserEntity, { id: dave.id }));
    expect(row.passwordHash).toMatch(new RegExp(`^scrypt\\$${passwordCostFromEnv().N}\\$8\\$1\\$`));
    expect(row.passwordHash).not.toContain('dave-secret-2');
  });

  test('list pages through users ordered by username', async () => {
    const all = await users.list();
    const names = all.map((u) => u.username);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']));
    expect(await users.list({ limit: 2, offset: 1 })).toEqual(all.slice(1, 3));
  });
});
