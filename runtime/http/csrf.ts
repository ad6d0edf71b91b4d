/**
 * Cross-site request forgery. State-changing calls are JSON-only (host.ts), which already keeps
 * cross-site forms out; on top of that every state-changing request (POST, PUT, PATCH, DELETE) a
 * browser sends must come from the host's own origin (the public URL, or the request's own origin
 * when none is configured) or one of `security.allowedOrigins`:
 *   - `Origin` decides when present (`null`, a sibling subdomain, another port: refused; without a
 *     public URL only the host and port are compared, see sameHostAnyScheme);
 *   - else `Sec-Fetch-Site` (same-origin or none pass; same-site, i.e. a sibling subdomain, and
 *     cross-site are refused);
 *   - else the caller is not a browser (curl, a server) and cannot have been tricked: allowed.
 * A call authenticated by `Authorization: Bearer` is exempt: no browser attaches that on its own.
 *
 * For forms and the console there is also a token: `csrfTokenFor(browserKey, sessionId)` (an HMAC
 * keyed by the HttpOnly browser key, so only pages of this host can learn it, and bound to the
 * session, so a key planted from a sibling subdomain yields no token for the victim's session). A
 * route declared with `config: { csrfToken: true }` refuses cookie-authenticated calls without
 * the right `x-csrf-token` header.
 */
import { createHmac, timingSafeEqual } from 'crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';
import { JitError } from '../errors';
import { ownOrigin } from './public-origin';
import { requestContextOf } from './request-scope';
import { authenticate, hasBearerToken } from './session-auth';

export const CSRF_TOKEN_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Cookie-authenticated calls must send the session's CSRF token in `x-csrf-token`. */
    csrfToken?: boolean;
  }
}

/** The CSRF token of one session in one browser. */
export function csrfTokenFor(browserKey: string, sessionId: string): string {
  return createHmac('sha256', browserKey).update(`jit-csrf\0${sessionId}`).digest('base64url');
}

/**
 * The CSRF token for the request under way, for a page of a signed-in user to embed (and send back
 * in `x-csrf-token`); null without a live session or a browser key.
 */
export async function mintCsrfToken(app: AppHandle, request: FastifyRequest): Promise<string | null> {
  await authenticate(app, request);
  const { browserKey, sessionId } = requestContextOf(request);
  return browserKey && sessionId ? csrfTokenFor(browserKey, sessionId) : null;
}

/** Why a request is cross-site, or null when it may go ahead. */
export function crossSiteReason(request: FastifyRequest, publicOrigin: string | undefined, allowedOrigins: readonly string[]): string | null {
  if (!STATE_CHANGING.has(request.method) || hasBearerToken(request)) return null;
  const origin = request.headers.origin;
  if (typeof origin === 'string') {
    const own = ownOrigin(request, publicOrigin);
    if (origin !== 'null' && (origin === own || allowedOrigins.includes(origin))) return null;
    if (!publicOrigin && origin !== 'null' && sameHostAnyScheme(origin, request.host)) return null;
    return `Origin ${origin.slice(0, 200)} is not this host's (${own ?? 'unknown'})`;
  }
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    return site === 'same-origin' || site === 'none' ? null : `Sec-Fetch-Site is ${site.slice(0, 40)}`;
  }
  return null;
}

/** Refuses cross-site state-changing requests, and token-guarded routes called without their token. */
export function registerCsrfCheck(fastify: FastifyInstance, app: AppHandle): void {
  fastify.addHook('onRequest', async (request) => {
    const context = requestContextOf(request);
    const reason = crossSiteReason(request, context.publicOrigin, app.settings.security.allowedOrigins);
    if (reason) {
      throw new JitError('CSRF_REJECTED', 'This request came from another site and was refused. Use the app\'s own pages.', { reason });
    }
    if (request.routeOptions.config?.csrfToken && STATE_CHANGING.has(request.method) && !hasBearerToken(request)) {
      await requireCsrfToken(app, request);
    }
  });
}

async function requireCsrfToken(app: AppHandle, request: FastifyRequest): Promise<void> {
  if (!(await authenticate(app, request))) return; // no live session: the route's own login check answers
  const expected = await mintCsrfToken(app, request);
  const given = request.headers[CSRF_TOKEN_HEADER];
  if (!expected || typeof given !== 'string' || !sameText(given, expected)) {
    throw new JitError('CSRF_REJECTED', `Send the page's CSRF token in the ${CSRF_TOKEN_HEADER} header (reload the page to get a fresh one).`);
  }
}

/**
 * Without a public URL the host cannot know its scheme when a proxy terminates TLS and is not
 * trusted (it sees http, the browser says https): the host and port decide then. Set publicUrl to
 * make the scheme count too.
 */
function sameHostAnyScheme(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const given = new URL(origin);
    if (given.protocol !== 'http:' && given.protocol !== 'https:') return false;
    return new URL(`${given.protocol}//${host}`).host === given.host;
  } catch {
    return false;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
