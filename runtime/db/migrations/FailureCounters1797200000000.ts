/**
 * The failure counters (brute-force back-off and limits on costly actions), shared by every host
 * through the database: one row per (scope, subject). See runtime/auth/failure-counters.ts.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampTableColumn } from '../portable-columns';

export class FailureCounters1797200000000 implements MigrationInterface {
  name = 'FailureCounters1797200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'failure_counters',
        columns: [
          // Literal widths: a migration must not change when the constants it once used do.
          { name: 'scope', type: 'varchar', length: '32', isPrimary: true },
          { name: 'subject', type: 'varchar', length: '255', isPrimary: true },
          { name: 'count', type: 'integer' },
          timestampTableColumn(queryRunner, 'windowStart'),
          timestampTableColumn(queryRunner, 'lastAt'),
          timestampTableColumn(queryRunner, 'blockedUntil', { nullable: true }),
        ],
        // For purging counters nobody has touched for a while.
        indices: [{ name: 'IDX_failure_counters_lastAt', columnNames: ['lastAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('failure_counters');
  }
}
