/**
 * The organisation settings every corp config carries (whatever its Type): whether it is active, its
 * sync schedule and its leaver rules. Org settings live in the corp, never in a login config.
 *
 *   { "sync": { "intervalMinutes": 60, "events": true, "catchUpAfterSeconds": 300 }, "leavers": { "disableUnmanaged": false }, "isActive": true }
 *
 * The limits and defaults (at least 5 minutes between syncs, a catch-up after 300 s down) are the
 * corp schema's; this is their typed view.
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

/** The settings as the corp schema shapes them once the loader filled its defaults in. */
interface CorpSettingsFile {
  isActive: boolean;
  sync: { intervalMinutes?: number; events: boolean; catchUpAfterSeconds: number };
  leavers: { disableUnmanaged: boolean };
}

/**
 * The typed, frozen view of a corp config's settings. The loader has validated the config against
 * the corp Type's schema and filled in its defaults (schemas/corps.DDInnerType.config.json): the
 * schema is the one place their limits and defaults live. `owner` names the corp in the error a Type
 * without those sections in its schema gets.
 */
export function readCorpSettings(owner: string, raw: Readonly<Record<string, unknown>> | undefined): CorpSettings {
  const config = raw as unknown as Partial<CorpSettingsFile> | undefined;
  if (!config?.sync || !config.leavers || typeof config.isActive !== 'boolean') {
    throw new JitError('CONFIG_INVALID', `${owner}: a corp's config schema must give sync, leavers and isActive their defaults (see schemas/corps.DDInnerType.config.json)`, { element: owner });
  }
  const { sync, leavers } = config;
  return Object.freeze({
    isActive: config.isActive,
    sync: Object.freeze({ intervalMinutes: sync.intervalMinutes ?? null, events: sync.events, catchUpAfterSeconds: sync.catchUpAfterSeconds }),
    leavers: Object.freeze({ disableUnmanaged: leavers.disableUnmanaged }),
  });
}
