/**
 * The org sync baseline's write half: a bare SQLite bulk insert of as many users and bindings as the
 * sync writes, into a fresh file (same journal mode as the app's: WAL), one transaction, multi-row
 * INSERTs of 100 rows. What writing that many rows costs on this disk, with no ORM and no diff.
 */
import * as fs from 'fs';
import * as sqlite3 from 'sqlite3';
import type { WalkedMember } from './bare-org-walk';

function exec(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
}

export async function bulkInsert(file: string, corpId: string, members: readonly WalkedMember[]): Promise<void> {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}-wal`, { force: true });
  fs.rmSync(`${file}-shm`, { force: true });
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
  });
  try {
    await exec(db, 'PRAGMA journal_mode = WAL');
    await exec(db, 'CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT UNIQUE, display_name TEXT, phone TEXT, email TEXT, enabled INTEGER, created_at TEXT, updated_at TEXT)');
    await exec(db, 'CREATE TABLE bindings (id TEXT PRIMARY KEY, user_id TEXT REFERENCES users(id), corp_id TEXT, userid TEXT, unionid TEXT, name TEXT, title TEXT, dept_ids TEXT, status TEXT, created_at TEXT, updated_at TEXT, UNIQUE (corp_id, userid))');
    await exec(db, 'BEGIN');
    const now = new Date().toISOString();
    const ROWS = 100;
    for (let i = 0; i < members.length; i += ROWS) {
      const chunk = members.slice(i, i + ROWS);
      const users: unknown[] = [];
      const bindings: unknown[] = [];
      for (const m of chunk) {
        const userId = `u-${m.userid}`;
        users.push(userId, m.userid, m.name, m.mobile ?? null, m.email ?? null, 1, now, now);
        bindings.push(`b-${m.userid}`, userId, corpId, m.userid, m.unionid, m.name, m.title ?? null, JSON.stringify(m.dept_id_list), 'active', now, now);
      }
      await exec(db, `INSERT INTO users VALUES ${chunk.map(() => '(?,?,?,?,?,?,?,?)').join(',')}`, users);
      await exec(db, `INSERT INTO bindings VALUES ${chunk.map(() => '(?,?,?,?,?,?,?,?,?,?,?)').join(',')}`, bindings);
    }
    await exec(db, 'COMMIT');
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}
