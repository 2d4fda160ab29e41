import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * `SELECT <every column> FROM table alias <clauses>`, hydrated into entity instances, for the SCIM read paths that
 * run on every call (a lookup, a page of 100, the row a write locks).
 *
 * Why not the query builder: building the SELECT (alias and property-name rewriting of the whole statement) and
 * hydrating through its generic transformer cost about a quarter of a millisecond of CPU per lookup and several
 * milliseconds per page of 100 in the bench's CPU profile. Here the column list is TypeORM's metadata, the named
 * parameters (`:name`, `:...names`) are expanded by the driver as the query builder does, and each value is turned
 * back by the driver's own `prepareHydratedValue`, so the entities equal those `find` returns (the e2e suite runs
 * on both databases). Relations are not loaded.
 */
export async function selectEntities<E extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<E>,
  alias: string,
  clauses: string,
  parameters: ObjectLiteral = {},
): Promise<E[]> {
  const { driver } = em.connection;
  const metadata = em.connection.getMetadata(target);
  // Columns declared `select: false` (a password hash) stay unread, as with find().
  const columns = metadata.columns.filter((column) => column.isSelect && !column.isVirtual);
  const list = columns.map((column) => `${driver.escape(alias)}.${driver.escape(column.databaseName)}`).join(', ');
  const rows: ObjectLiteral[] = await query(em, `SELECT ${list} FROM ${from(em, target, alias)} ${clauses}`, parameters);
  return rows.map((row) => {
    const entity = metadata.create() as E;
    for (const column of columns) {
      const value: unknown = driver.prepareHydratedValue(row[column.databaseName], column);
      // A plain assignment, as TypeORM's own hydration does for columns outside embedded objects.
      if (column.embeddedMetadata === undefined) (entity as ObjectLiteral)[column.propertyName] = value;
      else column.setEntityValue(entity, value);
    }
    return entity;
  });
}

/** `SELECT COUNT(*) FROM table alias <clauses>`, with named parameters as in selectEntities. */
export async function countRows(
  em: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  alias: string,
  clauses: string,
  parameters: ObjectLiteral = {},
): Promise<number> {
  const total = em.connection.driver.escape('total');
  const [row]: { total: number | string }[] = await query(
    em,
    `SELECT COUNT(*) AS ${total} FROM ${from(em, target, alias)} ${clauses}`,
    parameters,
  );
  return Number(row.total);
}

/** `table alias`, quoted for the driver. */
function from(em: EntityManager, target: EntityTarget<ObjectLiteral>, alias: string): string {
  const { driver } = em.connection;
  return `${driver.escape(em.connection.getMetadata(target).tableName)} ${driver.escape(alias)}`;
}

/** Runs a statement with named parameters, expanded by the driver as the query builder expands them. */
function query<R>(em: EntityManager, sql: string, parameters: ObjectLiteral): Promise<R> {
  const [text, values] = em.connection.driver.escapeQueryWithParameters(sql, parameters, {});
  return em.query(text, values);
}
