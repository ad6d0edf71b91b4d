/**
 * The organisation settings every corp config carries (whatever its Type): whether it is active, its
 * sync schedule and its leaver rules. Org settings live in the corp, never in a login config.
 *
 *   { "sync": { "intervalMinutes": 60, "events": true, "catchUpAfterSeconds": 300 }, "leavers": { "disableUnmanaged": false }, "isActive": true }
 *
 * Their limits and defaults (at least 5 minutes between syncs, a catch-up after 300 s down) live in
 * schemas/corps.settings.json; this is their typed view.
 */
import * as path from 'node:path';
import { withConfigDefaults } from '../../runtime';

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

/** The family's settings schema: the one place their limits and defaults live for every corps Type. */
const CORPS_SETTINGS_SCHEMA = path.resolve(__dirname, '..', '..', 'schemas', 'corps.settings.json');

/** The settings as schemas/corps.settings.json shapes them once their defaults are filled in. */
interface CorpSettingsFile {
  isActive: boolean;
  sync: { intervalMinutes?: number; events: boolean; catchUpAfterSeconds: number };
  leavers: { disableUnmanaged: boolean };
}

/**
 * The typed, frozen view of a corp config's settings. The loader has validated the config against
 * the corp Type's own schema; the family's settings get the defaults of schemas/corps.settings.json
 * (a Type's schema may leave them out or spell them out: corps.DDInnerType's gives the same ones).
 */
export function readCorpSettings(raw: Readonly<Record<string, unknown>> | undefined): CorpSettings {
  const given: Record<string, unknown> = {};
  for (const key of ['sync', 'leavers', 'isActive']) if (raw?.[key] !== undefined) given[key] = raw[key];
  const config = withConfigDefaults(CORPS_SETTINGS_SCHEMA, given) as unknown as CorpSettingsFile;
  const { sync, leavers } = config;
  return Object.freeze({
    isActive: config.isActive,
    sync: Object.freeze({ intervalMinutes: sync.intervalMinutes ?? null, events: sync.events, catchUpAfterSeconds: sync.catchUpAfterSeconds }),
    leavers: Object.freeze({ disableUnmanaged: leavers.disableUnmanaged }),
  });
}
