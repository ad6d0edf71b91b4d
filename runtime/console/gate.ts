/**
 * Who may use the console, per request: an administrator (runtime/auth/admins.ts decides, never the
 * session) with a live session under `sessions.adminIdleTimeout` (session-auth.ts applies it to
 * every /admin request). A page asked for anonymously sends the browser to sign in and back
 * (`/login?next=<this page>`); a signed-in non-admin gets a 403 page. The API answers 401
 * LOGIN_REQUIRED and 403 ADMIN_REQUIRED instead.
 */
import type { FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import { decideAdmin } from '../auth/admins';
import { adminResolvers } from '../contributions';
import { JitError } from '../errors';
import { safeNext } from '../http/return-path';
import { authenticate, type Caller } from '../http/session-auth';

export type ConsoleAccess =
  | { kind: 'admin'; caller: Caller; via: string }
  | { kind: 'anonymous' }
  | { kind: 'forbidden'; caller: Caller };

export async function consoleAccess(app: AppHandle, request: FastifyRequest): Promise<ConsoleAccess> {
  const caller = await authenticate(app, request);
  if (!caller) return { kind: 'anonymous' };
  const decision = await decideAdmin(app, caller.user, adminResolvers(app));
  return decision.admin ? { kind: 'admin', caller, via: decision.via ?? '' } : { kind: 'forbidden', caller };
}

/** The signed-in admin behind an API call; LOGIN_REQUIRED or ADMIN_REQUIRED otherwise. */
export async function requireAdmin(app: AppHandle, request: FastifyRequest): Promise<Caller> {
  const access = await consoleAccess(app, request);
  if (access.kind === 'anonymous') throw new JitError('LOGIN_REQUIRED', 'Sign in as an administrator to use the console (your session may have been idle too long).');
  if (access.kind === 'forbidden') throw new JitError('ADMIN_REQUIRED', 'Only the app\'s administrators may use the console.');
  return access.caller;
}

/** Where an anonymous visitor of a console page signs in: back to that page afterwards. */
export function signInAddress(request: FastifyRequest): string {
  const back = safeNext(request.url) ?? '/admin';
  return `/login?next=${encodeURIComponent(back)}`;
}

/** What an admin action records in its audit row's details: who did it, from where. */
export function consoleActor(caller: Caller): { via: 'console'; adminUserId: string; adminUsername: string } {
  return { via: 'console', adminUserId: caller.user.id, adminUsername: caller.user.username };
}
