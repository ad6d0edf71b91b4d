/**
 * What may go into an audit row's details. An audit trail is read by more people, and kept far
 * longer, than the secrets it could leak would stay valid, so the store itself enforces it (callers
 * cannot forget): keys that name a secret or a one-time value are dropped whole, wherever they are
 * nested, and every secret the runtime has registered is masked in what remains. Sizes are capped,
 * so one caller cannot fill the table with a large object.
 */
import { redactSecrets } from '../secrets';

/** Keys (lower case, letters and digits only) that are never kept: the value itself is the secret. */
const SECRET_KEYS = new Set([
  'code',
  'authcode',
  'tmpauthcode',
  'state',
  'loginstate',
  'oauthstate',
  'token',
  'ticket',
  'password',
  'passwd',
  'pwd',
  'secret',
  'verificationcode',
  'otp',
  'cookie',
  'authorization',
  'browserkey',
  'signature',
]);

/** Key endings that name a secret: accessToken, bindTicket, appSecret, passwordHash, smsCode, ... */
const SECRET_KEY_ENDINGS = ['token', 'ticket', 'secret', 'password', 'hash', 'cookie', 'apikey', 'credential', 'credentials', 'privatekey', 'code'];

/** Keys ending in "code" that hold an error or status code, not a one-time value. */
const HARMLESS_CODE_KEYS = new Set(['errorcode', 'errcode', 'statuscode', 'subcode', 'outcomecode']);

const MAX_DEPTH = 5;
const MAX_ARRAY_ITEMS = 100;
const MAX_KEYS = 100;
const MAX_STRING = 1000;
/** The largest details text stored; larger details keep only their top-level key names. */
export const MAX_DETAILS_LENGTH = 8192;

/** True when a details key names a secret or one-time value (and is dropped). */
export function isSecretKey(key: string): boolean {
  const normal = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (SECRET_KEYS.has(normal)) return true;
  if (HARMLESS_CODE_KEYS.has(normal)) return false;
  return SECRET_KEY_ENDINGS.some((ending) => normal.endsWith(ending));
}

/** The details as stored: JSON text without secrets, or null when nothing is left. */
export function sanitizeDetails(details: Record<string, unknown> | null | undefined): string | null {
  if (!details || typeof details !== 'object') return null;
  const clean = cleanValue(details, 0, new WeakSet());
  if (!clean || typeof clean !== 'object' || Object.keys(clean).length === 0) return null;
  let text = redactSecrets(JSON.stringify(clean));
  if (text.length > MAX_DETAILS_LENGTH) {
    text = redactSecrets(JSON.stringify({ truncated: true, keys: Object.keys(clean).slice(0, 20) }));
  }
  return text;
}

/** A free-text column value (user agent, ...) with registered secrets masked and its length capped. */
export function sanitizeText(value: string | null | undefined, maxLength: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  return redactSecrets(String(value)).slice(0, maxLength);
}

function cleanValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return cleanString(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // functions, symbols, undefined
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  // An error's message may quote user input or a token: keep what kind of error it was.
  if (value instanceof Error) {
    const { code } = value as Error & { code?: unknown };
    return typeof code === 'string' ? { name: value.name, code } : { name: value.name };
  }
  if (seen.has(value as object)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value as object);
  try {
    if (Array.isArray(value)) return value.slice(0, MAX_ARRAY_ITEMS).map((item) => cleanValue(item, depth + 1, seen) ?? null);
    const out: Record<string, unknown> = {};
    let kept = 0;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (isSecretKey(key)) continue;
      const clean = cleanValue(inner, depth + 1, seen);
      if (clean === undefined) continue;
      out[cleanString(key)] = clean;
      if (++kept >= MAX_KEYS) break;
    }
    return out;
  } finally {
    seen.delete(value as object);
  }
}

function cleanString(value: string): string {
  const redacted = redactSecrets(value);
  return redacted.length > MAX_STRING ? `${redacted.slice(0, MAX_STRING)}…` : redacted;
}

