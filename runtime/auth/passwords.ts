/**
 * Password hashing: salted scrypt (node:crypto) in a self-describing string
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url), so the cost can be raised without
 * invalidating stored hashes: a hash weaker than the current cost is replaced on the account's next
 * successful sign-in (`needsRehash`, used by the user store).
 *
 * Cost: N=2^17, r=8, p=1 (OWASP's scrypt advice), 32-byte key, 16-byte salt: 128 MiB of memory and
 * about 270 ms per hash on the 2-core build machine. It is a setting: `JIT_SCRYPT_N` (a power of
 * two, 2^10 to 2^20) or `loadApp({ passwordCost })`; the test suite lowers it to stay fast.
 *
 * The work runs on libuv's thread pool (async scrypt), not on the event loop. That pool is shared
 * with file access, DNS lookups and the SQLite driver, so at most half of it hashes at once
 * (`PasswordGate`): a password spray queues behind itself and cannot stall DingTalk logins, and a
 * queue that grows too long is answered RATE_LIMITED at once rather than held.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { JitError } from '../errors';

export interface PasswordCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** The recommended cost (and the default unless JIT_SCRYPT_N or loadApp's passwordCost says otherwise). */
export const SCRYPT_COST = Object.freeze({ N: 1 << 17, r: 8, p: 1, keyLength: 32, saltLength: 16 });
export const PASSWORD_COST_ENV = 'JIT_SCRYPT_N';

/** Bounds for a configured cost and for parameters read from a stored hash (a corrupt row cannot exhaust memory). */
const MIN_N = 1 << 10;
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

/** The cost from `JIT_SCRYPT_N` when set (CONFIG_INVALID when it is not a power of two in range), else the default. */
export function passwordCostFromEnv(env: Record<string, string | undefined> = process.env): PasswordCost {
  const raw = env[PASSWORD_COST_ENV];
  if (raw === undefined || raw.trim() === '') return defaultCost();
  return checkedCost({ N: Number(raw.trim()), r: SCRYPT_COST.r, p: SCRYPT_COST.p }, PASSWORD_COST_ENV);
}

/** A cost given by a caller, checked; missing r or p take the defaults. */
export function checkedCost(cost: Partial<PasswordCost>, source = 'passwordCost'): PasswordCost {
  const N = cost.N ?? SCRYPT_COST.N;
  const r = cost.r ?? SCRYPT_COST.r;
  const p = cost.p ?? SCRYPT_COST.p;
  if (!isPowerOfTwo(N) || N < MIN_N || N > MAX_N) {
    throw new JitError('CONFIG_INVALID', `${source}: scrypt N must be a power of two from ${MIN_N} to ${MAX_N} (got ${String(cost.N)}); the recommended value is ${SCRYPT_COST.N}`);
  }
  if (!Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P) {
    throw new JitError('CONFIG_INVALID', `${source}: scrypt r must be 1..${MAX_R} and p 1..${MAX_P}`);
  }
  return Object.freeze({ N, r, p });
}

export async function hashPassword(password: string, cost: PasswordCost = passwordCostFromEnv()): Promise<string> {
  if (typeof password !== 'string' || password.length === 0) {
    throw new JitError('BAD_REQUEST', 'A password must be a non-empty string');
  }
  const { N, r, p } = cost;
  const salt = randomBytes(SCRYPT_COST.saltLength);
  const key = await derive(password, salt, SCRYPT_COST.keyLength, { N, r, p });
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

/** True when the stored hash is weaker than `cost` (or unreadable): it is replaced on the next successful sign-in. */
export function needsRehash(stored: string, cost: PasswordCost): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const { N = 0, r = 0, p = 0 } = parsed.options;
  return N < cost.N || r < cost.r || p < cost.p || parsed.hash.length < SCRYPT_COST.keyLength;
}

/**
 * Does the work of one verification and throws the result away: called when there is no user or no
 * stored hash, so the response time does not tell who has an account.
 */
export async function spendVerificationTime(password: string, cost: PasswordCost = passwordCostFromEnv()): Promise<void> {
  const key = `${cost.N}:${cost.r}:${cost.p}`;
  let dummy = dummyHashes.get(key);
  if (!dummy) {
    dummy = hashPassword(randomBytes(16).toString('base64url'), cost);
    dummyHashes.set(key, dummy);
  }
  await verifyPassword(password || ' ', await dummy);
}
const dummyHashes = new Map<string, Promise<string>>();

/**
 * At most `limit` hashes at once, the rest waiting in order; past `maxWaiting` waiting, RATE_LIMITED
 * at once. One per process: the thread pool it protects is the process's.
 */
export class PasswordGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly limit: number,
    readonly maxWaiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new JitError('RATE_LIMITED', 'The server is busy checking passwords; try again in a few seconds', { retryAfter: 5 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Hashes under way and waiting (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}

/** Half of libuv's pool (UV_THREADPOOL_SIZE, default 4), at least one. */
function defaultGateLimit(): number {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.floor(pool / 2));
}

/** The process's gate: every scrypt call of the runtime goes through it. */
export const passwordGate = new PasswordGate(defaultGateLimit(), 32);

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
  const validN = isPowerOfTwo(N) && N > 1 && N <= MAX_N;
  if (!validN || !Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P) return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const hash = Buffer.from(parts[5], 'base64url');
  if (salt.length === 0 || hash.length < 16) return null;
  return { options: { N, r, p }, salt, hash };
}

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  const N = options.N ?? SCRYPT_COST.N;
  const r = options.r ?? SCRYPT_COST.r;
  const p = options.p ?? SCRYPT_COST.p;
  // scrypt needs 128 * N * r bytes for its table plus 128 * r * p for its blocks; Node refuses
  // anything above maxmem (32 MiB by default), so allow exactly that plus a margin.
  const maxmem = 128 * N * r + 128 * r * p + 1024 * 1024;
  return passwordGate.run(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, keyLength, { N, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
      }),
  );
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

function defaultCost(): PasswordCost {
  return Object.freeze({ N: SCRYPT_COST.N, r: SCRYPT_COST.r, p: SCRYPT_COST.p });
}
