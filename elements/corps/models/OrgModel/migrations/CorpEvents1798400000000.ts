/**
 * Live events (#13): corp_events, the record of each event a corp applied (its unique key, corp +
 * eventId, is what makes a redelivered or duplicated event count once across every host), and
 * corp_event_watchers, what each running watcher last said about its Stream connection (so
 * `jit org status` in another process can show it). QueryRunner Table API: one migration for SQLite
 * and PostgreSQL.
 */
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { idTableColumn, timestampTableColumn } from '../../../../../runtime';

const corpFullName: TableColumnOptions = { name: 'corpFullName', type: 'varchar', length: '255' };
const count = (name: string): TableColumnOptions => ({ name, type: 'integer', default: 0 });

export class CorpEvents1798400000000 implements MigrationInterface {
  name = 'CorpEvents1798400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'corp_events',
        columns: [
          idTableColumn('id', { primary: true }),
          corpFullName,
          { name: 'eventId', type: 'varchar', length: '128' },
          { name: 'eventType', type: 'varchar', length: '64' },
          timestampTableColumn(queryRunner, 'bornAt', { nullable: true }),
          timestampTableColumn(queryRunner, 'appliedAt'),
          { name: 'outcome', type: 'varchar', length: '64' },
          { name: 'message', type: 'text', isNullable: true },
        ],
        uniques: [{ name: 'UQ_corp_events_corp_event', columnNames: ['corpFullName', 'eventId'] }],
        indices: [
          // Counts and the latest failures of one corp (jit org status).
          { name: 'IDX_corp_events_corp_applied', columnNames: ['corpFullName', 'appliedAt'] },
          // Pruning by age, across corps.
          { name: 'IDX_corp_events_applied', columnNames: ['appliedAt'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'corp_event_watchers',
        columns: [
          idTableColumn('id', { primary: true }),
          corpFullName,
          { name: 'host', type: 'varchar', length: '255' },
          timestampTableColumn(queryRunner, 'startedAt'),
          { name: 'connected', type: 'boolean' },
          timestampTableColumn(queryRunner, 'connectedSince', { nullable: true }),
          timestampTableColumn(queryRunner, 'downSince', { nullable: true }),
          timestampTableColumn(queryRunner, 'lastEventAt', { nullable: true }),
          count('applied'),
          count('duplicates'),
          count('notApplied'),
          count('retried'),
          count('reconnects'),
          timestampTableColumn(queryRunner, 'lastCatchUpAt', { nullable: true }),
          { name: 'lastCatchUpReason', type: 'varchar', length: '255', isNullable: true },
          { name: 'lastCatchUpOutcome', type: 'varchar', length: '64', isNullable: true },
          { name: 'lastError', type: 'text', isNullable: true },
          timestampTableColumn(queryRunner, 'stoppedAt', { nullable: true }),
          timestampTableColumn(queryRunner, 'updatedAt'),
        ],
        indices: [{ name: 'IDX_corp_event_watchers_corp_updated', columnNames: ['corpFullName', 'updatedAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('corp_event_watchers');
    await queryRunner.dropTable('corp_events');
  }
}
