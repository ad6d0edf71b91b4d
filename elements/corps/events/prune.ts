/**
 * Pruning the record of live events (DECISIONS #13: "the processed-event table is pruned"): rows of
 * events applied more than EVENT_RETENTION_DAYS ago, and the rows of watchers not heard from for as
 * long. An event is delivered again within minutes when it is delivered again at all, so a week of
 * records is far more than deduplication needs; what is kept is what `jit org status` counts.
 * Every watcher prunes when it starts and then hourly; pruning twice is harmless.
 */
import type { OrgModel } from '../models/OrgModel/OrgModel';
import { EVENT_RETENTION_DAYS } from './events-status';

export const PRUNE_EVERY_MS = 3600_000;

export async function pruneEventRecords(orgModel: OrgModel, options: { now?: Date; retentionDays?: number } = {}): Promise<{ events: number; watchers: number }> {
  const now = options.now ?? new Date();
  const before = new Date(now.getTime() - (options.retentionDays ?? EVENT_RETENTION_DAYS) * 24 * 3600 * 1000);
  return { events: await orgModel.events.prune(before), watchers: await orgModel.watchers.prune(before) };
}
