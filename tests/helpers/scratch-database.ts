/**
 * A fresh, empty database of one kind for a test suite: a new database on the test PostgreSQL
 * cluster, or a SQLite file in a temporary folder. remove() deletes it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatabaseKind } from '../../runtime/db/types';
import { createTestDatabase } from './postgres';
import { lateBound } from './late-bound';

export interface ScratchDatabase {
  url: string;
  /** The SQLite file (sqlite only). */
  file?: string;
  remove(): Promise<void>;
}

export async function scratchDatabase(kind: DatabaseKind): Promise<ScratchDatabase> {
  if (kind === 'postgres') {
    const database = await createTestDatabase();
    return { url: database.url, remove: () => database.drop() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jit-scratch-'));
  const file = path.join(dir, 'app.db');
  return { url: `sqlite:${file}`, file, remove: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh database of one kind for a describe block: created in beforeAll, removed in afterAll. */
export function useScratchDatabase(kind: DatabaseKind = 'sqlite'): ScratchDatabase {
  const handle = lateBound<ScratchDatabase>(`useScratchDatabase('${kind}')`);
  beforeAll(async () => {
    handle.set(await scratchDatabase(kind));
  });
  afterAll(async () => {
    await handle.current()?.remove();
  });
  return handle.value;
}
