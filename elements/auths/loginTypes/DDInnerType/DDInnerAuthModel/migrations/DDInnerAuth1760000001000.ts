/**
 * Creates dd_inner_auth, the DingTalk account bindings, with the QueryRunner Table API (one migration
 * for SQLite and PostgreSQL). Its unique constraints are what make a login race produce one binding:
 * one DingTalk member (corpId + userid) binds to one local user, and one local user to at most one
 * member of a corp. Runs after the core migration, whose users table it references.
 */
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idTableColumn, timestampTableColumn } from '../../../../../../runtime';

export class DDInnerAuth1760000001000 implements MigrationInterface {
  name = 'DDInnerAuth1760000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'dd_inner_auth',
        columns: [
          idTableColumn('id', { primary: true }),
          idTableColumn('userId'),
          { name: 'thirdCorpId', type: 'varchar', length: '64' },
          { name: 'thirdUserId', type: 'varchar', length: '64' },
          { name: 'unionId', type: 'varchar', length: '64', isNullable: true },
          { name: 'jobNumber', type: 'varchar', length: '64', isNullable: true },
          { name: 'phone', type: 'varchar', length: '32', isNullable: true },
          { name: 'email', type: 'varchar', length: '255', isNullable: true },
          timestampTableColumn(queryRunner, 'hiredDate', { nullable: true }),
          { name: 'photo', type: 'text', isNullable: true },
          timestampTableColumn(queryRunner, 'createTime'),
        ],
        uniques: [
          { name: 'UQ_dd_inner_auth_member', columnNames: ['thirdCorpId', 'thirdUserId'] },
          { name: 'UQ_dd_inner_auth_corp_user', columnNames: ['thirdCorpId', 'userId'] },
        ],
        indices: [
          { name: 'IDX_dd_inner_auth_unionId', columnNames: ['unionId'] },
          // findByUserId without a corp (the unique index above leads with thirdCorpId).
          { name: 'IDX_dd_inner_auth_userId', columnNames: ['userId'] },
        ],
        foreignKeys: [
          { name: 'FK_dd_inner_auth_userId', columnNames: ['userId'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dd_inner_auth');
  }
}
