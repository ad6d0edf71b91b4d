/**
 * Creates the runtime's core tables (users, sessions, tickets). Written with the QueryRunner Table
 * API so the same migration runs on SQLite and PostgreSQL. Constraint and index names carry the table
 * name because PostgreSQL index names are unique per schema.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idTableColumn, timestampTableColumn } from '../portable-columns';

export class CoreModels1760000000000 implements MigrationInterface {
  name = 'CoreModels1760000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          idTableColumn('id', { primary: true }),
          { name: 'username', type: 'varchar', length: '128' },
          { name: 'displayName', type: 'varchar', length: '255' },
          { name: 'phone', type: 'varchar', length: '32', isNullable: true },
          { name: 'email', type: 'varchar', length: '255', isNullable: true },
          { name: 'employeeNo', type: 'varchar', length: '64', isNullable: true },
          { name: 'passwordHash', type: 'varchar', length: '255', isNullable: true },
          { name: 'disabled', type: 'boolean', default: false },
          { name: 'source', type: 'varchar', length: '255' },
          timestampTableColumn(queryRunner, 'createTime'),
          timestampTableColumn(queryRunner, 'updateTime'),
        ],
        uniques: [{ name: 'UQ_users_username', columnNames: ['username'] }],
        indices: [
          { name: 'IDX_users_phone', columnNames: ['phone'] },
          { name: 'IDX_users_email', columnNames: ['email'] },
          { name: 'IDX_users_employeeNo', columnNames: ['employeeNo'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          idTableColumn('id', { primary: true }),
          { name: 'tokenHash', type: 'varchar', length: '64' },
          idTableColumn('userId'),
          timestampTableColumn(queryRunner, 'createTime'),
          timestampTableColumn(queryRunner, 'expiresAt'),
          timestampTableColumn(queryRunner, 'revokedAt', { nullable: true }),
        ],
        uniques: [{ name: 'UQ_sessions_tokenHash', columnNames: ['tokenHash'] }],
        indices: [{ name: 'IDX_sessions_userId', columnNames: ['userId'] }],
        foreignKeys: [
          { name: 'FK_sessions_userId', columnNames: ['userId'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'tickets',
        columns: [
          { name: 'idHash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '64' },
          { name: 'audience', type: 'varchar', length: '255' },
          { name: 'payload', type: 'text' },
          timestampTableColumn(queryRunner, 'expiresAt'),
          timestampTableColumn(queryRunner, 'usedAt', { nullable: true }),
          timestampTableColumn(queryRunner, 'createTime'),
        ],
        // For purging expired tickets.
        indices: [{ name: 'IDX_tickets_expiresAt', columnNames: ['expiresAt'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tickets');
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
