import { openDatabase, type Database } from '../../runtime/db';
import { createAuthStores, type AuthStores } from '../../runtime/auth';
import { contribution as ddInnerAuth } from '../../elements/auths/loginTypes/DDInnerType/DDInnerAuthModel/DDInnerAuthModel';
import { describeEachDatabase } from '../helpers/each-database';

const MIGRATIONS = [
  'CoreModels1760000000000',
  'DDInnerAuth1760000001000',
  'SessionBindingAndLastSeen1797000000000',
  'AuditEvents1797100000000',
  'FailureCounters1797200000000',
  'DDInnerAuthLeftAt1797200000500',
  'Leases1798200000000',
  'AdminGrants1798300000000',
  'AuditMemberId1798500000000',
];

/** A promise and the function that settles it: lets a test hold a transaction open. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describeEachDatabase('database', (target) => {
  let db: Database;
  let stores: AuthStores;

  beforeAll(async () => {
    db = await openDatabase(target.url, [ddInnerAuth], { runMigrations: false });
    stores = createAuthStores(db);
  });
  afterAll(() => db?.close());

  test('migrations apply on an empty database and a second open is a no-op', async () => {
    expect(db.kind).toBe(target.kind);
    expect(await db.runMigrations()).toEqual(MIGRATIONS);
    expect(await db.runMigrations()).toEqual([]);

    const again = await openDatabase(target.url, [ddInnerAuth]);
    try {
      expect(await again.runMigrations()).toEqual([]);
      const recorded = await again.dataSource.query('SELECT name FROM migrations ORDER BY timestamp');
      expect(recorded.map((row: { name: string }) => row.name)).toEqual(MIGRATIONS);
    } finally {
      await again.close();
    }
  });

  test('an SQLite file runs in WAL mode with synchronous=NORMAL (durable across process crashes)', async () => {
    if (target.kind !== 'sqlite') return;
    expect(await db.dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    // 1 = NORMAL (FULL is 2): commits don't wait for an fsync each.
    expect(await db.dataSource.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
  });

  test('the tables, indexes and constraints exist', async () => {
    const runner = db.dataSource.createQueryRunner();
    try {
      const columns = async (name: string) => (await runner.getTable(name))!.columns.map((c) => c.name).sort();
      expect(await columns('users')).toEqual(
        ['createTime', 'disabled', 'displayName', 'email', 'employeeNo', 'id', 'passwordHash', 'phone', 'source', 'updateTime', 'username'].sort(),
      );
      expect(await columns('sessions')).toEqual(['bindingId', 'createTime', 'expiresAt', 'id', 'lastSeenAt', 'revokedAt', 'tokenHash', 'userId'].sort());
      expect(await columns('tickets')).toEqual(['audience', 'createTime', 'expiresAt', 'idHash', 'kind', 'payload', 'usedAt'].sort());
      expect(await columns('leases')).toEqual(['acquiredAt', 'expiresAt', 'holder', 'kind', 'label', 'member', 'name'].sort());
      expect(await columns('dd_inner_auth')).toEqual(
        ['createTime', 'email', 'hiredDate', 'id', 'jobNumber', 'leftAt', 'phone', 'photo', 'thirdCorpId', 'thirdUserId', 'unionId', 'userId'].sort(),
      );

      const indexNames = async (name: string) => (await runner.getTable(name))!.indices.map((i) => i.name);
      expect(await indexNames('users')).toEqual(expect.arrayContaining(['IDX_users_phone', 'IDX_users_email', 'IDX_users_employeeNo']));
      expect(await indexNames('dd_inner_auth')).toEqual(expect.arrayContaining(['IDX_dd_inner_auth_unionId']));

      const foreignKeys = async (name: string) => (await runner.getTable(name))!.foreignKeys.map((fk) => `${fk.columnNames.join()}->${fk.referencedTableName}`);
      expect(await foreignKeys('sessions')).toEqual(['userId->users']);
      expect(await foreignKeys('dd_inner_auth')).toEqual(['userId->users']);
    } finally {
      await runner.release();
    }
  });

  test('unique violations are recognised, and other errors are not', async () => {
    await stores.users.create({ username: 'unique-alice' });
    const duplicate = await stores.users.create({ username: 'unique-alice', password: 'a password' }).catch((err: unknown) => err);
    expect(db.isUniqueViolation(duplicate)).toBe(true);
    // Bound values (here a password hash) are stripped from errors that leave the database layer.
    expect((duplicate as { parameters?: unknown[] }).parameters).toEqual([]);

    const ticket = { idHash: 'f'.repeat(64), kind: 'k', audience: 'a', payload: '{}', expiresAt: new Date(), usedAt: null, createTime: new Date() };
    await db.run((m) => m.insert('tickets', ticket));
    const primaryKey = await db.run((m) => m.insert('tickets', ticket)).catch((err: unknown) => err);
    expect(db.isUniqueViolation(primaryKey)).toBe(true);

    const foreignKey = await stores.sessions.create('no-such-user').catch((err: unknown) => err);
    expect(foreignKey).toBeInstanceOf(Error);
    expect(db.isUniqueViolation(foreignKey)).toBe(false);
    expect(db.isUniqueViolation(new Error('UNIQUE constraint failed: users.username'))).toBe(false);
  });

  test('helpers called inside a transaction without a manager join it instead of waiting for it', async () => {
    const rollback = new Error('roll back');
    const outcome = await db
      .transaction(async () => {
        const user = await stores.users.create({ username: 'joined-bob' });
        expect(await stores.users.findById(user.id)).not.toBeNull();
        throw rollback;
      })
      .catch((err: unknown) => err);
    expect(outcome).toBe(rollback);
    expect(await stores.users.findByUsername('joined-bob')).toBeNull();
  });

  test('a nested transaction is a savepoint of the outer one', async () => {
    await db.transaction(async (manager) => {
      await stores.users.create({ username: 'outer-carol' }, manager);
      const inner = db.transaction(async (nested) => {
        await stores.users.create({ username: 'inner-dave' }, nested);
        throw new Error('undo the inner part only');
      });
      await expect(inner).rejects.toThrow('undo the inner part only');
    });
    expect(await stores.users.findByUsername('outer-carol')).not.toBeNull();
    expect(await stores.users.findByUsername('inner-dave')).toBeNull();
  });

  test("work outside a transaction is not swept into another caller's rollback", async () => {
    const held = gate();
    const failing = db.transaction(async (manager) => {
      await stores.users.create({ username: 'rolled-back-erin' }, manager);
      await held.opened;
      throw new Error('abort');
    });
    // Issued while the transaction is open; on SQLite it waits for its turn instead of joining it.
    const standalone = stores.users.create({ username: 'kept-frank' });
    held.open();
    await expect(failing).rejects.toThrow('abort');
    await standalone;
    expect(await stores.users.findByUsername('kept-frank')).not.toBeNull();
    expect(await stores.users.findByUsername('rolled-back-erin')).toBeNull();
  });
});
