/**
 * Secrets live in memory only. Every secret the runtime resolves (config values from {{ENV}}
 * references, DingTalk tokens) is registered here, and every log line, error message and HTTP
 * response body a host writes can be passed through `redactSecrets` as a last line of defence.
 */
const registered = new Set<string>();
let pattern: RegExp | null = null;

/** Secrets shorter than this are not worth masking (and would mask ordinary words). */
const MIN_SECRET_LENGTH = 8;
export const REDACTED = '[redacted]';

export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || registered.has(value)) return;
  registered.add(value);
  pattern = null;
}

export function forgetSecret(value: string): void {
  if (registered.delete(value)) pattern = null;
}

export function redactSecrets(text: string): string {
  if (registered.size === 0) return text;
  if (!pattern) {
    const escaped = [...registered].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(escaped.join('|'), 'g');
  }
  return text.replace(pattern, REDACTED);
}
