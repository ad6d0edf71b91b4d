/**
 * The `leases` table: time-limited claims shared by every process on one database (hosts, CLI
 * commands, on SQLite as on PostgreSQL). Two kinds live in it (see ../leases.ts):
 *   - group memberships (kind 'member', one row per member): "who takes a share of this";
 *   - exclusive leases (kind 'exclusive', one row per name, member ''): "who holds this alone".
 * The primary key (kind, name, member) is what makes an exclusive lease exclusive: a second holder's
 * insert of the same (exclusive, name, '') row fails on it, on both databases.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampTableColumn } from '../portable-columns';

export class Leases1798200000000 implements MigrationInterface {
  name = 'Leases1798200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'leases',
        columns: [
          { name: 'kind', type: 'varchar', length: '16', isPrimary: true },
          { name: 'name', type: 'varchar', length: '255', isPrimary: true },
          { name: 'member', type: 'varchar', length: '255', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '255' },
          { name: 'label', type: 'varchar', length: '255', isNullable: true },
          timestampTableColumn(queryRunner, 'acquiredAt'),
          timestampTableColumn(queryRunner, 'expiresAt'),
        ],
        // Counting a group's live members and pruning expired rows read by name and expiry.
        indices: [{ name: 'IDX_leases_name_expiresAt', columnNames: ['name', 'expiresAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('leases');
  }
}
