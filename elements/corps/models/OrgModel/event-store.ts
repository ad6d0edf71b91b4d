/**
 * The corps family's record of live events (corp_events): which events of a corp were applied, when,
 * and with what outcome. Its unique key (corp + eventId) is what makes an event count once, however
 * many times and to however many hosts it is delivered: the event's writes and its row commit in one
 * transaction, and a second delivery finds the row (or, racing the first, fails on the key and rolls
 * back). Rows are kept for a retention window (7 days by default) and then pruned.
 */
import { randomUUID } from 'node:crypto';
import { LessThan, MoreThanOrEqual, Not, type EntityManager } from 'typeorm';
import { insertUnlessExists, type Database } from '../../../../runtime';
import { CorpEventEntity, type CorpEventRow } from './entities';

/** The outcome of an event whose every part was applied (or needed nothing). */
export const EVENT_APPLIED = 'applied';
/** Written first, replaced before the transaction commits: never seen outside it. */
const EVENT_APPLYING = 'applying';

export type NewCorpEvent = Pick<CorpEventRow, 'corpFullName' | 'eventId' | 'eventType' | 'bornAt'>;

export class CorpEventStore {
  constructor(private readonly db: Database) {}

  find(corpFullName: string, eventId: string, manager?: EntityManager): Promise<CorpEventRow | null> {
    return this.db.run((m) => m.getRepository(CorpEventEntity).findOneBy({ corpFullName, eventId }), manager);
  }

  /**
   * Claims the event inside the caller's transaction: its row, marked as being applied. False when
   * the corp has the event already (a duplicate; on PostgreSQL a concurrent claim waits for the first
   * to commit or roll back, then knows).
   */
  async claim(event: NewCorpEvent, manager: EntityManager): Promise<CorpEventRow | null> {
    const row: CorpEventRow = { id: randomUUID(), ...event, appliedAt: new Date(), outcome: EVENT_APPLYING, message: null };
    return (await insertUnlessExists(manager, CorpEventEntity, row)) ? row : null;
  }

  /** Sets the outcome of a claimed event (in the same transaction). */
  async finish(id: string, outcome: string, message: string | null, manager: EntityManager): Promise<void> {
    await manager.update(CorpEventEntity, { id }, { outcome, message: message === null ? null : message.slice(0, 2000), appliedAt: new Date() });
  }

  /** Deletes the rows of events applied before `before` (every corp); returns how many. */
  async prune(before: Date, manager?: EntityManager): Promise<number> {
    const result = await this.db.run((m) => m.delete(CorpEventEntity, { appliedAt: LessThan(before) }), manager);
    return result.affected ?? 0;
  }

  /** How many events of the corp were recorded since `since`, by outcome. */
  async countByOutcome(corpFullName: string, since: Date, manager?: EntityManager): Promise<Record<string, number>> {
    const rows: Array<{ outcome: string; n: string | number }> = await this.db.run(
      (m) =>
        m
          .getRepository(CorpEventEntity)
          .createQueryBuilder('e')
          .select('e.outcome', 'outcome')
          .addSelect('COUNT(*)', 'n')
          .where('e.corpFullName = :corpFullName AND e.appliedAt >= :since', { corpFullName, since })
          .groupBy('e.outcome')
          .getRawMany(),
      manager,
    );
    return Object.fromEntries(rows.filter((r) => r.outcome !== EVENT_APPLYING).map((r) => [r.outcome, Number(r.n)]));
  }

  /** The latest events of the corp that were not applied (permanent failures, contradicted leaves), newest first. */
  notApplied(corpFullName: string, options: { since: Date; limit: number }, manager?: EntityManager): Promise<CorpEventRow[]> {
    return this.db.run(
      (m) =>
        m.getRepository(CorpEventEntity).find({
          where: { corpFullName, appliedAt: MoreThanOrEqual(options.since), outcome: Not(EVENT_APPLIED) },
          order: { appliedAt: 'DESC' },
          take: options.limit,
        }),
      manager,
    );
  }

  /** The corp's most recently recorded event, or null. */
  latest(corpFullName: string, manager?: EntityManager): Promise<CorpEventRow | null> {
    return this.db.run((m) => m.getRepository(CorpEventEntity).findOne({ where: { corpFullName }, order: { appliedAt: 'DESC' } }), manager);
  }

  /** Every row of one event id (tests and diagnosis: there is never more than one per corp). */
  listByEventId(eventId: string, manager?: EntityManager): Promise<CorpEventRow[]> {
    return this.db.run((m) => m.getRepository(CorpEventEntity).find({ where: { eventId } }), manager);
  }
}
