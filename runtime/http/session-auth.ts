/**
 * Who is calling: a session token from the `Authorization: Bearer` header or the HttpOnly
 * `jit_session` cookie (the header wins when both are sent). The Cookie header is parsed by hand:
 * one cookie matters and no plugin runs on Node 20.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import type { LocalUser, Session } from '../auth/types';

export const SESSION_COOKIE = 'jit_session';

/** Session tokens are base64url; anything else is not worth a database lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;

export interface Caller {
  token: string;
  session: Session;
  user: LocalUser;
}

/** Every `name=value` pair of a Cookie header; malformed pairs are skipped, never thrown on. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!name || cookies.has(name)) continue; // the first one is the most specific path
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/** The token the request carries, or null. */
export function readSessionToken(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return TOKEN_SHAPE.test(match[1]) ? match[1] : null;
  }
  const fromCookie = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
  return fromCookie && TOKEN_SHAPE.test(fromCookie) ? fromCookie : null;
}

/** The live session and its enabled user, or null for no, unknown, expired or revoked sessions. */
export async function authenticate(app: AppHandle, request: FastifyRequest): Promise<Caller | null> {
  const token = readSessionToken(request);
  if (!token) return null;
  const session = await app.sessions.verify(token);
  if (!session) return null;
  const user = await app.users.findById(session.userId);
  if (!user || user.disabled) return null;
  return { token, session, user };
}

/** The user as clients may see it: the store keeps password hashes elsewhere, but be explicit. */
export function publicUser(user: LocalUser): Record<string, unknown> {
  const { id, username, displayName, phone, email, employeeNo, disabled, source, createTime, updateTime } = user;
  return { id, username, displayName, phone, email, employeeNo, disabled, source, createTime, updateTime };
}

function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** Sets the session cookie for a fresh login: HttpOnly, SameSite=Lax, Secure over https. */
export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  const attributes = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAge}`];
  if (isHttps(request)) attributes.push('Secure');
  appendSetCookie(reply, attributes.join('; '));
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest): void {
  const attributes = [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0'];
  if (isHttps(request)) attributes.push('Secure');
  appendSetCookie(reply, attributes.join('; '));
}

function appendSetCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
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
