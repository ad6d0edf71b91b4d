/**
 * The local users a sync's chunk needs, read and created with few statements: the user store
 * (`app.users`) works one user at a time, which made a 10,000-member first run spend most of its
 * time on round trips (#12). Same rows and rules as the store: phones normalised, a disabled user
 * matches no rule, the password hash never leaves this module, lengths checked by the caller
 * (bind-member.ts routes a member whose fields do not fit to `app.users.create`, which refuses them).
 */
import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { normalizePhone, UserEntity, type LocalUser, type NewLocalUser, type UserMatchAttribute, type UserRow } from '../../../runtime';
import { insertRows } from '../models/OrgModel/bulk-insert';

/** Values per IN list. */
const IN_CHUNK = 500;

/** The users table's column widths (the store checks the same; see the core migration). */
export const USER_COLUMN_LENGTH = { username: 128, displayName: 255, phone: 32, email: 255, employeeNo: 64, source: 255 } as const;

function toLocalUser(row: UserRow): LocalUser {
  const { passwordHash: _hidden, ...user } = row;
  return { ...user, disabled: Boolean(user.disabled) };
}

async function inChunks<T>(values: readonly T[], read: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < values.length; i += IN_CHUNK) await read(values.slice(i, i + IN_CHUNK));
}

/** Users by id. */
export async function findUsersByIds(manager: EntityManager, ids: Iterable<string>): Promise<Map<string, LocalUser>> {
  const result = new Map<string, LocalUser>();
  await inChunks([...new Set(ids)], async (chunk) => {
    for (const row of await manager.find(UserEntity, { where: { id: In(chunk) } })) result.set(row.id, toLocalUser(row));
  });
  return result;
}

/** The stored form of a value a match rule compares (as `app.users.findByAttribute` compares it). */
export function matchValue(attribute: UserMatchAttribute, value: string): string | null {
  const wanted = attribute === 'phone' ? normalizePhone(value) : value.trim();
  return wanted ? wanted : null;
}

/** Enabled users whose `attribute` is one of `values` (stored forms), by that value, by username. */
export async function findUsersByAttribute(manager: EntityManager, attribute: UserMatchAttribute, values: Iterable<string>): Promise<Map<string, LocalUser[]>> {
  const result = new Map<string, LocalUser[]>();
  await inChunks([...new Set(values)], async (chunk) => {
    const rows = await manager.find(UserEntity, { where: { [attribute]: In(chunk), disabled: false }, order: { username: 'ASC' } });
    for (const row of rows) {
      const key = String(row[attribute]);
      const list = result.get(key) ?? [];
      list.push(toLocalUser(row));
      result.set(key, list);
    }
  });
  return result;
}

/** Which of `usernames` are taken. */
export async function takenUsernames(manager: EntityManager, usernames: Iterable<string>): Promise<Set<string>> {
  const taken = new Set<string>();
  await inChunks([...new Set(usernames)], async (chunk) => {
    for (const row of await manager.find(UserEntity, { select: { username: true }, where: { username: In(chunk) } })) taken.add(row.username);
  });
  return taken;
}

/** True when every field fits its column (else `app.users.create` must refuse it, one member failing). */
export function fitsUserColumns(user: NewLocalUser): boolean {
  const fits = (value: string | null | undefined, max: number) => value == null || String(value).trim().length <= max;
  return (
    fits(user.username, USER_COLUMN_LENGTH.username) &&
    fits(user.displayName, USER_COLUMN_LENGTH.displayName) &&
    fits(normalizePhone(user.phone), USER_COLUMN_LENGTH.phone) &&
    fits(user.email, USER_COLUMN_LENGTH.email) &&
    fits(user.employeeNo, USER_COLUMN_LENGTH.employeeNo) &&
    fits(user.source, USER_COLUMN_LENGTH.source)
  );
}

/** Creates users (no password) with multi-row INSERTs; the same rows `app.users.create` writes. */
export async function insertUsers(manager: EntityManager, users: readonly NewLocalUser[]): Promise<LocalUser[]> {
  const now = new Date();
  const trimmed = (value: string | null | undefined) => {
    const t = value == null ? '' : String(value).trim();
    return t === '' ? null : t;
  };
  const rows: UserRow[] = users.map((user) => {
    const username = String(user.username).trim();
    return {
      id: randomUUID(),
      username,
      displayName: trimmed(user.displayName) ?? username,
      phone: trimmed(normalizePhone(user.phone)),
      email: trimmed(user.email),
      employeeNo: trimmed(user.employeeNo),
      passwordHash: null,
      disabled: false,
      source: trimmed(user.source) ?? 'api',
      createTime: now,
      updateTime: now,
    };
  });
  await insertRows(manager, UserEntity, rows);
  return rows.map(toLocalUser);
}
