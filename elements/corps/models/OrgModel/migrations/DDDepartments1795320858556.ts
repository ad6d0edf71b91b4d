/**
 * Creates org sync's tables (dd_departments, dd_org_members, dd_department_members) with the
 * QueryRunner Table API, so one migration serves SQLite and PostgreSQL. The unique constraints are
 * the identity of each row (a re-run or a concurrent sync finds the row instead of adding a second).
 */
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { idTableColumn, timestampTableColumn } from '../../../../../runtime';

const corpId: TableColumnOptions = { name: 'corpId', type: 'varchar', length: '64' };
const userid: TableColumnOptions = { name: 'userid', type: 'varchar', length: '64' };
const deptId = (name: string, options: { nullable?: boolean } = {}): TableColumnOptions => ({ name, type: 'bigint', isNullable: options.nullable ?? false });

export class DDDepartments1795320858556 implements MigrationInterface {
  name = 'DDDepartments1795320858556';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'dd_departments',
        columns: [
          idTableColumn('id', { primary: true }),
          corpId,
          deptId('deptId'),
          { name: 'name', type: 'varchar', length: '255' },
          deptId('parentId', { nullable: true }),
          { name: 'order', type: 'integer', isNullable: true },
          timestampTableColumn(queryRunner, 'removedAt', { nullable: true }),
          timestampTableColumn(queryRunner, 'createTime'),
          timestampTableColumn(queryRunner, 'updateTime'),
        ],
        uniques: [{ name: 'UQ_dd_departments_corp_dept', columnNames: ['corpId', 'deptId'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'dd_org_members',
        columns: [
          idTableColumn('id', { primary: true }),
          corpId,
          userid,
          { name: 'unionId', type: 'varchar', length: '64', isNullable: true },
          { name: 'name', type: 'varchar', length: '255' },
          timestampTableColumn(queryRunner, 'leftAt', { nullable: true }),
          idTableColumn('disabledUserId', { nullable: true }),
          timestampTableColumn(queryRunner, 'createTime'),
          timestampTableColumn(queryRunner, 'updateTime'),
        ],
        uniques: [{ name: 'UQ_dd_org_members_corp_user', columnNames: ['corpId', 'userid'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'dd_department_members',
        columns: [idTableColumn('id', { primary: true }), corpId, deptId('deptId'), userid],
        uniques: [{ name: 'UQ_dd_department_members_corp_dept_user', columnNames: ['corpId', 'deptId', 'userid'] }],
        // A member's departments are read and replaced per member.
        indices: [{ name: 'IDX_dd_department_members_corp_user', columnNames: ['corpId', 'userid'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dd_department_members');
    await queryRunner.dropTable('dd_org_members');
    await queryRunner.dropTable('dd_departments');
  }
}
