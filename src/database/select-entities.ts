import type { Driver, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { readRows } from './read-rows';

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
  const reader = readerOf(metadata);
  const { columns } = reader;
  const rows: ObjectLiteral[] = await query(
    em,
    `SELECT ${selectList(reader, alias)} FROM ${from(em, target, alias)} ${clauses}`,
    parameters,
  );
  return rows.map((row) => {
    const entity: ObjectLiteral = metadata.create();
    for (const { column, field, property } of columns) {
      const value: unknown = driver.prepareHydratedValue(row[field], column);
      // A plain assignment, as TypeORM's own hydration does for columns outside embedded objects.
      if (property !== undefined) entity[property] = value;
      else column.setEntityValue(entity, value);
    }
    return entity as E;
  });
}

/** One selected column: where its value is in a row, and where it goes in the entity. */
interface ReadColumn {
  readonly column: ColumnMetadata;
  /** The key of its value in a result row. */
  readonly field: string;
  /** The entity property it is assigned to; undefined for a column inside an embedded object (setEntityValue). */
  readonly property: string | undefined;
}

interface EntityReader {
  /** Columns declared `select: false` (a password hash) are left out and stay unread, as with find(). */
  readonly columns: readonly ReadColumn[];
  readonly driver: Driver;
  /** Alias → `"alias"."column", …`, the SELECT list. */
  readonly selectLists: Map<string, string>;
  /** Only held, never read: see readerOf. */
  readonly shapeTemplate: ObjectLiteral;
}

/**
 * What selectEntities needs to know of an entity, worked out once per entity (metadata lives as long as its
 * DataSource) instead of on every call and every row: a page of 100 users hydrates some 4,000 values.
 */
const readers = new WeakMap<EntityMetadata, EntityReader>();

function readerOf(metadata: EntityMetadata): EntityReader {
  const known = readers.get(metadata);
  if (known !== undefined) return known;
  const columns: ReadColumn[] = metadata.columns
    .filter((column) => column.isSelect && !column.isVirtual)
    .map((column) => ({
      column,
      field: column.databaseName,
      property: column.embeddedMetadata === undefined ? column.propertyName : undefined,
    }));
  // Why a template entity: an entity has dozens of columns, and V8 turns an object into a slow dictionary once more
  // than a dozen or so properties are added to it by computed name (`entity[property] = …`), unless it follows a
  // chain of hidden classes that already exists. Object.defineProperty is not held to that limit, so defining the
  // properties once here, in the order the rows assign them, lays the chain, and holding the template keeps it.
  // Every entity then stays a fast object: cheaper to fill here, and to read in the mappers, which read every
  // column of every row of a page. Values and behaviour are the same either way.
  const shapeTemplate: ObjectLiteral = metadata.create();
  for (const { property } of columns) {
    if (property === undefined) continue;
    Object.defineProperty(shapeTemplate, property, { value: null, writable: true, enumerable: true, configurable: true });
  }
  const reader = { columns, driver: metadata.connection.driver, selectLists: new Map<string, string>(), shapeTemplate };
  readers.set(metadata, reader);
  return reader;
}

function selectList(reader: EntityReader, alias: string): string {
  let list = reader.selectLists.get(alias);
  if (list === undefined) {
    const { driver } = reader;
    list = reader.columns.map(({ field }) => `${driver.escape(alias)}.${driver.escape(field)}`).join(', ');
    reader.selectLists.set(alias, list);
  }
  return list;
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

/** Runs a SELECT with named parameters, expanded by the driver as the query builder expands them. */
function query<R extends ObjectLiteral>(em: EntityManager, sql: string, parameters: ObjectLiteral): Promise<R[]> {
  const [text, values] = em.connection.driver.escapeQueryWithParameters(sql, parameters, {});
  return readRows<R>(em, text, values);
}
