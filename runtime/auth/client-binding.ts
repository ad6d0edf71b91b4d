/**
 * Binding a one-time value (a login state, a bind ticket) to the client it was issued to, so that
 * the value is useless anywhere else: a ticket or state copied into a link and opened by someone
 * else proves nothing there.
 *
 * The client is known by a secret only it holds: over HTTP the browser key (an HttpOnly SameSite
 * cookie the host sets; `currentRequestContext().browserKey`), which page scripts cannot read, so a
 * person cannot hand it on by copying a link. The value keeps only a digest of that key; the check
 * compares the digest of the key presented with it.
 *
 * A library caller outside any browser either sets a key of its own for the call
 * (`withRequestContext({ browserKey }, fn)`) or, where a value must be bound and there is no key,
 * is handed a fresh one (`issueClientBinding`) to present later. Such a caller must keep that key
 * where the person cannot copy it (an HttpOnly cookie, its own server-side session): handing it to
 * the person together with the value would undo the binding.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { currentRequestContext } from '../request-context';

const DIGEST_LABEL = 'jit-client-key-v1';
/** A client key is 32 random bytes (base64url: 43 characters); anything much longer is not one. */
const MAX_KEY_LENGTH = 256;

/** The digest a value keeps of its client's key: SHA-256 under a label, base64url. */
export function clientKeyDigest(key: string): string {
  return createHash('sha256').update(DIGEST_LABEL).update('\u0000').update(key).digest('base64url');
}

/** The key the caller presents: the one given explicitly, else the request's browser key, else none. */
export function presentedClientKey(explicit?: unknown): string | undefined {
  if (isKeyShaped(explicit)) return explicit;
  const fromRequest = currentRequestContext().browserKey;
  return isKeyShaped(fromRequest) ? fromRequest : undefined;
}

export interface ClientBinding {
  /** What the value keeps (never the key itself). */
  digest: string;
  /**
   * Set only when the caller had no key: a fresh one, which the caller must present to use the
   * value (and must keep out of the person's reach; see the file comment).
   */
  handedBack?: string;
}

/** Binds a value about to be issued to the caller's key, minting one when there is none. */
export function issueClientBinding(explicit?: unknown): ClientBinding {
  const key = presentedClientKey(explicit);
  if (key) return { digest: clientKeyDigest(key) };
  const fresh = randomBytes(32).toString('base64url');
  return { digest: clientKeyDigest(fresh), handedBack: fresh };
}

/**
 * True when the presented key is the one the value was bound to. `bound` null or undefined: the
 * value was issued to a caller without a key, and only a caller without one may use it (never a
 * browser: every browser request carries a key).
 */
export function isSameClient(bound: string | null | undefined, presented: string | undefined): boolean {
  if (bound === null || bound === undefined || bound === '') return presented === undefined;
  if (presented === undefined) return false;
  const expected = Buffer.from(bound);
  const given = Buffer.from(clientKeyDigest(presented));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function isKeyShaped(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_LENGTH;
}
