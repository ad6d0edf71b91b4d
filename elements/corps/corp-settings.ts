/**
 * The organisation settings every corp config carries (whatever its Type): whether it is active, its
 * sync schedule and its leaver rules. Org settings live in the corp, never in a login config.
 *
 *   { "sync": { "intervalMinutes": 60, "events": true, "catchUpAfterSeconds": 300 }, "leavers": { "disableUnmanaged": false }, "isActive": true }
 */
import { JitError } from '../../runtime';

export interface CorpSettings {
  isActive: boolean;
  sync: {
    /** Minutes between scheduled syncs (`jit serve`); null: not on a schedule. */
    intervalMinutes: number | null;
    /** Apply the organisation's live events (DingTalk: contact events over Stream mode); `jit serve` holds the connection. */
    events: boolean;
    /** A live-event connection down at least this long runs one catch-up sync when it is back (default 300). */
    catchUpAfterSeconds: number;
  };
  leavers: {
    /** Disable accounts this app did not create too, when their last binding ends (default false: keep and list them). */
    disableUnmanaged: boolean;
  };
}

/** The minimum schedule: DingTalk's budget is per minute and a full walk of a large org takes minutes. */
export const MIN_INTERVAL_MINUTES = 5;
/** DECISIONS #13: a gap of 5 minutes or more asks for a catch-up sync. */
export const DEFAULT_CATCH_UP_AFTER_SECONDS = 300;

export function readCorpSettings(owner: string, raw: Readonly<Record<string, unknown>> | undefined): CorpSettings {
  const sync = record(raw?.sync);
  const leavers = record(raw?.leavers);
  const interval = sync.intervalMinutes;
  if (interval !== undefined && (typeof interval !== 'number' || !Number.isInteger(interval) || interval < MIN_INTERVAL_MINUTES)) {
    throw new JitError('CONFIG_INVALID', `${owner}: sync.intervalMinutes must be a whole number of minutes, at least ${MIN_INTERVAL_MINUTES}`, { element: owner });
  }
  const catchUp = sync.catchUpAfterSeconds;
  if (catchUp !== undefined && (typeof catchUp !== 'number' || !Number.isInteger(catchUp) || catchUp < 1)) {
    throw new JitError('CONFIG_INVALID', `${owner}: sync.catchUpAfterSeconds must be a whole number of seconds, at least 1`, { element: owner });
  }
  return Object.freeze({
    isActive: raw?.isActive !== false,
    sync: Object.freeze({
      intervalMinutes: typeof interval === 'number' ? interval : null,
      events: sync.events === true,
      catchUpAfterSeconds: typeof catchUp === 'number' ? catchUp : DEFAULT_CATCH_UP_AFTER_SECONDS,
    }),
    leavers: Object.freeze({ disableUnmanaged: leavers.disableUnmanaged === true }),
  });
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
