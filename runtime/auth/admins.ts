/**
 * Who is an administrator (may use /admin), decided per request and never stored on the session, so
 * a removed admin loses the console at once (DECISIONS "Sessions"):
 *   - app.json `admins`: a local username, which matches only a user no login or sync provisioned
 *     (source not `login:` or `sync:`: otherwise whoever first signs in with a DingTalk account
 *     named like an admin would become one), or `<prefix>:<rest>`, resolved to a local user by the
 *     resolver an element family registered for that prefix (the DingTalk login registers
 *     `dingtalk:<corpId>:<userid>`: the user bound to that member through an active binding), so
 *     the runtime stays DingTalk-free;
 *   - or a grant in the database (`jit users grant-admin`, see admin-grants.ts).
 * A disabled user is never an admin.
 */
import type { AppHandle } from '../app-types';
import { isGrantedAdmin } from './admin-grants';
import type { LocalUser } from './types';

/** Resolves the part after `<prefix>:` of an `admins` entry to the local user id it names, or null. */
export type AdminResolver = (app: AppHandle, rest: string) => Promise<string | null>;

export interface AdminDecision {
  admin: boolean;
  /** Why: the app.json entry that named them, or 'grant'; null when not an admin. */
  via: string | null;
}

const PREFIXED = /^([a-z][a-z0-9-]*):(.+)$/;

/** True for a user a login or an org sync created (DECISIONS #22 "we provisioned"). */
export function isProvisionedUser(user: Pick<LocalUser, 'source'>): boolean {
  return /^(login|sync):/.test(user.source);
}

/** Whether `user` is an administrator now, and why. */
export async function decideAdmin(app: AppHandle, user: LocalUser, resolvers: ReadonlyMap<string, AdminResolver>): Promise<AdminDecision> {
  if (user.disabled) return { admin: false, via: null };
  const prefixed: Array<{ entry: string; resolver: AdminResolver; rest: string }> = [];
  for (const entry of app.settings.admins) {
    const match = PREFIXED.exec(entry);
    const resolver = match ? resolvers.get(match[1]) : undefined;
    if (match && resolver) prefixed.push({ entry, resolver, rest: match[2] });
    else if (entry === user.username && !isProvisionedUser(user)) return { admin: true, via: entry };
  }
  if (await isGrantedAdmin(app.db, user.id)) return { admin: true, via: 'grant' };
  for (const { entry, resolver, rest } of prefixed) {
    if ((await resolver(app, rest)) === user.id) return { admin: true, via: entry };
  }
  return { admin: false, via: null };
}

