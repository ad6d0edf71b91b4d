/**
 * The console's user search: a part of the username, name or email (any case), a phone number
 * written any way people write it, or the exact id of a bound account (a DingTalk userid or unionId,
 * through the families' console contributions). An empty search lists the newest accounts.
 */
import type { AppHandle } from '../app-types';
import { normalizePhone } from '../auth/phone';
import type { LocalUser } from '../auth/types';
import { consoleAccounts } from '../contributions';
import { UserEntity, type UserRow } from '../db/core-models';

export const SEARCH_LIMIT = 50;

export async function searchUsers(app: AppHandle, term: string): Promise<LocalUser[]> {
  const wanted = term.trim().slice(0, 128);
  if (wanted === '') return newestUsers(app);
  const like = `%${escapeLike(wanted.toLowerCase())}%`;
  const phone = normalizePhone(wanted);
  const rows = await app.db.run((m) => {
    const select = m
      .createQueryBuilder(UserEntity, 'u')
      .where(`LOWER(u.username) LIKE :like ESCAPE '\\'`, { like })
      .orWhere(`LOWER(u.displayName) LIKE :like ESCAPE '\\'`, { like })
      .orWhere(`LOWER(u.email) LIKE :like ESCAPE '\\'`, { like });
    if (phone && /\d{3,}/.test(phone)) select.orWhere(`u.phone LIKE :phone ESCAPE '\\'`, { phone: `%${escapeLike(phone)}%` });
    return select.orderBy('u.username', 'ASC').limit(SEARCH_LIMIT).getMany();
  });
  const found = new Map<string, LocalUser>(rows.map((row) => [row.id, toUser(row)]));
  for (const accounts of consoleAccounts(app)) {
    if (!accounts.findUserIds || found.size >= SEARCH_LIMIT) continue;
    for (const id of await accounts.findUserIds(app, wanted)) {
      if (found.has(id)) continue;
      const user = await app.users.findById(id);
      if (user) found.set(id, user);
    }
  }
  return [...found.values()].slice(0, SEARCH_LIMIT);
}

async function newestUsers(app: AppHandle): Promise<LocalUser[]> {
  const rows = await app.db.run((m) => m.find(UserEntity, { order: { createTime: 'DESC', username: 'ASC' }, take: SEARCH_LIMIT }));
  return rows.map(toUser);
}

function toUser(row: UserRow): LocalUser {
  const { passwordHash: _never, ...user } = row;
  return { ...user, disabled: Boolean(user.disabled) };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
