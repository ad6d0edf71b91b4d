/**
 * Secrets live in memory only. Every secret the runtime resolves (config values marked x-secret,
 * DingTalk tokens) is registered here, and every log line, error message and HTTP response body a
 * host writes can be passed through `redactSecrets` as a last line of defence.
 *
 * Secrets are registered on hot paths (each login registers its user token), so registering must be
 * O(1) and redacting must not grow with the number of secrets: they are indexed by their first
 * PREFIX_LENGTH characters, and redaction scans the text once, looking each window up in that index.
 */

/** Secrets shorter than this are not worth masking (and would mask ordinary words). */
const MIN_SECRET_LENGTH = 8;
const PREFIX_LENGTH = MIN_SECRET_LENGTH;
export const REDACTED = '[redacted]';

/** prefix -> the registered secrets starting with it, longest first (so the longest match wins). */
const byPrefix = new Map<string, string[]>();
let count = 0;

export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
  const prefix = value.slice(0, PREFIX_LENGTH);
  const bucket = byPrefix.get(prefix);
  if (!bucket) {
    byPrefix.set(prefix, [value]);
  } else if (!bucket.includes(value)) {
    bucket.push(value);
    bucket.sort((a, b) => b.length - a.length);
  } else {
    return;
  }
  count++;
}

export function forgetSecret(value: string): void {
  const prefix = value.slice(0, PREFIX_LENGTH);
  const bucket = byPrefix.get(prefix);
  const index = bucket ? bucket.indexOf(value) : -1;
  if (!bucket || index < 0) return;
  bucket.splice(index, 1);
  if (bucket.length === 0) byPrefix.delete(prefix);
  count--;
}

/** How many secrets are registered (for tests and diagnostics; never the secrets themselves). */
export function registeredSecretCount(): number {
  return count;
}

export function redactSecrets(text: string): string {
  if (count === 0 || text.length < MIN_SECRET_LENGTH) return text;
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i <= text.length - MIN_SECRET_LENGTH) {
    const bucket = byPrefix.get(text.slice(i, i + PREFIX_LENGTH));
    const match = bucket?.find((secret) => text.startsWith(secret, i));
    if (match) {
      out += text.slice(copiedUpTo, i) + REDACTED;
      i += match.length;
      copiedUpTo = i;
    } else {
      i++;
    }
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}
