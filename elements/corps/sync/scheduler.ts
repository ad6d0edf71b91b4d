/**
 * Org sync on a schedule, for `jit serve`: every target is synced every `intervalMinutes`. Targets are
 * the active corps with `sync.intervalMinutes`, and the implied corps of logins that still carry
 * `sync` (upgrading apps keep working; the start says which command makes the real corp). A tick
 * that finds the corp's previous run still going (its sync lease held) is skipped, a failing run is
 * logged and the next tick tries again, and `stop()` aborts a run in progress and waits for it, so
 * the host can close the database right after.
 *
 * The intervals are read when the scheduler starts; a host that reloads config restarts it.
 */
import { type AppHandle, isJitError } from '../../../runtime';
import { describeError, describeFailure } from './failures';
import type { SyncOptions } from './run-org-sync';
import type { SyncSummary } from './summary';

const MS_PER_MINUTE = 60_000;

/** What the schedule needs of a corp: its name, its interval, and a way to run it. */
export interface OrgSyncTarget {
  readonly fullName: string;
  readonly intervalMinutes: number;
  /** A warning to log when scheduled (an implied corp names the command that makes the real one). */
  readonly notice?: string;
  sync(options: SyncOptions): Promise<SyncSummary>;
}

export interface OrgSyncScheduler {
  /** fullNames of the corps (or, for implied corps, logins) on a schedule. */
  readonly instances: readonly string[];
  /** Resolves once no run is in progress (at once when none is). */
  whenIdle(): Promise<void>;
  /** Stops the timers, aborts a run in progress and resolves once it has settled. */
  stop(): Promise<void>;
}

export interface OrgSyncSchedulerOptions {
  /** Also sync each target right away instead of after the first interval (default false). */
  runOnStart?: boolean;
}

export function startSyncScheduler(app: AppHandle, targets: readonly OrgSyncTarget[], options: OrgSyncSchedulerOptions = {}): OrgSyncScheduler {
  const abort = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<void>>();
  const logger = app.logger.child({ component: 'org-sync-scheduler' });

  const run = (target: OrgSyncTarget) => {
    const instance = target.fullName;
    if (abort.signal.aborted) return;
    if (running.has(instance)) {
      logger.warn('org sync still running; this tick is skipped', { instance });
      return;
    }
    const done = (async () => {
      try {
        const summary = await target.sync({ signal: abort.signal, holder: 'the schedule' });
        if (summary.failures.length > 0) {
          logger.warn('org sync finished with failures', { instance, complete: summary.complete, failures: summary.failures.slice(0, 20).map(describeFailure) });
        }
      } catch (err) {
        if (abort.signal.aborted) logger.info('org sync stopped', { instance });
        else if (isJitError(err, 'SYNC_IN_PROGRESS')) logger.warn('org sync still running; this tick is skipped', { instance, holder: err.details.holder });
        else logger.error('org sync failed', { instance, ...describeError(err) });
      } finally {
        running.delete(instance);
      }
    })();
    running.set(instance, done);
  };

  const scheduled: string[] = [];
  for (const target of targets) {
    // unref: a schedule alone does not keep the process alive (the HTTP server does).
    timers.push(setInterval(() => run(target), target.intervalMinutes * MS_PER_MINUTE).unref());
    scheduled.push(target.fullName);
    logger.info('org sync scheduled', { instance: target.fullName, intervalMinutes: target.intervalMinutes });
    if (target.notice) logger.warn(target.notice, { instance: target.fullName });
    if (options.runOnStart) run(target);
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
