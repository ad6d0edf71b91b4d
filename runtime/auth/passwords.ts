/**
 * Password hashing: salted scrypt (node:crypto) in a self-describing string
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url), so the cost can be raised later without
 * invalidating stored hashes.
 *
 * Cost: N=16384 (2^14), r=8, p=1, 32-byte key, 16-byte salt: 16 MiB of memory and about 40 ms per
 * hash on the 2-core build machine (N=2^15 took about 90 ms), inside the 50 ms budget for a login.
 * The work runs on libuv's thread pool (async scrypt), not on the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { JitError } from '../errors';

export const SCRYPT_COST = Object.freeze({ N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 });

/** Upper bounds for parameters read from a stored hash, so a corrupt row cannot exhaust memory. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string' || password.length === 0) {
    throw new JitError('BAD_REQUEST', 'A password must be a non-empty string');
  }
  const { N, r, p, keyLength, saltLength } = SCRYPT_COST;
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, keyLength, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check of a password against a stored hash; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || typeof password !== 'string') {
    await spendVerificationTime(String(password));
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.hash.length, parsed.options);
  return timingSafeEqual(key, parsed.hash);
}

/**
 * Does the work of one verification and throws the result away: called when there is no user or no
 * stored hash, so the response time does not tell who has an account.
 */
export async function spendVerificationTime(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(password || ' ', await dummyHash);
}
let dummyHash: Promise<string> | undefined;

interface ParsedHash {
  options: ScryptOptions;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  if (typeof stored !== 'string') return null;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const validN = Number.isInteger(N) && N > 1 && N <= MAX_N && (N & (N - 1)) === 0;
  if (!validN || !Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P) return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const hash = Buffer.from(parts[5], 'base64url');
  if (salt.length === 0 || hash.length < 16) return null;
  return { options: { N, r, p }, salt, hash };
}

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  const N = options.N ?? SCRYPT_COST.N;
  const r = options.r ?? SCRYPT_COST.r;
  // scrypt needs about 128 * N * r bytes; Node refuses above maxmem (32 MiB by default).
  const maxmem = 256 * N * r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
