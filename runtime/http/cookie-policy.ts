/**
 * The attributes of every cookie the host sets: HttpOnly (no script reads it), SameSite=Lax (no
 * cross-site subrequest carries it), Path=/, and Secure per `sessions.secureCookies`: `auto` marks
 * cookies Secure when the public URL is https or the request came over https (after the proxy
 * rules); true or false force it.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';

export function secureCookies(app: AppHandle, request: FastifyRequest, publicOrigin: string | undefined): boolean {
  const setting = app.settings.sessions.secureCookies;
  if (typeof setting === 'boolean') return setting;
  return publicOrigin?.startsWith('https:') === true || request.protocol === 'https';
}

/** Options for `reply.setCookie`; `maxAgeSeconds` undefined makes a cookie that ends with the browser session. */
export function cookieOptions(app: AppHandle, request: FastifyRequest, publicOrigin: string | undefined, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(app, request, publicOrigin),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: Math.max(0, Math.floor(maxAgeSeconds)) }),
  };
}
