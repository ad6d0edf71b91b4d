/**
 * What each running event watcher last said about itself (corp_event_watchers): connected or not and
 * since when, its last event, its counts and its last catch-up sync. The watcher lives in one process
 * (`jit serve`, `jit org watch`); this row is how `jit org status` and the admin route, in any other
 * process, see it. A watcher writes its row when its connection changes and, throttled, as events
 * come in, plus a heartbeat: a row whose heartbeat stopped without `stoppedAt` is a process that died.
 */
import { LessThan, MoreThanOrEqual, type EntityManager } from 'typeorm';
import type { Database } from '../../../../runtime';
import { CorpEventWatcherEntity, type CorpEventWatcherRow } from './entities';

export class CorpWatcherStore {
  constructor(private readonly db: Database) {}

  /** Writes the watcher's row (inserted the first time). */
  async save(row: CorpEventWatcherRow, manager?: EntityManager): Promise<void> {
    await this.db.run(async (m) => {
      const { id, ...fields } = row;
      const result = await m.update(CorpEventWatcherEntity, { id }, fields);
      if (!result.affected) await m.insert(CorpEventWatcherEntity, row);
    }, manager);
  }

  /** The corp's watcher rows updated since `since`, most recently updated first. */
  list(corpFullName: string, since: Date, manager?: EntityManager): Promise<CorpEventWatcherRow[]> {
    return this.db.run(
      (m) => m.getRepository(CorpEventWatcherEntity).find({ where: { corpFullName, updatedAt: MoreThanOrEqual(since) }, order: { updatedAt: 'DESC' } }),
      manager,
    );
  }

  /** Deletes rows not updated since `before` (every corp); returns how many. */
  async prune(before: Date, manager?: EntityManager): Promise<number> {
    const result = await this.db.run((m) => m.delete(CorpEventWatcherEntity, { updatedAt: LessThan(before) }), manager);
    return result.affected ?? 0;
  }
}
