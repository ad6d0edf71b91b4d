/**
 * The audit store on a real SQLite file and a real PostgreSQL database: an event commits and rolls
 * back with the change it records, the request context fills the caller's address, a flood of
 * failed logins folds into one row (also when two database handles, like two hosts, race), the
 * filters and pages of `list`, the paged `export`, and pruning by age.
 */
import { openDatabase, coreModels, type Database } from '../../runtime/db';
import { DatabaseUserStore } from '../../runtime/auth';
import { DatabaseAuditLog, type AuditEvent, type AuditEventInput } from '../../runtime/audit';
import { withRequestContext } from '../../runtime/request-context';
import { describeEachDatabase } from '../helpers/each-database';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describeEachDatabase('audit store', (target) => {
  let db: Database;
  let other: Database;
  const clock = { now: T0 };
  let audit: DatabaseAuditLog;

  beforeAll(async () => {
    db = await openDatabase(target.url, [coreModels]);
    // A second handle on the same database: another host (on SQLite, another connection to the file).
    other = await openDatabase(target.url, [coreModels]);
    audit = new DatabaseAuditLog(db, { now: () => clock.now });
  });
  afterAll(async () => {
    await other?.close();
    await db?.close();
  });
  beforeEach(async () => {
    clock.now = T0;
    await db.run((m) => m.query('DELETE FROM audit_events'));
  });

  const rowCount = async (where = '1 = 1') => Number((await db.dataSource.query(`SELECT COUNT(*) AS n FROM audit_events WHERE ${where}`))[0].n);
  const all = async () => {
    const events: AuditEvent[] = [];
    for await (const event of audit.export()) events.push(event);
    return events;
  };

  test('an event recorded inside a transaction commits with the change', async () => {
    const users = new DatabaseUserStore(db);
    const user = await db.transaction(async (manager) => {
      const created = await users.create({ username: 'committed' }, manager);
      await audit.record({ type: 'user.created', userId: created.id }, manager);
      return created;
    });
    const [event] = await all();
    expect(event).toMatchObject({ type: 'user.created', outcome: 'ok', userId: user.id, count: 1 });
    expect(event.time).toEqual(T0);
  });

  test('a change that rolls back leaves no audit row, folded or not', async () => {
    const users = new DatabaseUserStore(db);
    await expect(
      db.transaction(async (manager) => {
        const created = await users.create({ username: 'rolled-back' }, manager);
        await audit.record({ type: 'user.created', userId: created.id }, manager);
        await audit.record({ type: 'login.failed', outcome: 'CREDENTIALS_INVALID', clientAddress: '198.51.100.1' }, manager);
        // The rows are there inside the transaction...
        expect(Number((await manager.query('SELECT COUNT(*) AS n FROM audit_events'))[0].n)).toBe(2);
        throw new Error('the change fails after its record');
      }),
    ).rejects.toThrow('the change fails after its record');
    // ...and gone with it.
    expect(await rowCount()).toBe(0);
    expect(await users.findByUsername('rolled-back')).toBeNull();
  });

  test('the request context supplies address, user agent and request id unless given', async () => {
    await withRequestContext({ clientAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 test', requestId: 'req-1' }, async () => {
      await audit.record({ type: 'login.succeeded', userId: 'u-1' });
      await audit.record({ type: 'admin.user.disabled', userId: 'u-2', clientAddress: '192.0.2.9', requestId: null });
    });
    const [first, second] = await all();
    expect(first).toMatchObject({ clientAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 test', requestId: 'req-1' });
    expect(second).toMatchObject({ type: 'admin.user.disabled', clientAddress: '192.0.2.9', userAgent: 'Mozilla/5.0 test', requestId: null });
  });

  test('unknown types and malformed outcomes are refused, naming the field', async () => {
    await expect(audit.record({ type: 'login.maybe' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('admin.<action>') });
    await expect(audit.record({ type: 'admin' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(audit.record({ type: 'login.failed', outcome: 'wrong password for bob' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('outcome') });
    expect(await rowCount()).toBe(0);
  });

  test('100 failed logins from one address within the window fold into one row with count 100', async () => {
    const failure: AuditEventInput = { type: 'login.failed', outcome: 'CREDENTIALS_INVALID', instance: 'auths.loginTypes.acme', userId: 'u-1' };
    await withRequestContext({ clientAddress: '198.51.100.7', userAgent: 'curl/8' }, () => Promise.all(Array.from({ length: 100 }, () => audit.record(failure))));
    const events = await all();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'login.failed', outcome: 'CREDENTIALS_INVALID', clientAddress: '198.51.100.7', count: 100, userId: 'u-1', userAgent: 'curl/8' });
  });

  test('folding is correct when two database handles (two hosts) race', async () => {
    const second = new DatabaseAuditLog(other, { now: () => clock.now });
    const failure: AuditEventInput = { type: 'login.failed', outcome: 'STATE_INVALID', instance: 'auths.loginTypes.acme', clientAddress: '198.51.100.8' };
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? audit : second).record(failure)));
    const events = await all();
    expect(events.map((e) => e.count)).toEqual([100]);
  });

  test('only repeats fold: another address, code or instance is another row; the window closes; successes never fold', async () => {
    const failed = (clientAddress: string, outcome = 'CREDENTIALS_INVALID', instance = 'auths.loginTypes.acme', userId?: string) =>
      audit.record({ type: 'login.failed', outcome, instance, clientAddress, userId });
    await failed('198.51.100.1', undefined, undefined, 'u-1');
    await failed('198.51.100.1', undefined, undefined, 'u-2');
    await failed('198.51.100.2');
    await failed('198.51.100.1', 'STATE_INVALID');
    await failed('198.51.100.1', undefined, 'auths.loginTypes.other');
    clock.now = new Date(T0.getTime() + 59_000);
    await failed('198.51.100.1');
    clock.now = new Date(T0.getTime() + 61_000);
    await failed('198.51.100.1');
    await audit.record({ type: 'login.succeeded', userId: 'u-1', clientAddress: '198.51.100.1' });
    await audit.record({ type: 'login.succeeded', userId: 'u-1', clientAddress: '198.51.100.1' });

    const events = await all();
    const summary = events.map((e) => [e.type, e.clientAddress, e.outcome, e.instance, e.count]);
    expect(summary).toEqual([
      ['login.failed', '198.51.100.1', 'CREDENTIALS_INVALID', 'auths.loginTypes.acme', 3],
      ['login.failed', '198.51.100.2', 'CREDENTIALS_INVALID', 'auths.loginTypes.acme', 1],
      ['login.failed', '198.51.100.1', 'STATE_INVALID', 'auths.loginTypes.acme', 1],
      ['login.failed', '198.51.100.1', 'CREDENTIALS_INVALID', 'auths.loginTypes.other', 1],
      ['login.failed', '198.51.100.1', 'CREDENTIALS_INVALID', 'auths.loginTypes.acme', 1],
      ['login.succeeded', '198.51.100.1', 'ok', null, 1],
      ['login.succeeded', '198.51.100.1', 'ok', null, 1],
    ]);
    // The folded row spans its first and last attempt, and names no user once the attempts differed.
    expect(events[0]).toMatchObject({ time: T0, lastTime: new Date(T0.getTime() + 59_000), userId: null });
  });

  test('recordMany writes a batch in the caller transaction, all or nothing', async () => {
    const batch = Array.from({ length: 450 }, (_, i): AuditEventInput => ({ type: 'binding.left', memberId: `m${i}`, corpId: 'ding-a' }));
    await expect(
      db.transaction(async (manager) => {
        await audit.recordMany(batch, manager);
        throw new Error('sync batch failed');
      }),
    ).rejects.toThrow('sync batch failed');
    expect(await rowCount()).toBe(0);
    await audit.recordMany(batch);
    expect(await rowCount()).toBe(450);
  });

  describe('list', () => {
    const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
    beforeEach(async () => {
      const seed: Array<[number, AuditEventInput]> = [
        [0, { type: 'login.succeeded', userId: 'u-1', instance: 'auths.loginTypes.a' }],
        [1, { type: 'login.failed', outcome: 'CREDENTIALS_INVALID', instance: 'auths.loginTypes.a', clientAddress: '198.51.100.1' }],
        [2, { type: 'binding.created', userId: 'u-2', memberId: 'zhangsan', unionId: 'union-zs', instance: 'auths.loginTypes.b' }],
        [3, { type: 'admin.user.disabled', userId: 'u-1' }],
        [4, { type: 'admin.instance.updated', instance: 'auths.loginTypes.b' }],
      ];
      for (const [hours, event] of seed) {
        clock.now = at(hours);
        await audit.record(event);
      }
    });
    const types = (page: { events: AuditEvent[] }) => page.events.map((e) => e.type);

    test('newest first, each filter alone', async () => {
      expect(types(await audit.list())).toEqual(['admin.instance.updated', 'admin.user.disabled', 'binding.created', 'login.failed', 'login.succeeded']);
      expect(types(await audit.list({ since: at(1.5) }))).toEqual(['admin.instance.updated', 'admin.user.disabled', 'binding.created']);
      expect(types(await audit.list({ until: at(1.5) }))).toEqual(['login.failed', 'login.succeeded']);
      expect(types(await audit.list({ user: 'u-1' }))).toEqual(['admin.user.disabled', 'login.succeeded']);
      expect(types(await audit.list({ user: 'zhangsan' }))).toEqual(['binding.created']);
      expect(types(await audit.list({ user: 'union-zs' }))).toEqual(['binding.created']);
      expect(types(await audit.list({ type: 'admin.*' }))).toEqual(['admin.instance.updated', 'admin.user.disabled']);
      expect(types(await audit.list({ type: 'login.failed' }))).toEqual(['login.failed']);
      expect(types(await audit.list({ type: 'login.*' }))).toEqual(['login.failed', 'login.succeeded']);
      expect(types(await audit.list({ instance: 'auths.loginTypes.b' }))).toEqual(['admin.instance.updated', 'binding.created']);
      expect(types(await audit.list({ since: at(0.5), until: at(3.5), user: 'u-1' }))).toEqual(['admin.user.disabled']);
    });

    test('a folded row is found by any part of its span', async () => {
      clock.now = at(10);
      await audit.record({ type: 'login.failed', clientAddress: '198.51.100.9' });
      clock.now = new Date(at(10).getTime() + 50_000);
      await audit.record({ type: 'login.failed', clientAddress: '198.51.100.9' });
      expect((await audit.list({ since: new Date(at(10).getTime() + 30_000) })).events).toMatchObject([{ count: 2 }]);
    });

    test('pages: limit with a cursor, or an offset', async () => {
      const first = await audit.list({ limit: 2 });
      expect(types(first)).toEqual(['admin.instance.updated', 'admin.user.disabled']);
      expect(first.nextCursor).toBe(first.events[1].id);
      const second = await audit.list({ limit: 2, cursor: first.nextCursor! });
      expect(types(second)).toEqual(['binding.created', 'login.failed']);
      const last = await audit.list({ limit: 2, cursor: second.nextCursor! });
      expect(types(last)).toEqual(['login.succeeded']);
      expect(last.nextCursor).toBeNull();
      expect(types(await audit.list({ limit: 2, offset: 2 }))).toEqual(['binding.created', 'login.failed']);
    });

    test('malformed queries are refused with the field named', async () => {
      await expect(audit.list({ type: 'login.faild' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('did you mean login.failed') });
      await expect(audit.list({ limit: 0 })).rejects.toMatchObject({ message: expect.stringContaining('limit') });
      await expect(audit.list({ limit: 5000 })).rejects.toMatchObject({ message: expect.stringContaining('limit') });
      await expect(audit.list({ cursor: "1' OR 1=1" })).rejects.toMatchObject({ message: expect.stringContaining('cursor') });
      await expect(audit.list({ since: new Date('nope') })).rejects.toMatchObject({ message: expect.stringContaining('since') });
    });
  });

  test('export reads page by page: a row written while it runs still comes out, in order', async () => {
    await audit.recordMany(Array.from({ length: 2500 }, (_, i): AuditEventInput => ({ type: 'binding.updated', details: { n: i } })));
    const seen: AuditEvent[] = [];
    for await (const event of audit.export({ pageSize: 1000 })) {
      if (seen.length === 0) await audit.record({ type: 'config.reloaded' });
      seen.push(event);
    }
    expect(seen).toHaveLength(2501);
    expect(seen[2500].type).toBe('config.reloaded');
    const ids = seen.map((e) => BigInt(e.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
    expect(seen[1234].details).toEqual({ n: 1234 });
    expect((await all()).filter((e) => e.type === 'binding.updated')).toHaveLength(2500);
  });

  test('prune deletes rows whose last event is older than the retention, in batches', async () => {
    await audit.recordMany(Array.from({ length: 6001 }, (): AuditEventInput => ({ type: 'login.succeeded' })));
    clock.now = new Date(T0.getTime() + 100 * DAY);
    await audit.record({ type: 'login.failed', clientAddress: '198.51.100.3' });
    clock.now = new Date(T0.getTime() + 100 * DAY + 30_000);
    await audit.record({ type: 'login.failed', clientAddress: '198.51.100.3' });
    await audit.record({ type: 'user.created' });

    clock.now = new Date(T0.getTime() + 181 * DAY);
    expect(await audit.prune(180)).toBe(6001);
    expect(await rowCount()).toBe(2);
    expect(await audit.prune(180)).toBe(0);
    clock.now = new Date(T0.getTime() + 281 * DAY);
    expect(await audit.prune(180)).toBe(2);
    await expect(audit.prune(0)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('retentionDays') });
  });
});
