/**
 * The origin people reach the host at: `jit serve --public-url` (wins), else app.json `publicUrl`.
 * The QR redirect URI, the Origin check of state-changing requests, Secure cookies and HSTS derive
 * from it. Unset, each request's own origin (scheme after the proxy rules, Host) stands in for it.
 */
import type { FastifyRequest } from 'fastify';
import type { AppHandle } from '../app-types';

/** The origin of an http(s) URL with no path, query or fragment; throws an Error saying what is wrong. */
export function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--public-url: "${value}" is not a URL; give the origin people reach the host at, e.g. https://hr.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--public-url: "${value}" must start with https:// (or http://)`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new Error(`--public-url: "${value}" must be an origin only (scheme and host, no path, query or credentials), e.g. ${url.origin}`);
  }
  return url.origin;
}

/** The configured public origin (flag, then app.json), or undefined. Read per request: app.json may be reloaded. */
export function configuredPublicOrigin(app: AppHandle, flag: string | undefined): string | undefined {
  if (flag) return flag;
  const setting = app.settings.publicUrl;
  if (!setting) return undefined;
  try {
    return new URL(setting).origin;
  } catch {
    return undefined;
  }
}

/** The origin this request was addressed to, as the browser saw it (after the proxy rules). */
export function requestOrigin(request: FastifyRequest): string | null {
  const host = request.host;
  if (!host) return null;
  try {
    return new URL(`${request.protocol}://${host}`).origin;
  } catch {
    return null;
  }
}

/** The host's own origin for this request: the configured one, else the request's. */
export function ownOrigin(request: FastifyRequest, configured: string | undefined): string | null {
  return configured ?? requestOrigin(request);
}

/** Whether the host is served over https for this request (publicUrl https, or the request came over https). */
export function servedOverHttps(request: FastifyRequest, configured: string | undefined): boolean {
  return configured?.startsWith('https:') === true || request.protocol === 'https';
}
