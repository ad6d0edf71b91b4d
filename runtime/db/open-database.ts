/**
 * Opens an app's database: one TypeORM DataSource over the runtime's core models and every model
 * element's contribution, with pending migrations applied (never `synchronize`).
 */
import { DataSource, type DataSourceOptions, type EntitySchema, type MigrationInterface } from 'typeorm';
import { JitError } from '../errors';
import { silentLogger, type Logger } from '../logger';
import { redactSecrets } from '../secrets';
import { coreModels } from './core-models';
import type { Database, ModelContribution } from './types';
import { isUniqueViolation, withoutQueryParameters } from './query-errors';
import { parseDatabaseUrl, redactDatabaseUrl, type ParsedDatabaseUrl } from './url';
import { WorkScheduler } from './work-scheduler';

export interface OpenDatabaseOptions {
  logger?: Logger;
  /** Apply pending migrations while opening (default true). */
  runMigrations?: boolean;
  /** PostgreSQL connection pool size (default 10). SQLite always has one connection. */
  poolSize?: number;
}

/** How long a SQLite statement waits for a lock held by another process before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
const PG_DEFAULT_POOL_SIZE = 10;
const PG_CONNECT_TIMEOUT_MS = 10000;
/** Advisory lock taken while migrating PostgreSQL, so hosts starting together migrate one at a time. */
const PG_MIGRATION_LOCK_KEY = 0x6a69745f6d67; // "jit_mg"
const MIGRATION_NAME = /\d{13}$/;

/**
 * Opens the database at `url` with the core models and the given contributions (the core models are
 * always included; passing them again is harmless). Throws JitError CONFIG_INVALID for a bad URL, a
 * database that cannot be reached, or contributions that clash.
 */
export async function openDatabase(url: string, contributions: ModelContribution[], options: OpenDatabaseOptions = {}): Promise<Database> {
  const logger = options.logger ?? silentLogger;
  const target = parseDatabaseUrl(url);
  const displayUrl = redactDatabaseUrl(target.url);
  const { entities, migrations } = mergeContributions([coreModels, ...contributions]);

  const dataSource = new DataSource({
    ...driverOptions(target, options),
    entities,
    migrations,
    migrationsRun: false, // run below, so the applied ones can be logged
    synchronize: false,
    logging: false,
  });
  try {
    await dataSource.initialize();
    // In WAL mode, NORMAL syncs at checkpoints rather than on every commit: still safe against a
    // crash of the process (the crash tests kill hosts mid-login), and SQLite's own advice for WAL.
    // A power cut may lose the last commits (a few sessions), never consistency.
    if (target.kind === 'sqlite') await dataSource.query('PRAGMA synchronous = NORMAL');
  } catch (err) {
    throw new JitError('CONFIG_INVALID', `Could not open the database ${displayUrl}: ${describeCause(err)}`, { url: displayUrl }, { cause: err });
  }

  const scheduler = new WorkScheduler(dataSource, target.kind === 'sqlite');
  const appliedOnOpen: string[] = [];
  const database: Database = {
    kind: target.kind,
    appliedOnOpen,
    displayUrl,
    dataSource,
    // Bound values never leave in an error: they may be password or token hashes.
    transaction: (fn) => scheduler.transaction(fn).catch(rethrowWithoutParameters),
    run: (fn, manager) => scheduler.run(fn, manager).catch(rethrowWithoutParameters),
    isUniqueViolation,
    runMigrations: () => scheduler.run(() => applyMigrations(dataSource, logger)),
    close: async () => {
      await scheduler.drain();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };

  if (options.runMigrations !== false) {
    try {
      appliedOnOpen.push(...(await database.runMigrations()));
    } catch (err) {
      await dataSource.destroy().catch(() => undefined);
      throw err;
    }
  }
  logger.debug('Database open', { database: displayUrl });
  return database;
}

/**
 * TypeORM always calls `sqlite3.verbose()`, which wraps every statement to capture a stack trace and
 * inspect its arguments: about 5% of a host's CPU under login load. The same module, with verbose()
 * answering the plain module, keeps the errors TypeORM reports and drops the per-statement cost.
 */
function sqliteWithoutTracing(): unknown {
  const sqlite3 = require('sqlite3') as typeof import('sqlite3');
  return { ...sqlite3, verbose: () => sqlite3 };
}

function driverOptions(target: ParsedDatabaseUrl, options: OpenDatabaseOptions): DataSourceOptions {
  if (target.kind === 'sqlite') {
    const inMemory = target.file === ':memory:';
    // The driver creates the file's folder, turns foreign keys on, and applies these pragmas.
    return { type: 'sqlite', database: target.file, enableWAL: !inMemory, busyTimeout: SQLITE_BUSY_TIMEOUT_MS, driver: sqliteWithoutTracing() };
  }
  return {
    type: 'postgres',
    url: target.url,
    poolSize: options.poolSize ?? PG_DEFAULT_POOL_SIZE,
    connectTimeoutMS: PG_CONNECT_TIMEOUT_MS,
    applicationName: 'jit-runtime',
  };
}

async function applyMigrations(dataSource: DataSource, logger: Logger): Promise<string[]> {
  const isPostgres = dataSource.options.type === 'postgres';
  const lock = isPostgres ? dataSource.createQueryRunner() : undefined;
  try {
    if (lock) await lock.query('SELECT pg_advisory_lock($1)', [PG_MIGRATION_LOCK_KEY]);
    // One transaction for the whole batch: a failing migration leaves the schema as it was.
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    for (const migration of applied) logger.info('Applied database migration', { migration: migration.name });
    return applied.map((migration) => migration.name);
  } catch (err) {
    throw new JitError('INTERNAL_ERROR', `Database migration failed: ${describeCause(err)}`, {}, { cause: err });
  } finally {
    if (lock) {
      await lock.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATION_LOCK_KEY]).catch(() => undefined);
      await lock.release();
    }
  }
}

/** Collects entities and migrations, refusing two different things under one name. */
function mergeContributions(contributions: ModelContribution[]): { entities: EntitySchema[]; migrations: Array<new () => MigrationInterface> } {
  const entities = new Map<string, { entity: EntitySchema; source: string }>();
  const migrations = new Map<string, { migration: new () => MigrationInterface; source: string }>();
  for (const contribution of new Set(contributions)) {
    for (const entity of contribution.entities) {
      const name = entity.options.name;
      const seen = entities.get(name);
      if (seen && seen.entity !== entity) throw clash('entity', name, seen.source, contribution.source);
      entities.set(name, { entity, source: contribution.source });
    }
    for (const migration of contribution.migrations) {
      const name = migration.name;
      if (!MIGRATION_NAME.test(name)) {
        throw new JitError('CONFIG_INVALID', `Migration class ${name} of ${contribution.source} must end in a 13-digit timestamp (e.g. CreateOrders1760000000000)`, {
          source: contribution.source,
          migration: name,
        });
      }
      const seen = migrations.get(name);
      if (seen && seen.migration !== migration) throw clash('migration', name, seen.source, contribution.source);
      migrations.set(name, { migration, source: contribution.source });
    }
  }
  return { entities: [...entities.values()].map((e) => e.entity), migrations: [...migrations.values()].map((m) => m.migration) };
}

function clash(what: string, name: string, first: string, second: string): JitError {
  return new JitError('CONFIG_INVALID', `Two different ${what}s are named ${name} (in ${first} and ${second}); rename one`, { [what]: name, sources: [first, second] });
}

function rethrowWithoutParameters(err: unknown): never {
  throw withoutQueryParameters(err);
}

function describeCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return redactSecrets(message);
}
