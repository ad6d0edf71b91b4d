/**
 * Multi-row INSERTs without TypeORM's query builder: a sync writes tens of thousands of rows, and
 * building each INSERT through `manager.insert(Entity, rows)` cost about a second of CPU per 10,000
 * members (a named parameter per value, escaped again per statement), as much as executing them.
 * Values go through the driver exactly as TypeORM's own INSERT sends them (`getEntityValue`, then
 * `preparePersistentValue`: transformers, booleans, SQLite's UTC datetime text), so the rows are the
 * same; only the statement is built here.
 */
import type { EntityManager, EntitySchema, ObjectLiteral } from 'typeorm';

/** Bound parameters per statement: under SQLite's oldest default limit (999). */
const MAX_PARAMETERS = 990;

export async function insertRows<T extends ObjectLiteral>(manager: EntityManager, entity: EntitySchema<T>, rows: readonly T[]): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const columns = metadata.columns;
  const postgres = driver.options.type === 'postgres';
  const head = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const params: unknown[] = [];
    const tuples = rows.slice(i, i + perStatement).map((row) => {
      const marks = columns.map((column) => {
        params.push(driver.preparePersistentValue(column.getEntityValue(row) ?? null, column) ?? null);
        return postgres ? `$${params.length}` : '?';
      });
      return `(${marks.join(', ')})`;
    });
    await manager.query(head + tuples.join(', '), params);
  }
}
