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

export interface Database {
  readonly kind: DatabaseKind;
  readonly dataSource: DataSource;
  /**
   * Runs fn in one transaction. On SQLite, transactions are serialised through one queue (the driver
   * has one connection and cannot nest them); on PostgreSQL they run concurrently.
   */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T>;
  /** True when err is a unique-constraint violation on either database. */
  isUniqueViolation(err: unknown): boolean;
  runMigrations(): Promise<string[]>;
  close(): Promise<void>;
}
