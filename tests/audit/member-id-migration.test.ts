/**
 * Migration AuditMemberId1798500000000 on a real SQLite file and a real PostgreSQL database: a
 * database still at the old schema (the column `dingtalkUserId`, as AuditEvents1797100000000 made
 * it) with a row in it is brought to `memberId` when the host opens it, the row keeps its value, the
 * `--user` filter finds it by that id through the renamed index, and `down` goes back.
 */
import { openDatabase, coreModels, type Database } from '../../runtime/db';
import { DatabaseAuditLog } from '../../runtime/audit';
import { AuditMemberId1798500000000 } from '../../runtime/audit/migrations/AuditMemberId1798500000000';
import { describeEachDatabase } from '../helpers/each-database';

const MIGRATION = 'AuditMemberId1798500000000';

describeEachDatabase('audit memberId migration', (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(target.url, [coreModels]);
  });
  afterAll(() => db?.close());

  const columns = async (): Promise<string[]> => {
    const rows: Array<{ name?: string; column_name?: string }> =
      target.kind === 'postgres'
        ? await db.dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_events'`)
        : await db.dataSource.query(`PRAGMA table_info("audit_events")`);
    return rows.map((r) => String(r.name ?? r.column_name));
  };
  const indexes = async (): Promise<string[]> => {
    const rows: Array<{ name: string }> =
      target.kind === 'postgres'
        ? await db.dataSource.query(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'audit_events'`)
        : await db.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events'`);
    return rows.map((r) => r.name);
  };

  test('an existing row keeps its member id across the rename, and the user filter still finds it', async () => {
    const audit = new DatabaseAuditLog(db);
    await audit.record({ type: 'binding.created', corpId: 'ding-a', memberId: 'zhangsan', unionId: 'union-zs', userId: 'u-1' });

    // Back to the schema a database upgraded from the previous release has: the old column name.
    const runner = db.dataSource.createQueryRunner();
    try {
      await new AuditMemberId1798500000000().down(runner);
      await runner.query(`DELETE FROM "migrations" WHERE "name" = '${MIGRATION}'`);
    } finally {
      await runner.release();
    }
    expect(await columns()).toContain('dingtalkUserId');
    expect(await columns()).not.toContain('memberId');
    expect(await indexes()).toContain('IDX_audit_events_dingtalkUserId');
    expect((await db.dataSource.query(`SELECT "dingtalkUserId" AS v FROM audit_events`))[0].v).toBe('zhangsan');

    // What the host does when it opens the database: the pending migration runs.
    expect(await db.runMigrations()).toEqual([MIGRATION]);
    expect(await db.runMigrations()).toEqual([]);
    expect(await columns()).toContain('memberId');
    expect(await columns()).not.toContain('dingtalkUserId');
    expect(await indexes()).toEqual(expect.arrayContaining(['IDX_audit_events_memberId']));
    expect(await indexes()).not.toContain('IDX_audit_events_dingtalkUserId');

    const found = await audit.list({ user: 'zhangsan' });
    expect(found.events).toHaveLength(1);
    expect(found.events[0]).toMatchObject({ type: 'binding.created', corpId: 'ding-a', memberId: 'zhangsan', unionId: 'union-zs', userId: 'u-1' });
    // A new row goes into the renamed column too.
    await audit.record({ type: 'binding.left', memberId: 'lisi' });
    expect((await audit.list({ user: 'lisi' })).events.map((e) => e.memberId)).toEqual(['lisi']);
  });
});
