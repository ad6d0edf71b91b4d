/**
 * Adds `leftAt` to dd_inner_auth: when the member's membership of the organisation ended (a corp's
 * sync found them gone, or an operator took them offline). Existing bindings stay active (null).
 */
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampTableColumn } from '../../../../../../runtime';

export class DDInnerAuthLeftAt1797200000500 implements MigrationInterface {
  name = 'DDInnerAuthLeftAt1797200000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('dd_inner_auth', new TableColumn(timestampTableColumn(queryRunner, 'leftAt', { nullable: true })));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('dd_inner_auth', 'leftAt');
  }
}
