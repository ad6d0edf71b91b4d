/**
 * Column types that mean the same on SQLite and PostgreSQL, for entity schemas and for migrations
 * written with TypeORM's QueryRunner Table API.
 *
 * Timestamps are the one type that differs: `datetime` on SQLite (TypeORM stores UTC text that sorts
 * and compares correctly) and `timestamptz` on PostgreSQL. Entities declare them as `Date`, which
 * TypeORM maps per driver, so one entity schema serves both databases.
 * Ids are uuid strings in varchar(36) on both (a PostgreSQL `uuid` column would reject a malformed
 * id with an error where SQLite simply finds nothing).
 */
import type { EntitySchemaColumnOptions, QueryRunner, TableColumnOptions } from 'typeorm';

export const ID_LENGTH = 36;

/** Entity column for a point in time. */
export function timestampColumn(options: { nullable?: boolean } = {}): EntitySchemaColumnOptions {
  return { type: Date, nullable: options.nullable ?? false };
}

/** The SQL type of a point in time on the migration's database. */
export function timestampType(queryRunner: QueryRunner): 'datetime' | 'timestamptz' {
  return queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
}

/** Migration column for a point in time. */
export function timestampTableColumn(queryRunner: QueryRunner, name: string, options: { nullable?: boolean } = {}): TableColumnOptions {
  return { name, type: timestampType(queryRunner), isNullable: options.nullable ?? false };
}

/** Migration column for a uuid id (primary key when `primary`). */
export function idTableColumn(name: string, options: { primary?: boolean; nullable?: boolean } = {}): TableColumnOptions {
  return { name, type: 'varchar', length: String(ID_LENGTH), isPrimary: options.primary ?? false, isNullable: options.nullable ?? false };
}
