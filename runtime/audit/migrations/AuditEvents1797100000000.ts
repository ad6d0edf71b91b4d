/**
 * Creates `audit_events` (runtime/audit). Written with the QueryRunner Table API so one migration
 * serves SQLite and PostgreSQL; the column sizes are written literally, since a migration must not
 * change when a constant it once used does.
 *
 * The id is a generated integer (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's bigserial):
 * pages and exports walk it. Each filter of `jit audit list` has an index that ends in the id, so a
 * filtered page is read newest first straight from the index.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampTableColumn } from '../../db/portable-columns';

export class AuditEvents1797100000000 implements MigrationInterface {
  name = 'AuditEvents1797100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: postgres ? 'bigint' : 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          timestampTableColumn(queryRunner, 'time'),
          timestampTableColumn(queryRunner, 'lastTime'),
          { name: 'type', type: 'varchar', length: '96' },
          { name: 'outcome', type: 'varchar', length: '64' },
          { name: 'instance', type: 'varchar', length: '255', isNullable: true },
          { name: 'corpId', type: 'varchar', length: '64', isNullable: true },
          { name: 'dingtalkUserId', type: 'varchar', length: '64', isNullable: true },
          { name: 'unionId', type: 'varchar', length: '64', isNullable: true },
          { name: 'userId', type: 'varchar', length: '64', isNullable: true },
          { name: 'clientAddress', type: 'varchar', length: '64', isNullable: true },
          { name: 'userAgent', type: 'varchar', length: '512', isNullable: true },
          { name: 'requestId', type: 'varchar', length: '64', isNullable: true },
          { name: 'details', type: 'text', isNullable: true },
          { name: 'count', type: 'integer', default: 1 },
          { name: 'aggregateKey', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [
          // --since / --until, and retention (lastTime).
          { name: 'IDX_audit_events_time', columnNames: ['time'] },
          { name: 'IDX_audit_events_lastTime', columnNames: ['lastTime'] },
          // --type, --user (a local id, a DingTalk userid or a unionId), --instance: newest first.
          { name: 'IDX_audit_events_type', columnNames: ['type', 'id'] },
          { name: 'IDX_audit_events_userId', columnNames: ['userId', 'id'] },
          { name: 'IDX_audit_events_dingtalkUserId', columnNames: ['dingtalkUserId', 'id'] },
          { name: 'IDX_audit_events_unionId', columnNames: ['unionId', 'id'] },
          { name: 'IDX_audit_events_instance', columnNames: ['instance', 'id'] },
          // The open aggregated row of a flood: its key, latest first.
          { name: 'IDX_audit_events_aggregateKey', columnNames: ['aggregateKey', 'time'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
  }
}
