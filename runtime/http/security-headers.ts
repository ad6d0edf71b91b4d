/**
 * Security headers. Every answer: nosniff, no framing, a strict referrer policy and, for anything
 * that is not a page, a CSP that allows nothing. Pages get a CSP with a per-response nonce for
 * their scripts plus the origins of the third-party login scripts and of the QR frame (DingTalk's
 * hosts in production, the simulator's origin under --sim): the QR frame is the only framed content.
 */
import { randomBytes } from 'crypto';
import type { FastifyReply } from 'fastify';

/** Where a page's third-party content may come from. */
export interface PageOrigins {
  /** Origins of external scripts (DingTalk's CDN or the simulator). */
  scripts: string[];
  /** Origins the QR frame loads from (DingTalk's login host or the simulator). */
  frames: string[];
  /** Origins page scripts may fetch from besides 'self' (the simulator's stand-ins call it). */
  connect: string[];
}

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

/** What every answer carries (pages replace the CSP with their own). */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The QR frame checks that it is embedded by the redirect_uri's origin; the origin is enough.
  'referrer-policy': 'strict-origin-when-cross-origin',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
});

export function setBaseSecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) reply.header(name, value);
}

export function setPageSecurityHeaders(reply: FastifyReply, nonce: string, origins: PageOrigins): void {
  const list = (values: string[]) => [...new Set(values)].join(' ');
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' ${list(origins.scripts)}`.trim(),
    // DingTalk's frame script sizes its iframe with inline styles it writes itself.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    `frame-src ${list(origins.frames) || "'none'"}`,
    `connect-src 'self' ${list(origins.connect)}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  reply.header('content-security-policy', directives.join('; '));
  reply.header('cache-control', 'no-store');
}
