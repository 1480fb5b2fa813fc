import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { queryPrepared } from './prepared-query';

/** Per entity: its columns as (database name, property name) pairs. */
const columnsByEntity = new WeakMap<object, [string, string][]>();

/**
 * Rows of an entity's table read by a prepared statement of fixed text (`SELECT * FROM …`), as the entity: what
 * `tx.find` answers, without building its SQL through the query builder on every call (profiled in bench/e2e, that
 * was about 5% of leads' CPU for its one look-up per event). Only for entities of plain columns (no embedded
 * columns, relations or transformers): node-postgres has already parsed each value as TypeORM would hydrate it
 * (timestamps to Date, jsonb to objects, int to number); anything else throws rather than answer something
 * TypeORM would not.
 */
export async function queryEntities<E extends ObjectLiteral>(
  tx: EntityManager, entity: EntityTarget<E>, text: string, values: unknown[],
): Promise<E[]> {
  return (await queryEntitiesWithRows(tx, entity, text, values)).map(({ entity: instance }) => instance);
}

/**
 * As queryEntities, each entity with its whole row: for a statement that answers more than the entity's columns
 * (a joined table's, or a value computed with it), read in the same round trip.
 */
export async function queryEntitiesWithRows<E extends ObjectLiteral, R extends Record<string, unknown> = Record<string, unknown>>(
  tx: EntityManager, entity: EntityTarget<E>, text: string, values: unknown[],
): Promise<{ entity: E; row: R }[]> {
  const columns = columnsOf(tx, entity);
  const rows = await queryPrepared<R>(tx, text, values);
  const metadata = tx.connection.getMetadata(entity);
  return rows.map((row) => {
    const instance = metadata.create() as Record<string, unknown>;
    for (const [databaseName, propertyName] of columns) if (databaseName in row) instance[propertyName] = row[databaseName];
    return { entity: instance as E, row };
  });
}

function columnsOf(tx: EntityManager, entity: EntityTarget<ObjectLiteral>): [string, string][] {
  const metadata = tx.connection.getMetadata(entity);
  let columns = columnsByEntity.get(metadata);
  if (!columns) {
    const unusual = metadata.columns.filter(isUnusual);
    if (unusual.length > 0 || metadata.relations.length > 0) {
      throw new Error(`queryEntities: ${metadata.name} has columns it does not map (${unusual.map((c) => c.propertyPath).join(', ') || 'relations'}); use the repository`);
    }
    columns = metadata.columns.map((column) => [column.databaseName, column.propertyName]);
    columnsByEntity.set(metadata, columns);
  }
  return columns;
}

const PLAIN_TYPES = new Set(['uuid', 'text', 'varchar', 'boolean', 'int', 'integer', 'smallint', 'jsonb', 'timestamptz', 'timestamp with time zone', 'double precision', 'float8']);

function isUnusual(column: ColumnMetadata): boolean {
  return Boolean(column.transformer) || Boolean(column.embeddedMetadata) || Boolean(column.relationMetadata) || column.isArray
    || typeof column.type !== 'string' || !PLAIN_TYPES.has(column.type);
}
