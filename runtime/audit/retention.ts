/**
 * Audit retention: the host calls `startAuditRetention(app)` once; it prunes right away and then on
 * a timer, each time keeping `audit.retentionDays` of app.json as it reads now (a hot reload of
 * app.json applies from the next run). Several hosts on one database may all run it: a prune deletes
 * only what is past the cutoff, so running it twice is harmless.
 */
import type { AppHandle } from '../app-types';
import { isJitError } from '../errors';

/** How often the host prunes (default): rows are kept for days, so hourly is plenty. */
export const DEFAULT_AUDIT_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export interface AuditRetentionOptions {
  intervalMs?: number;
}

export interface AuditRetention {
  /** Prunes now (waiting for a run under way first); resolves to the rows deleted. */
  runNow(): Promise<number>;
  /** Stops the timer and waits for a run under way. */
  stop(): Promise<void>;
}

export function startAuditRetention(app: Pick<AppHandle, 'audit' | 'settings' | 'logger'>, options: AuditRetentionOptions = {}): AuditRetention {
  const intervalMs = options.intervalMs ?? DEFAULT_AUDIT_PRUNE_INTERVAL_MS;
  let running: Promise<number> = Promise.resolve(0);
  let stopped = false;

  const prune = async (): Promise<number> => {
    const retentionDays = app.settings.audit.retentionDays;
    try {
      const deleted = await app.audit.prune(retentionDays);
      if (deleted > 0) app.logger.info('audit events pruned', { deleted, retentionDays });
      return deleted;
    } catch (err) {
      app.logger.error('audit pruning failed', { retentionDays, error: isJitError(err) ? err.code : err instanceof Error ? err.message : String(err) });
      return 0;
    }
  };
  // One run at a time: a tick that finds one under way waits behind it instead of piling up.
  const run = (): Promise<number> => {
    running = running.then(() => (stopped ? 0 : prune()));
    return running;
  };

  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();

  return {
    runNow: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
