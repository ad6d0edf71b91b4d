/**
 * The corps family's tables (corp_departments, corp_members, corp_department_members,
 * corp_sync_runs), keyed by the corp's fullName, with the QueryRunner Table API (one migration for
 * SQLite and PostgreSQL).
 *
 * Org sync used to keep the organisation per DingTalk corpId (dd_departments, dd_org_members,
 * dd_department_members). Their rows are copied here under the key `dingtalk:<corpId>`: the first
 * sync of the DingTalk corp of that organisation adopts them (its leavers, the users it disabled and
 * its departments carry over; nothing is listed as new). The old tables are kept as they were.
 */
import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { idTableColumn, timestampTableColumn } from '../../../../../runtime';

const corpFullName: TableColumnOptions = { name: 'corpFullName', type: 'varchar', length: '255' };
const userid: TableColumnOptions = { name: 'userid', type: 'varchar', length: '64' };
const deptId = (name: string, options: { nullable?: boolean } = {}): TableColumnOptions => ({ name, type: 'bigint', isNullable: options.nullable ?? false });

/** The key legacy rows of DingTalk organisation `corpId` are kept under until a corp adopts them. */
const LEGACY_KEY_SQL = `'dingtalk:' || "corpId"`;

export class CorpOrg1797200001000 implements MigrationInterface {
  name = 'CorpOrg1797200001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'corp_departments',
        columns: [
          idTableColumn('id', { primary: true }),
          corpFullName,
          deptId('deptId'),
          { name: 'name', type: 'varchar', length: '255' },
          deptId('parentId', { nullable: true }),
          { name: 'order', type: 'integer', isNullable: true },
          timestampTableColumn(queryRunner, 'removedAt', { nullable: true }),
          timestampTableColumn(queryRunner, 'createTime'),
          timestampTableColumn(queryRunner, 'updateTime'),
        ],
        uniques: [{ name: 'UQ_corp_departments_corp_dept', columnNames: ['corpFullName', 'deptId'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'corp_members',
        columns: [
          idTableColumn('id', { primary: true }),
          corpFullName,
          userid,
          { name: 'unionId', type: 'varchar', length: '64', isNullable: true },
          { name: 'name', type: 'varchar', length: '255' },
          { name: 'status', type: 'varchar', length: '16' },
          idTableColumn('localUserId', { nullable: true }),
          idTableColumn('bindingId', { nullable: true }),
          timestampTableColumn(queryRunner, 'leftAt', { nullable: true }),
          idTableColumn('disabledUserId', { nullable: true }),
          idTableColumn('lastRunId', { nullable: true }),
          timestampTableColumn(queryRunner, 'changedAt'),
          timestampTableColumn(queryRunner, 'createTime'),
          timestampTableColumn(queryRunner, 'updateTime'),
        ],
        uniques: [{ name: 'UQ_corp_members_corp_user', columnNames: ['corpFullName', 'userid'] }],
        indices: [
          // A complete run's leavers: the corp's active members it did not stamp.
          { name: 'IDX_corp_members_corp_status_run', columnNames: ['corpFullName', 'status', 'lastRunId'] },
          // "Does this user hold a membership anywhere else?" when one ends.
          { name: 'IDX_corp_members_localUserId', columnNames: ['localUserId'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'corp_department_members',
        columns: [idTableColumn('id', { primary: true }), corpFullName, deptId('deptId'), userid],
        uniques: [{ name: 'UQ_corp_department_members_corp_dept_user', columnNames: ['corpFullName', 'deptId', 'userid'] }],
        indices: [{ name: 'IDX_corp_department_members_corp_user', columnNames: ['corpFullName', 'userid'] }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'corp_sync_runs',
        columns: [
          idTableColumn('id', { primary: true }),
          corpFullName,
          { name: 'dryRun', type: 'boolean' },
          timestampTableColumn(queryRunner, 'startedAt'),
          timestampTableColumn(queryRunner, 'finishedAt', { nullable: true }),
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'counts', type: 'text', isNullable: true },
          { name: 'message', type: 'text', isNullable: true },
        ],
        indices: [{ name: 'IDX_corp_sync_runs_corp_started', columnNames: ['corpFullName', 'startedAt'] }],
      }),
    );

    // The organisation as org sync kept it per corpId, under the key its DingTalk corp adopts.
    await queryRunner.query(
      `INSERT INTO corp_departments (id, "corpFullName", "deptId", name, "parentId", "order", "removedAt", "createTime", "updateTime")
       SELECT id, ${LEGACY_KEY_SQL}, "deptId", name, "parentId", "order", "removedAt", "createTime", "updateTime" FROM dd_departments`,
    );
    await queryRunner.query(
      `INSERT INTO corp_members (id, "corpFullName", userid, "unionId", name, status, "localUserId", "bindingId", "leftAt", "disabledUserId", "lastRunId", "changedAt", "createTime", "updateTime")
       SELECT m.id, 'dingtalk:' || m."corpId", m.userid, m."unionId", m.name, CASE WHEN m."leftAt" IS NULL THEN 'active' ELSE 'left' END,
              b."userId", b.id, m."leftAt", m."disabledUserId", NULL, m."updateTime", m."createTime", m."updateTime"
       FROM dd_org_members m LEFT JOIN dd_inner_auth b ON b."thirdCorpId" = m."corpId" AND b."thirdUserId" = m.userid`,
    );
    await queryRunner.query(
      `INSERT INTO corp_department_members (id, "corpFullName", "deptId", userid) SELECT id, ${LEGACY_KEY_SQL}, "deptId", userid FROM dd_department_members`,
    );
    // A leaver's binding opens no session any more (dd_inner_auth.leftAt, added just before).
    await queryRunner.query(
      `UPDATE dd_inner_auth SET "leftAt" = (SELECT m."leftAt" FROM dd_org_members m WHERE m."corpId" = dd_inner_auth."thirdCorpId" AND m.userid = dd_inner_auth."thirdUserId")
       WHERE EXISTS (SELECT 1 FROM dd_org_members m WHERE m."corpId" = dd_inner_auth."thirdCorpId" AND m.userid = dd_inner_auth."thirdUserId" AND m."leftAt" IS NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('corp_sync_runs');
    await queryRunner.dropTable('corp_department_members');
    await queryRunner.dropTable('corp_members');
    await queryRunner.dropTable('corp_departments');
  }
}
