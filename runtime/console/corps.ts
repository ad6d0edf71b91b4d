/**
 * The organisations (corps) as the console sees them, through the family's public methods only
 * (`getStatus()`, `syncCorp({dryRun})`, `settings`), found by the family's Meta: the runtime imports
 * no element. A corp that fails to build shows as invalid with its diagnostics.
 */
import type { AppHandle } from '../app-types';
import type { ElementDefinition } from '../definitions';

/** The corps family's Meta (JitAi's name). */
export const CORPS_META = 'corps.Meta';

/** What the console uses of a corp element. */
export interface ConsoleCorp {
  getStatus(options?: { limit?: number }): Promise<CorpStatusView>;
  syncCorp(options: { dryRun?: boolean }): Promise<unknown>;
  readonly settings?: { isActive?: boolean; sync?: { intervalMinutes?: number | null; events?: boolean } };
}

/** The part of `getStatus()` (what `jit org status` prints) the console shows. */
export interface CorpStatusView {
  corp: string;
  orgId: string | null;
  isActive: boolean;
  intervalMinutes: number | null;
  lastRun: { startedAt: Date | string; finishedAt: Date | string | null; outcome: string; message: string | null; counts: unknown; dryRun?: boolean } | null;
  members?: Record<string, number>;
  [more: string]: unknown;
}

/** Live events of a corp, as the overview shows them. */
export interface LiveEventsView {
  /** off: `sync.events` is not set; connected / disconnected: what the corp's watchers report; unknown: the corp reports nothing. */
  state: 'off' | 'connected' | 'disconnected' | 'unknown';
  /** Connected since, or disconnected since (null: never connected). */
  since: Date | null;
  lastEventAt: Date | null;
  applied: number | null;
  notApplied: number | null;
}

export function corpDefinitions(app: AppHandle): ElementDefinition[] {
  return app.findElements({ type: CORPS_META, level: 'instance', validOnly: false });
}

/** The corp element, or null when it cannot be built (invalid) or is not a corp the console can use. */
export function consoleCorp(app: AppHandle, fullName: string): ConsoleCorp | null {
  const definition = app.getDefinition(fullName);
  if (!definition?.valid || definition.level !== 'instance' || !definition.typeChain.includes(CORPS_META)) return null;
  try {
    const corp = app.getElement<Partial<ConsoleCorp>>(fullName);
    return typeof corp.getStatus === 'function' && typeof corp.syncCorp === 'function' ? (corp as ConsoleCorp) : null;
  } catch {
    return null;
  }
}

/**
 * The live-events state of a corp: the one place the console reads it. Live events (#13) report it
 * in the corp's status (`getStatus().events`, as `jit org status` prints it: `enabled`, `connected`,
 * `since`, `lastEventAt`, `applied`, `notApplied`); a corp that reports none shows "off" without
 * `sync.events`, else "unknown".
 */
export function liveEventsOf(corp: ConsoleCorp, status: CorpStatusView | null): LiveEventsView {
  const reported = status?.events;
  const none = { since: null, lastEventAt: null, applied: null, notApplied: null };
  if (!reported || typeof reported !== 'object') return { state: corp.settings?.sync?.events ? 'unknown' : 'off', ...none };
  const events = reported as Record<string, unknown>;
  if (events.enabled === false) return { state: 'off', ...none };
  const date = (value: unknown) => (value instanceof Date || typeof value === 'string' ? new Date(value) : null);
  const count = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    state: typeof events.connected === 'boolean' ? (events.connected ? 'connected' : 'disconnected') : 'unknown',
    since: date(events.since),
    lastEventAt: date(events.lastEventAt),
    applied: count(events.applied),
    notApplied: count(events.notApplied),
  };
}
