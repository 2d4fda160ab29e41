import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { batchWrite, type WriteErrorMapper } from './write-batch';

/**
 * INSERT, UPDATE and DELETE statements for the hot write paths, written from TypeORM's metadata instead of its query
 * builders.
 *
 * `INSERT INTO table (columns) VALUES (…), (…)` for rows of an entity, as one statement (a SCIM POST inserts a user,
 * its contact lists and a log event; every SCIM call a request-log row).
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
  { mapError, skipExisting = false }: InsertOptions = {},
): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = em.connection;
  const metadata = em.connection.getMetadata(target);
  const columns = metadata.columns.filter((column) => rows.some((row) => column.getEntityValue(row) !== undefined));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const sql =
    `${skipExisting ? insertIgnoring(em) : 'INSERT'} INTO ${tableOf(em, metadata)} ` +
    `(${columns.map((column) => driver.escape(column.databaseName)).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`;
  const parameters = rows.flatMap((row) => columns.map((column) => persistentValue(em, column, row)));
  await batchWrite(em, { sql, parameters }, mapError);
}

export interface InsertOptions {
  /** Turns a failure of the insert into the caller's own error (e.g. a taken userName). */
  readonly mapError?: WriteErrorMapper;
  /**
   * Rows whose key is already stored are left as they are instead of failing the insert (insert-if-absent). The
   * statement TypeORM's `orIgnore()` writes: `INSERT IGNORE` on MariaDB/MySQL, `INSERT OR IGNORE` on SQLite.
   */
  readonly skipExisting?: boolean;
}

const insertIgnoring = (em: EntityManager) => (em.connection.options.type === 'better-sqlite3' ? 'INSERT OR IGNORE' : 'INSERT IGNORE');

/**
 * `UPDATE table SET column = ?, … WHERE column = ? AND …`: the columns `changes` names, on the rows whose columns equal
 * `where` (a SCIM PATCH or PUT of a user or group, under its row lock).
 *
 * Why not TypeORM's update query builder: building the statement (named parameters, then every property name in the
 * whole statement rewritten) cost about 0.1 ms of a SCIM PATCH's CPU in the bench's profile. Values are converted by
 * the driver's `preparePersistentValue`, as in insertRows. Unlike the builder it sets only what it is given: no
 * version increment or update date of its own, which the callers set themselves (they hold the row lock, so they know
 * the version they replace). Held in a batching transaction like an insert.
 *
 * Entity subscribers are not told, the managed-by-SCIM guard (user-write-guard.subscriber.ts) among them: these are
 * for writes that applied their rules already, as SCIM's own writes do under the policy (asUserWriter).
 */
export async function updateRows<E extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<E>,
  where: RowCondition<E>,
  changes: Partial<E>,
  mapError?: WriteErrorMapper,
): Promise<void> {
  const metadata = em.connection.getMetadata(target);
  const set = Object.keys(changes).map((property) => columnNamed(metadata, property));
  if (set.length === 0) throw new Error(`updateRows on ${metadata.tableName} with nothing to set`);
  const condition = whereClause(em, metadata, where);
  await batchWrite(
    em,
    {
      sql: `UPDATE ${tableOf(em, metadata)} SET ${set.map((column) => `${em.connection.driver.escape(column.databaseName)} = ?`).join(', ')} ${condition.sql}`,
      parameters: [...set.map((column) => persistentValue(em, column, changes)), ...condition.parameters],
    },
    mapError,
  );
}

/**
 * `DELETE FROM table WHERE column = ? AND column IN (?, …)`: a property given a list matches any of its values. Held in
 * a batching transaction like an insert (a contact list rewritten, team members removed).
 */
export async function deleteRows<E extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<E>,
  where: RowCondition<E>,
): Promise<void> {
  const metadata = em.connection.getMetadata(target);
  const condition = whereClause(em, metadata, where);
  await batchWrite(em, { sql: `DELETE FROM ${tableOf(em, metadata)} ${condition.sql}`, parameters: condition.parameters });
}

/** Column values a row must have: one value, or a list of which it must have one. */
export type RowCondition<E> = { readonly [P in keyof E]?: E[P] | readonly E[P][] };

/** `WHERE column = ? AND column IN (?, …)` for the properties of `where`; never empty, so no statement here reaches a whole table. */
function whereClause(
  em: EntityManager,
  metadata: EntityMetadata,
  where: RowCondition<ObjectLiteral>,
): { sql: string; parameters: unknown[] } {
  const terms: string[] = [];
  const parameters: unknown[] = [];
  for (const [property, wanted] of Object.entries(where)) {
    const column = columnNamed(metadata, property);
    const name = em.connection.driver.escape(column.databaseName);
    const values: readonly unknown[] = Array.isArray(wanted) ? wanted : [wanted];
    if (values.length === 0) throw new Error(`${metadata.tableName}.${property} matched against an empty list`);
    terms.push(values.length === 1 ? `${name} = ?` : `${name} IN (${values.map(() => '?').join(', ')})`);
    for (const value of values) parameters.push(em.connection.driver.preparePersistentValue(value, column));
  }
  if (terms.length === 0) throw new Error(`A statement on ${metadata.tableName} without a condition`);
  return { sql: `WHERE ${terms.join(' AND ')}`, parameters };
}

const tableOf = (em: EntityManager, metadata: EntityMetadata) => em.connection.driver.escape(metadata.tableName);

function columnNamed(metadata: EntityMetadata, property: string): ColumnMetadata {
  const column = metadata.findColumnWithPropertyName(property);
  if (column === undefined) throw new Error(`${metadata.tableName} has no column for ${property}`);
  return column;
}

function persistentValue(em: EntityManager, column: ColumnMetadata, row: ObjectLiteral): unknown {
  const value: unknown = column.getEntityValue(row);
  return value === undefined ? null : em.connection.driver.preparePersistentValue(value, column);
}
