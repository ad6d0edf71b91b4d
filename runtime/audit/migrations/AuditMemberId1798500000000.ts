/**
 * Renames the audit column `dingtalkUserId` to `memberId` (and its index): the runtime names no
 * element family, so the column says what it holds for any of them, the person's account id in the
 * external organisation of `corpId` (for DingTalk, the member's userid). Rows keep their values.
 *
 * AuditEvents1797100000000 still creates the old name: an applied migration is history and keeps its
 * text; this one, applied after it, is what brings every database to the new name. A migration must
 * name the old column, so this file is an exception to the DingTalk-free runtime test.
 *
 * PostgreSQL renames in place (ALTER TABLE ... RENAME COLUMN / ALTER INDEX ... RENAME). SQLite's
 * RENAME COLUMN (3.25+) rewrites the index definitions that use the column; the index itself is
 * dropped and created again under its new name, since SQLite cannot rename an index.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_COLUMN = 'dingtalkUserId';
const NEW_COLUMN = 'memberId';
const OLD_INDEX = 'IDX_audit_events_dingtalkUserId';
const NEW_INDEX = 'IDX_audit_events_memberId';

export class AuditMemberId1798500000000 implements MigrationInterface {
  name = 'AuditMemberId1798500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rename(queryRunner, { column: [OLD_COLUMN, NEW_COLUMN], index: [OLD_INDEX, NEW_INDEX] });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rename(queryRunner, { column: [NEW_COLUMN, OLD_COLUMN], index: [NEW_INDEX, OLD_INDEX] });
  }
}

async function rename(queryRunner: QueryRunner, names: { column: [string, string]; index: [string, string] }): Promise<void> {
  const [fromColumn, toColumn] = names.column;
  const [fromIndex, toIndex] = names.index;
  if (queryRunner.connection.driver.options.type === 'postgres') {
    await queryRunner.query(`ALTER TABLE "audit_events" RENAME COLUMN "${fromColumn}" TO "${toColumn}"`);
    await queryRunner.query(`ALTER INDEX "${fromIndex}" RENAME TO "${toIndex}"`);
    return;
  }
  await queryRunner.query(`ALTER TABLE "audit_events" RENAME COLUMN "${fromColumn}" TO "${toColumn}"`);
  await queryRunner.query(`DROP INDEX "${fromIndex}"`);
  await queryRunner.query(`CREATE INDEX "${toIndex}" ON "audit_events" ("${toColumn}", "id")`);
}
