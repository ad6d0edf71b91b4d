/**
 * Who is an administrator of the host: a signed-in session whose user is listed in app.json `admins`
 * by username (read per request, so a removed admin loses access at once: DECISIONS "Sessions"), and
 * only a user no login or sync provisioned (DECISIONS #15: a DingTalk member is named
 * `dingtalk:<corpId>:<userid>`, never a bare username someone could be given by an organisation).
 *
 * The one place admin routes ask; the console generalises it (admin idle timeout, CSRF token).
 */
import type { FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import type { LocalUser } from '../auth/types';
import { authenticate, type Caller } from './session-auth';

/** Users created by a login or a sync of any element of the app (`login:<element>`, `sync:<element>`). */
const PROVISIONED_SOURCE = /^(login|sync):\S/;

export function isAdminUser(app: AppHandle, user: Pick<LocalUser, 'username' | 'source' | 'disabled'>): boolean {
  return !user.disabled && !PROVISIONED_SOURCE.test(user.source) && app.settings.admins.includes(user.username);
}

/** The caller when the request is an administrator's; null otherwise (no session, or not an admin). */
export async function adminCaller(app: AppHandle, request: FastifyRequest): Promise<{ caller: Caller | null; admin: boolean }> {
  const caller = await authenticate(app, request);
  return { caller, admin: caller !== null && isAdminUser(app, caller.user) };
}

export async function isAdminRequest(app: AppHandle, request: FastifyRequest): Promise<boolean> {
  return (await adminCaller(app, request)).admin;
}
