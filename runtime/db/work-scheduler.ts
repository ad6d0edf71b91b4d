/**
 * Who may use the database now, and which transaction a call joins.
 *
 * The rule (both databases): inside `db.transaction(fn)`, a db helper called WITHOUT a manager joins
 * fn's transaction (found through AsyncLocalStorage), and a nested `db.transaction` becomes a
 * savepoint in it. So fn may call store helpers freely: they never wait for fn's own turn (no
 * deadlock on SQLite) and never run on a second pooled connection that would block on fn's own row
 * locks (no deadlock on PostgreSQL). Passing the manager explicitly is still the clearest style.
 *
 * SQLite has one connection shared by everything, so work takes turns through one FIFO queue: each
 * transaction, and each standalone call made outside any transaction, waits for the one before it.
 * Without the queue a standalone write could land inside someone else's open transaction and vanish
 * with its rollback, and two transactions would interleave on the connection ("cannot start a
 * transaction within a transaction"). PostgreSQL needs no queue: each transaction has its own
 * pooled connection and they run concurrently.
 *
 * What bypasses the scheduler (using `db.dataSource` or its managers directly) gets none of this.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

interface Turn {
  manager: EntityManager;
  /** False once the work that opened the turn has settled; late callbacks then queue normally. */
  open: boolean;
}

export class WorkScheduler {
  private readonly ambient = new AsyncLocalStorage<Turn>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    /** true on SQLite: one connection, so transactions and standalone calls take turns. */
    private readonly serialise: boolean,
  ) {}

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.currentTurn();
    // Nested: a savepoint inside the outer transaction (or a real transaction inside a standalone turn).
    if (outer) return outer.manager.transaction((manager) => this.enter(manager, fn));
    const start = () => this.dataSource.transaction((manager) => this.enter(manager, fn));
    return this.serialise ? this.takeTurn(start) : start();
  }

  run<T>(fn: (manager: EntityManager) => Promise<T>, manager?: EntityManager): Promise<T> {
    if (manager) return fn(manager);
    const outer = this.currentTurn();
    if (outer) return fn(outer.manager);
    return this.serialise ? this.takeTurn(() => this.enter(this.dataSource.manager, fn)) : fn(this.dataSource.manager);
  }

  /** Resolves once every queued piece of work has settled (before closing the connection). */
  async drain(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.tail;
      await seen;
    } while (seen !== this.tail);
  }

  private currentTurn(): Turn | undefined {
    const turn = this.ambient.getStore();
    return turn && turn.open ? turn : undefined;
  }

  private enter<T>(manager: EntityManager, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const turn: Turn = { manager, open: true };
    return this.ambient.run(turn, async () => fn(manager)).finally(() => {
      turn.open = false;
    });
  }

  private takeTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
