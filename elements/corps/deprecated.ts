/**
 * The org sync entry points from before the corps family, kept for this release: each warns once
 * per app and does what it did, through the corp now. `syncOrganization(login)` is the login's
 * `syncOrganization` (which finds the corp naming the login, or its implied corp);
 * `startOrgSyncScheduler(app)` is `startCorpSyncScheduler(app)`.
 */
import type { AppHandle } from '../../runtime';
import { startCorpSyncScheduler } from './corp-sync-scheduler';
import type { OrgSyncScheduler, OrgSyncSchedulerOptions } from './sync/scheduler';
import type { SyncOptions } from './sync/run-org-sync';
import type { SyncSummary } from './sync/summary';

const warned = new WeakMap<AppHandle, Set<string>>();

/** Logs `message` once per app and name. */
export function warnOnce(app: AppHandle, name: string, message: string): void {
  const seen = warned.get(app) ?? new Set<string>();
  warned.set(app, seen);
  if (seen.has(name)) return;
  seen.add(name);
  app.logger.warn(message, { deprecated: name });
}

/** @deprecated Sync the corp: `app.getElement('corps.<name>').syncCorp(options)`. */
export function syncOrganization(login: { syncOrganization(options?: Record<string, unknown>): Promise<unknown> }, options: SyncOptions = {}): Promise<SyncSummary> {
  return login.syncOrganization(options as Record<string, unknown>) as Promise<SyncSummary>;
}

/** @deprecated Use startCorpSyncScheduler(app). */
export function startOrgSyncScheduler(app: AppHandle, options: OrgSyncSchedulerOptions = {}): OrgSyncScheduler {
  warnOnce(app, 'startOrgSyncScheduler', 'startOrgSyncScheduler is deprecated: use startCorpSyncScheduler (it schedules corps; a login still carrying sync is scheduled through its implied corp)');
  return startCorpSyncScheduler(app, options);
}
