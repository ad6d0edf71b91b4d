/**
 * Administrators granted by an operator (`jit users grant-admin <user>`), besides those app.json
 * `admins` names: one row per local user. See runtime/auth/admin-grants.ts.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idTableColumn, timestampTableColumn } from '../portable-columns';

export class AdminGrants1798300000000 implements MigrationInterface {
  name = 'AdminGrants1798300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'admin_grants',
        columns: [
          idTableColumn('userId', { primary: true }),
          timestampTableColumn(queryRunner, 'grantedAt'),
          // Literal width: a migration must not change when the constants it once used do.
          { name: 'grantedBy', type: 'varchar', length: '255', isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('admin_grants');
  }
}
