/**
 * Org sync on a schedule, for `jit serve`: every active DDInnerType instance whose config has
 * `sync.intervalMinutes` is synced every that many minutes. Runs of one instance never overlap (a
 * tick that finds the previous run still going is skipped), a failing run is logged and the next
 * tick tries again, and `stop()` aborts a run in progress and waits for it, so the host can close
 * the database right after.
 *
 * The intervals are read when the scheduler starts; a host that reloads config restarts it.
 */
import type { AppHandle } from '../../../runtime/app-types';
import type { DDInnerType } from '../../auths/loginTypes/DDInnerType/DDInnerType';
import { syncOrganization } from './sync-organization';
import { describeError, describeFailure } from './failures';

const DD_INNER_TYPE = 'auths.loginTypes.DDInnerType';
const MS_PER_MINUTE = 60_000;

export interface OrgSyncScheduler {
  /** fullNames of the instances on a schedule. */
  readonly instances: readonly string[];
  /** Resolves once no run is in progress (at once when none is). */
  whenIdle(): Promise<void>;
  /** Stops the timers, aborts a run in progress and resolves once it has settled. */
  stop(): Promise<void>;
}

export interface OrgSyncSchedulerOptions {
  /** Also sync each instance right away instead of after the first interval (default false). */
  runOnStart?: boolean;
}

export function startOrgSyncScheduler(app: AppHandle, options: OrgSyncSchedulerOptions = {}): OrgSyncScheduler {
  const abort = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<void>>();
  const logger = app.logger.child({ component: 'org-sync-scheduler' });

  const run = (instance: string) => {
    if (abort.signal.aborted) return;
    if (running.has(instance)) {
      logger.warn('org sync still running; this tick is skipped', { instance });
      return;
    }
    const done = (async () => {
      try {
        // Looked up per run: a hot reload may have replaced the element since the last one.
        const summary = await syncOrganization(app.getElement<DDInnerType>(instance), { signal: abort.signal });
        if (summary.failures.length > 0) {
          logger.warn('org sync finished with failures', { instance, complete: summary.complete, failures: summary.failures.slice(0, 20).map(describeFailure) });
        }
      } catch (err) {
        if (abort.signal.aborted) logger.info('org sync stopped', { instance });
        else logger.error('org sync failed', { instance, ...describeError(err) });
      } finally {
        running.delete(instance);
      }
    })();
    running.set(instance, done);
  };

  const scheduled: string[] = [];
  for (const { fullName, intervalMinutes } of scheduledInstances(app)) {
    // unref: a schedule alone does not keep the process alive (the HTTP server does).
    timers.push(setInterval(() => run(fullName), intervalMinutes * MS_PER_MINUTE).unref());
    scheduled.push(fullName);
    logger.info('org sync scheduled', { instance: fullName, intervalMinutes });
    if (options.runOnStart) run(fullName);
  }

  return {
    instances: Object.freeze(scheduled),
    async whenIdle() {
      await Promise.all(running.values());
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      abort.abort(new Error('org sync scheduler stopped'));
      await Promise.all(running.values());
    },
  };
}

/** Active DDInnerType instances with a positive `sync.intervalMinutes`. */
function scheduledInstances(app: AppHandle): Array<{ fullName: string; intervalMinutes: number }> {
  const found: Array<{ fullName: string; intervalMinutes: number }> = [];
  for (const definition of app.findElements({ type: DD_INNER_TYPE, level: 'instance' })) {
    const config = definition.config ?? {};
    const sync = config.sync as { intervalMinutes?: unknown } | undefined;
    if (sync?.intervalMinutes === undefined || config.isActive === false) continue;
    const minutes = sync.intervalMinutes;
    if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0) {
      app.logger.warn('org sync not scheduled: sync.intervalMinutes must be a number > 0', { instance: definition.fullName, file: definition.configFile });
      continue;
    }
    found.push({ fullName: definition.fullName, intervalMinutes: minutes });
  }
  return found;
}
