import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { batchWrite, type WriteErrorMapper } from './write-batch';

/**
 * `INSERT INTO table (columns) VALUES (…), (…)` for rows of an entity, as one statement, for the hot write paths
 * (a SCIM POST inserts a user, its contact lists and a log event; every SCIM call a request-log row).
 *
 * Why not TypeORM's insert query builder: it names every value as a parameter and looks each name up again while
 * building the SQL, so on a SCIM POST it cost more CPU than the rest of the request together (about 0.7 ms a POST in
 * the bench's CPU profile). This writes the statement with positional parameters, and converts each value with the
 * driver's own `preparePersistentValue`, the conversion the query builder applies (booleans, datetimes, transformers),
 * so the stored values are the same; the entity round-trip tests read them back through TypeORM.
 *
 * What it does not do, unlike the query builder: run entity listeners or subscribers (callers set every column,
 * timestamps included; no subscriber here watches inserts), or read generated values back. The columns written are
 * those any row sets; a row that leaves one of them undefined gets NULL.
 *
 * Nothing reads an insert's result, so in a MariaDB transaction of TransactionService the statement is held and sent
 * with the transaction's next one (write-batch.ts): a failure surfaces there, turned into the caller's error by
 * `mapError`.
 */
export async function insertRows<E extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<E>,
  rows: readonly E[],
  mapError?: WriteErrorMapper,
): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = em.connection;
  const metadata = em.connection.getMetadata(target);
  const columns = metadata.columns.filter((column) => rows.some((row) => column.getEntityValue(row) !== undefined));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const sql =
    `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((column) => driver.escape(column.databaseName)).join(', ')}) ` +
    `VALUES ${rows.map(() => tuple).join(', ')}`;
  const parameters = rows.flatMap((row) => columns.map((column) => persistentValue(em, column, row)));
  await batchWrite(em, { sql, parameters }, mapError);
}

function persistentValue(em: EntityManager, column: ColumnMetadata, row: ObjectLiteral): unknown {
  const value: unknown = column.getEntityValue(row);
  return value === undefined ? null : em.connection.driver.preparePersistentValue(value, column);
}
