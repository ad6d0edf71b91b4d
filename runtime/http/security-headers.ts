/**
 * Security headers, through @fastify/helmet. Every answer: nosniff, no framing (X-Frame-Options and
 * frame-ancestors), a strict referrer policy, helmet's cross-origin isolation headers and, for
 * anything that is not a page, a CSP that allows nothing. Pages get a CSP with a fresh nonce per
 * answer for their scripts (and for any <style> a panel adds), stylesheets from the host only (no
 * 'unsafe-inline': a panel's third-party script must size its frame with attributes, not inline
 * styles), and the images, frames and third-party scripts the app's login Types declare
 * (page-needs.ts; the DingTalk login's: its avatar CDN, its QR frame's host, its two scripts). HSTS is added per request when the host is served over
 * https (the public URL is https, or the request came over https after the proxy rules).
 */
import { randomBytes } from 'crypto';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyReply } from 'fastify';

/** Where a page's third-party content may come from. */
export interface PageOrigins {
  /** The external scripts, as exact URLs (a vendor's CDN, a mirror, or a simulator's stand-ins). */
  scripts: string[];
  /** Origins a panel's frame loads from (a QR frame's host, or a simulator). */
  frames: string[];
  /** Origins page scripts may fetch from besides 'self' (the simulator's stand-ins call it). */
  connect: string[];
  /** Origins of images besides 'self' (an avatar CDN). */
  images: string[];
}

/** One year, without includeSubDomains: the host decides for its own origin, not for its siblings'. */
export const HSTS_VALUE = 'max-age=31536000';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The origin of a URL, or null when it is not an absolute http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

const API_CSP_DIRECTIVES = { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"], 'base-uri': ["'none'"] };

/** The host-wide helmet configuration: the headers of every answer (pages then replace the CSP). */
export const HELMET_OPTIONS: FastifyHelmetOptions = Object.freeze({
  global: true,
  contentSecurityPolicy: { useDefaults: false, directives: API_CSP_DIRECTIVES },
  xFrameOptions: { action: 'deny' },
  // The QR frame checks that it is embedded by the redirect_uri's origin; the origin is enough.
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  // Decided per request (only over https); see HSTS_VALUE.
  strictTransportSecurity: false,
}) as FastifyHelmetOptions;

/**
 * What an answer written by hand on the raw socket carries (Node's parser errors, routing errors
 * before the hooks ran): the same framing, sniffing, referrer and CSP rules.
 */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
});

export function setBaseSecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) reply.header(name, value);
}

export function pageDirectives(nonce: string, origins: PageOrigins): Record<string, string[]> {
  const unique = (values: string[]) => [...new Set(values)];
  return {
    'default-src': ["'self'"],
    'script-src': unique(["'self'", `'nonce-${nonce}'`, ...origins.scripts]),
    'style-src': ["'self'", `'nonce-${nonce}'`],
    'img-src': unique(["'self'", ...origins.images]),
    'frame-src': origins.frames.length ? unique(origins.frames) : ["'none'"],
    'connect-src': unique(["'self'", ...origins.connect]),
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** A page's headers: helmet again with the page's CSP, and no caching (pages carry a nonce and who is signed in). */
export function setPageSecurityHeaders(reply: FastifyReply, nonce: string, origins: PageOrigins): void {
  reply.helmet({ contentSecurityPolicy: { useDefaults: false, directives: pageDirectives(nonce, origins) } });
  reply.header('cache-control', 'no-store');
}
