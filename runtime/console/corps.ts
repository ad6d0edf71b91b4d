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

/** Live events of a corp: 'off' (sync.events not set), a state the corp reports, or 'unknown'. */
export interface LiveEventsView {
  state: 'off' | 'unknown' | string;
  /** More the corp says about it (connected since, last event, ...). */
  details?: Record<string, unknown>;
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
 * The live-events state of a corp: the one place the console reads it. Live events (#13) report
 * their state in the corp's status (`jit org status`); until a corp reports one, a corp with
 * `sync.events` shows "unknown" and one without shows "off".
 */
export function liveEventsOf(corp: ConsoleCorp, status: CorpStatusView | null): LiveEventsView {
  const reported = status?.events ?? status?.liveEvents ?? status?.stream;
  if (reported && typeof reported === 'object') {
    const { state, ...details } = reported as Record<string, unknown>;
    return { state: typeof state === 'string' ? state : 'unknown', details };
  }
  if (typeof reported === 'string') return { state: reported };
  return { state: corp.settings?.sync?.events ? 'unknown' : 'off' };
}
