/**
 * The browser key: 32 random bytes in an HttpOnly, SameSite=Lax cookie that names one browser.
 * Login states and bind tickets keep its digest and are refused when they come back from another
 * browser; the CSRF token derives from it. The host puts it into the request context of every
 * request that carries one, and sets it when absent on page loads and on the login functions, so a
 * browser's first login call already has one.
 */
import { randomBytes } from 'crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import type { RequestContext } from '../request-context';
import { cookieOptions } from './cookie-policy';

export const BROWSER_KEY_COOKIE = 'jit_browser';
/** A year: the key only names the browser; what it guards (states, tickets, sessions) expires on its own. */
const BROWSER_KEY_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
/** 32 bytes, base64url. */
const BROWSER_KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The browser key the request carries, when it is one the host could have minted. */
export function readBrowserKey(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[BROWSER_KEY_COOKIE];
  return value && BROWSER_KEY_SHAPE.test(value) ? value : undefined;
}

/**
 * The request's browser key, minting and setting one when it has none. The new key goes into
 * `context` at once, so the call under way already runs with it.
 */
export function ensureBrowserKey(app: AppHandle, request: FastifyRequest, reply: FastifyReply, context: RequestContext): string {
  if (context.browserKey) return context.browserKey;
  const key = randomBytes(32).toString('base64url');
  reply.setCookie(BROWSER_KEY_COOKIE, key, cookieOptions(app, request, context.publicOrigin, BROWSER_KEY_MAX_AGE_SECONDS));
  context.browserKey = key;
  return key;
}
