/**
 * Persistence seam. The runtime owns one TypeORM DataSource per app; model elements contribute
 * entity schemas and migrations to it. Schema changes only ever go through migrations.
 */
import type { DataSource, EntityManager, EntitySchema, MigrationInterface } from 'typeorm';

export type DatabaseKind = 'sqlite' | 'postgres';

/** What a model element (or the runtime itself) adds to the schema. */
export interface ModelContribution {
  /** e.g. 'runtime.core' or the model element's fullName; for diagnostics only. */
  source: string;
  entities: EntitySchema[];
  /** Migration classes; each class name ends in a 13-digit timestamp so they run in a stable order. */
  migrations: Array<new () => MigrationInterface>;
}

/**
 * An open database. Go through `transaction` and `run` rather than `dataSource` directly: they keep
 * SQLite's single connection in order and let helpers called inside a transaction join it.
 */
export interface Database {
  readonly kind: DatabaseKind;
  /** The database URL with any password masked: safe for logs and CLI output. */
  readonly displayUrl: string;
  readonly dataSource: DataSource;
  /**
   * Runs fn in one transaction. On SQLite, transactions are serialised through one queue (the driver
   * has one connection and cannot nest them); on PostgreSQL they run concurrently.
   *
   * Inside fn, pass `manager` to the helpers you call. A helper called without one still joins this
   * transaction (on both databases), and a nested `transaction` becomes a savepoint: fn never waits
   * for its own turn. Do not run two nested transactions in parallel inside one fn.
   */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T>;
  /**
   * Runs fn with `manager` when given (the caller's transaction), else with the transaction fn is
   * called from, else standalone (autocommit statements). On SQLite standalone work waits its turn
   * behind open transactions, so it never lands inside someone else's. Store helpers use this.
   */
  run<T>(fn: (manager: EntityManager) => Promise<T>, manager?: EntityManager): Promise<T>;
  /** True when err is a unique-constraint violation on either database. */
  isUniqueViolation(err: unknown): boolean;
  /** Runs pending migrations; returns the names of those applied (empty when up to date). */
  runMigrations(): Promise<string[]>;
  /** The migrations applied while the database was being opened (empty when it was up to date). */
  readonly appliedOnOpen: readonly string[];
  /** Waits for queued work, then closes the connection(s). */
  close(): Promise<void>;
}
