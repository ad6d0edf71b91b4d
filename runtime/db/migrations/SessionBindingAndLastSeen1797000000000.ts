/**
 * Sessions learn which binding they came through (so ending a binding or a corp membership ends
 * exactly its sessions) and when they were last used (idle timeout). Rows from before this
 * migration are marked '*' (SESSION_FROM_ANY_BINDING): they count as through each of the user's
 * bindings. A session with no binding (null) came through no binding (a password login).
 */
import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idTableColumn, timestampTableColumn } from '../portable-columns';

export class SessionBindingAndLastSeen1797000000000 implements MigrationInterface {
  name = 'SessionBindingAndLastSeen1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('sessions', new TableColumn(idTableColumn('bindingId', { nullable: true })));
    await queryRunner.addColumn('sessions', new TableColumn(timestampTableColumn(queryRunner, 'lastSeenAt', { nullable: true })));
    // Written literally: a migration must not change when the constant it once used does.
    await queryRunner.query(`UPDATE sessions SET "bindingId" = '*'`);
    await queryRunner.createIndex('sessions', new TableIndex({ name: 'IDX_sessions_binding', columnNames: ['bindingId'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('sessions', 'IDX_sessions_binding');
    await queryRunner.dropColumn('sessions', 'lastSeenAt');
    await queryRunner.dropColumn('sessions', 'bindingId');
  }
}
