/**
 * The schedule of an app's corps (`jit serve`): the corps with `sync.intervalMinutes`, and the implied
 * corps of logins still carrying `sync`, each as a small OrgSyncTarget for sync/scheduler.ts.
 */
import type { AppHandle } from '../../runtime';
import { scheduledCorps } from './resolve-corp';
import { startSyncScheduler, type OrgSyncScheduler, type OrgSyncSchedulerOptions, type OrgSyncTarget } from './sync/scheduler';

export function startCorpSyncScheduler(app: AppHandle, options: OrgSyncSchedulerOptions = {}): OrgSyncScheduler {
  const targets: OrgSyncTarget[] = [];
  for (const scheduled of scheduledCorps(app)) {
    targets.push({
      fullName: scheduled.fullName,
      intervalMinutes: scheduled.intervalMinutes,
      ...(scheduled.implied
        ? { notice: `${scheduled.implied.login} still carries "sync" in its login config: it is synced through an implied corp; make the real corp with: ${scheduled.implied.command}` }
        : {}),
      sync: (syncOptions) => scheduled.corp().syncCorp(syncOptions),
    });
  }
  return startSyncScheduler(app, targets, options);
}
