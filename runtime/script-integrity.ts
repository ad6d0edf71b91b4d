/**
 * Subresource integrity (SRI) for the third-party scripts a page loads (issue #20 item 6): the
 * browser hashes the bytes it received and runs the script only when the hash is the one the page
 * named in `integrity`, so a tampered CDN or mirror cannot run its own code in our pages.
 *
 * A token is `sha256-`, `sha384-` or `sha512-` and the digest in standard base64 (what
 * `openssl dgst -sha384 -binary file | openssl base64 -A` prints): exactly the digest's length, so
 * a cut or mistyped hash is caught when app.json is read, not by every browser refusing the script.
 */
import { createHash } from 'node:crypto';

export type SriAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** One SRI token. schemas/dingtalk.settings.json (`scriptIntegrity`) carries the same pattern. */
export const SRI_TOKEN_PATTERN = /^(sha256-[A-Za-z0-9+/]{43}=|sha384-[A-Za-z0-9+/]{64}|sha512-[A-Za-z0-9+/]{86}==)$/;

export function isSriToken(value: unknown): value is string {
  return typeof value === 'string' && SRI_TOKEN_PATTERN.test(value);
}

/** The SRI token of some bytes (sha384 by default, what SRI's own examples and most CDNs use). */
export function sriHash(bytes: Uint8Array | string, algorithm: SriAlgorithm = 'sha384'): string {
  return `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;
}
