/**
 * Opaque bearer secrets (session tokens, ticket ids): 32 random bytes, base64url. Only their SHA-256
 * is stored, so a copy of the database does not hand out live sessions or tickets.
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
/** Longer input is not one of ours; refusing it early keeps hashing cheap. */
const MAX_TOKEN_LENGTH = 256;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** SHA-256 hex of a token, as stored. `scope` separates hashes of different uses of one value. */
export function hashToken(token: string, scope?: string): string {
  const hash = createHash('sha256');
  if (scope !== undefined) hash.update(scope).update('\u0000');
  return hash.update(token).digest('hex');
}

/** True for a value that could be a token we issued (a non-empty string of sane length). */
export function isTokenShaped(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TOKEN_LENGTH;
}
