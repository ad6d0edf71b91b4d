/**
 * Runs one test body on both databases: a real SQLite file in a temp folder and a fresh database on
 * the test PostgreSQL server (skipped with a printed reason when there is none; see requirements.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatabaseKind } from '../../runtime/db/types';
import { createTestDatabase, type TestDatabase } from './postgres';
import { describeWithPostgres } from './requirements';

export interface DatabaseUnderTest {
  kind: DatabaseKind;
  /** The database URL; set before the body's own beforeAll hooks run. */
  url: string;
}

export function describeEachDatabase(title: string, body: (target: DatabaseUnderTest) => void): void {
  describe(`${title} [sqlite]`, () => {
    const target: DatabaseUnderTest = { kind: 'sqlite', url: '' };
    let dir = '';
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-db-'));
      target.url = `sqlite:${path.join(dir, 'app.db')}`;
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    body(target);
  });

  describeWithPostgres(`${title} [postgres]`, () => {
    const target: DatabaseUnderTest = { kind: 'postgres', url: '' };
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      database = await createTestDatabase();
      target.url = database.url;
    });
    afterAll(() => database?.drop());
    body(target);
  });
}
