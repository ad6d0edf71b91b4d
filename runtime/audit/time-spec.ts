/**
 * Points in time as operators type them for `--since` / `--until`: a duration back from now
 * (`30s`, `15m`, `1h`, `7d`, `2w`) or an ISO 8601 date or time (`2026-12-01` is midnight UTC;
 * `2026-12-01T09:00:00+08:00` is that instant).
 */
import { JitError } from '../errors';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60 * 1000, h: 60 * 60 * 1000, d: 24 * 60 * 60 * 1000, w: 7 * 24 * 60 * 60 * 1000 };
const DURATION = /^(\d+)\s*([smhdw])$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

export function parseAuditTime(text: string, option: string, now: Date = new Date()): Date {
  const value = text.trim();
  const duration = DURATION.exec(value);
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2].toLowerCase()]);
  if (ISO_DATE.test(value)) {
    const date = new Date(value.replace(' ', 'T'));
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new JitError('BAD_REQUEST', `${option} ${JSON.stringify(text)} is neither a duration back from now (30s, 15m, 1h, 7d, 2w) nor a date (2026-12-01, 2026-12-01T09:00:00+08:00)`);
}
