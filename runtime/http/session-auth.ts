/**
 * Who is calling: a session token from the `Authorization: Bearer` header or the HttpOnly
 * `jit_session` cookie (the header wins when both are sent; cookies parsed by @fastify/cookie).
 * A session unused for `sessions.idleTimeout` seconds has ended; for the console (/admin and its API)
 * the shorter `sessions.adminIdleTimeout` applies, to those requests only. A live session's id goes into the
 * request context. A login in a browser that still holds another session ends that session: one
 * browser, one session, and a copy of the old cookie stops working.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import type { LocalUser, Session } from '../auth/types';
import { cookieOptions } from './cookie-policy';
import { requestContextOf } from './request-scope';

export const SESSION_COOKIE = 'jit_session';

/** Session tokens are base64url; anything else is not worth a database lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

export interface Caller {
  token: string;
  session: Session;
  user: LocalUser;
}

/** Whether the request authenticates with `Authorization: Bearer` (well-formed or not, the cookie is then ignored). */
export function hasBearerToken(request: FastifyRequest): boolean {
  const authorization = request.headers.authorization;
  return typeof authorization === 'string' && BEARER.test(authorization);
}

/** The session token of the `jit_session` cookie, or null. */
export function readCookieSessionToken(request: FastifyRequest): string | null {
  const fromCookie = request.cookies?.[SESSION_COOKIE];
  return fromCookie && TOKEN_SHAPE.test(fromCookie) ? fromCookie : null;
}

/** The token the request carries, or null. */
export function readSessionToken(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = BEARER.exec(authorization);
    if (match) return TOKEN_SHAPE.test(match[1]) ? match[1] : null;
  }
  return readCookieSessionToken(request);
}

/** One lookup per request, however many steps (CSRF token check, handler) ask. */
const callers = new WeakMap<FastifyRequest, Promise<Caller | null>>();

/** The live session and its enabled user, or null for no, unknown, expired, idle or revoked sessions. */
export function authenticate(app: AppHandle, request: FastifyRequest): Promise<Caller | null> {
  let caller = callers.get(request);
  if (!caller) {
    caller = lookUpCaller(app, request);
    callers.set(request, caller);
  }
  return caller;
}

async function lookUpCaller(app: AppHandle, request: FastifyRequest): Promise<Caller | null> {
  const token = readSessionToken(request);
  if (!token) return null;
  const session = await app.sessions.verify(token, { idleTimeoutSeconds: idleTimeoutFor(app, request) });
  if (!session) return null;
  const user = await app.users.findById(session.userId);
  if (!user || user.disabled) return null;
  requestContextOf(request).sessionId = session.id;
  return { token, session, user };
}

/** The console's address: /admin and everything under it. */
export function isConsolePath(url: string): boolean {
  return /^\/admin(?:[/?#]|$)/.test(url);
}

/** `sessions.adminIdleTimeout` for console requests (never longer than the general one), else `sessions.idleTimeout`. */
function idleTimeoutFor(app: AppHandle, request: FastifyRequest): number {
  const { idleTimeout, adminIdleTimeout } = app.settings.sessions;
  return isConsolePath(request.url) ? Math.min(adminIdleTimeout, idleTimeout) : idleTimeout;
}

/** The user as clients may see it: the store keeps password hashes elsewhere, but be explicit. */
export function publicUser(user: LocalUser): Record<string, unknown> {
  const { id, username, displayName, phone, email, employeeNo, disabled, source, createTime, updateTime } = user;
  return { id, username, displayName, phone, email, employeeNo, disabled, source, createTime, updateTime };
}

/**
 * A fresh login's session becomes the browser's: the session cookie is set (HttpOnly, SameSite=Lax,
 * Secure per the cookie rule) and the session the browser held before, if any, is revoked.
 */
export async function startBrowserSession(app: AppHandle, request: FastifyRequest, reply: FastifyReply, login: { token: string; expiresAt: Date }): Promise<void> {
  const previous = readCookieSessionToken(request);
  if (previous && previous !== login.token) await app.sessions.revoke(previous);
  const maxAge = (login.expiresAt.getTime() - Date.now()) / 1000;
  reply.setCookie(SESSION_COOKIE, login.token, cookieOptions(app, request, requestContextOf(request).publicOrigin, maxAge));
}

export function clearSessionCookie(app: AppHandle, request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(app, request, requestContextOf(request).publicOrigin));
}

/**
 * A login result a function returned: `{token, expiresAt}` (LOGGED_IN). The host turns it into
 * the session cookie.
 */
export function loginTokenOf(result: unknown): { token: string; expiresAt: Date } | null {
  if (!result || typeof result !== 'object') return null;
  const { token, expiresAt } = result as { token?: unknown; expiresAt?: unknown };
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return null;
  const expiry = expiresAt instanceof Date ? expiresAt : typeof expiresAt === 'string' || typeof expiresAt === 'number' ? new Date(expiresAt) : null;
  if (!expiry || Number.isNaN(expiry.getTime())) return null;
  return { token, expiresAt: expiry };
}
