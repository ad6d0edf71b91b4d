/**
 * Where a sign-in comes back to. `/login?next=/admin` takes a same-origin path (only a path: one `/`
 * and no scheme or host, so no open redirect). The page hands it to the panels (the QR frame and
 * the password form follow it in the browser), and remembers it in a short-lived HttpOnly cookie of
 * this browser for the full-page redirect flow, whose callback (a DingTalk redirect) carries none:
 * the callback sends the browser there after a successful sign-in and forgets it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import { cookieOptions } from './cookie-policy';
import { requestContextOf } from './request-scope';

export const RETURN_PATH_COOKIE = 'jit_next';
/** Long enough to scan a code and pick an organisation; a stale one only ever names a page of this host. */
const RETURN_PATH_MAX_AGE_SECONDS = 10 * 60;

/** Only same-origin paths: `/x`, never `//host` or `/\host` (open redirects), nothing but a path. */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 1024) return null;
  return /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : null;
}

/** Remembers `next` for this browser's redirect sign-in, or forgets an older one when there is none. */
export function rememberReturnPath(app: AppHandle, request: FastifyRequest, reply: FastifyReply, next: string | null): void {
  const options = cookieOptions(app, request, requestContextOf(request).publicOrigin, RETURN_PATH_MAX_AGE_SECONDS);
  if (next) reply.setCookie(RETURN_PATH_COOKIE, next, options);
  else if (request.cookies?.[RETURN_PATH_COOKIE] !== undefined) reply.clearCookie(RETURN_PATH_COOKIE, options);
}

/** The remembered return path (checked again), or null. */
export function rememberedReturnPath(request: FastifyRequest): string | null {
  return safeNext(request.cookies?.[RETURN_PATH_COOKIE]);
}

/** The remembered return path, forgotten as it is taken. */
export function takeReturnPath(app: AppHandle, request: FastifyRequest, reply: FastifyReply): string | null {
  const next = rememberedReturnPath(request);
  if (request.cookies?.[RETURN_PATH_COOKIE] !== undefined) reply.clearCookie(RETURN_PATH_COOKIE, cookieOptions(app, request, requestContextOf(request).publicOrigin));
  return next;
}
