/**
 * Reads an app's database from outside the hosts (a second connection, plain SQL), so the suites
 * check what was really committed, not what a host believes: every user, binding and session, and
 * the invariants a login must never break. Works on a SQLite file and on PostgreSQL.
 */
import { Client } from 'pg';
import * as sqlite3 from 'sqlite3';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string | null;
  source: string;
}

export interface BindingRecord {
  id: string;
  userId: string;
  thirdCorpId: string;
  thirdUserId: string;
  unionId: string | null;
}

export interface SessionRecord {
  id: string;
  userId: string;
  revoked: boolean;
}

export interface DatabaseSnapshot {
  users: UserRecord[];
  bindings: BindingRecord[];
  sessions: SessionRecord[];
  tickets: number;
  /** Every broken invariant found, in words; empty when the database is consistent. */
  problems: string[];
}

export interface RowCounts {
  users: number;
  bindings: number;
  sessions: number;
  tickets: number;
}

/** Reads everything the invariants need and checks them. `url`: `sqlite:<file>` or `postgres://...`. */
export async function inspectDatabase(url: string): Promise<DatabaseSnapshot> {
  return withConnection(url, async (query) => {
    const users = (await query('SELECT "id", "username", "displayName", "source" FROM "users"')) as unknown as UserRecord[];
    const bindings = (await query('SELECT "id", "userId", "thirdCorpId", "thirdUserId", "unionId" FROM "dd_inner_auth"')) as unknown as BindingRecord[];
    const sessionRows = await query('SELECT "id", "userId", "revokedAt" FROM "sessions"');
    const sessions = sessionRows.map((r) => ({ id: String(r.id), userId: String(r.userId), revoked: r.revokedAt !== null && r.revokedAt !== undefined }));
    const tickets = Number((await query('SELECT COUNT(*) AS "n" FROM "tickets"'))[0].n);
    const problems = findProblems(users, bindings, sessions);
    if (url.startsWith('sqlite:')) {
      const integrity = await query('PRAGMA integrity_check');
      const verdict = integrity.map((r) => String(Object.values(r)[0])).join('; ');
      if (verdict !== 'ok') problems.push(`SQLite integrity_check: ${verdict}`);
      const dangling = await query('PRAGMA foreign_key_check');
      if (dangling.length > 0) problems.push(`SQLite foreign_key_check: ${JSON.stringify(dangling)}`);
    }
    return { users, bindings, sessions, tickets, problems };
  });
}

/** Row counts of the tables a login writes, for "nothing was written" checks. */
export async function countRows(url: string): Promise<RowCounts> {
  return withConnection(url, async (query) => {
    const count = async (table: string) => Number((await query(`SELECT COUNT(*) AS "n" FROM "${table}"`))[0].n);
    return { users: await count('users'), bindings: await count('dd_inner_auth'), sessions: await count('sessions'), tickets: await count('tickets') };
  });
}

/**
 * The invariants: one binding per DingTalk member (corpId + userid); no binding without its user; no
 * user a login provisioned without the binding it was made for (a half-finished login); no second
 * user for one member (a provisioned username with a numeric suffix); no session without its user;
 * no row with an empty key field.
 */
export function findProblems(users: UserRecord[], bindings: BindingRecord[], sessions: SessionRecord[]): string[] {
  const problems: string[] = [];
  const userIds = new Set(users.map((u) => u.id));
  const boundUserIds = new Set(bindings.map((b) => b.userId));

  const perMember = new Map<string, number>();
  for (const b of bindings) {
    const key = `${b.thirdCorpId}/${b.thirdUserId}`;
    perMember.set(key, (perMember.get(key) ?? 0) + 1);
    if (!userIds.has(b.userId)) problems.push(`binding ${b.id} (${key}) points at missing user ${b.userId}`);
    if (!b.thirdCorpId || !b.thirdUserId || !b.userId) problems.push(`binding ${b.id} has an empty key field`);
  }
  for (const [member, n] of perMember) if (n > 1) problems.push(`member ${member} has ${n} bindings`);

  for (const u of users) {
    if (!u.username || !u.source) problems.push(`user ${u.id} has an empty username or source`);
    if (u.source.startsWith('login:') && !boundUserIds.has(u.id)) problems.push(`user ${u.id} (${u.username}) was provisioned by a login but has no binding`);
  }
  const provisioned = new Set(users.filter((u) => u.source.startsWith('login:')).map((u) => u.username));
  for (const name of provisioned) {
    const base = /^(.*)-\d+$/.exec(name)?.[1];
    if (base && provisioned.has(base)) problems.push(`users ${base} and ${name} look like two users provisioned for one member`);
  }
  for (const s of sessions) if (!userIds.has(s.userId)) problems.push(`session ${s.id} points at missing user ${s.userId}`);
  return problems;
}

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

async function withConnection<T>(url: string, work: (query: Query) => Promise<T>): Promise<T> {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    // Read-write only so SQLite may recover a WAL left by a killed host; nothing here writes.
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(opened)));
    });
    db.configure('busyTimeout', 10_000);
    const query: Query = (sql) => new Promise((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as Array<Record<string, unknown>>))));
    try {
      return await work(query);
    } finally {
      await new Promise<void>((resolve) => db.close(() => resolve()));
    }
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(async (sql) => (await client.query(sql)).rows as Array<Record<string, unknown>>);
  } finally {
    await client.end();
  }
}
