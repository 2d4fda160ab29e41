import type { ObjectLiteral } from 'typeorm';
import { ScimError } from '../protocol/errors/scim-error';
import type { CursorKeyValue, CursorPosition } from '../protocol/messages';
import { compileSort, resolveSort, type OrderByTerm, type SortRequest } from './compile-sort';
import type { FilterMap, MappedColumn } from './filter-map';
import { SqlDialect, exactString, qualifiedColumn } from './sql-dialect';

/**
 * Keyset ("seek") pagination for RFC 9865 cursors: a page continues from the sort key and id of the row before it,
 *
 *   WHERE <organisation and filter> AND key >= :k AND (key > :k OR (key = :k AND id > :id))
 *   ORDER BY key, id LIMIT count + 1
 *
 * so the database seeks into an index on (organisationId, key, id) and reads count + 1 rows, however deep the page
 * (OFFSET reads and discards every row before it). The extra row only says whether a next page exists. Rows
 * inserted or deleted while a client walks the list never make it skip or repeat a row that was there all along.
 *
 * The comparisons use the very expressions of the ORDER BY (compileSort), byte-wise on MariaDB as there, so the
 * WHERE and the ORDER BY always agree on what comes after what.
 */
export interface KeysetSort {
  readonly map: FilterMap;
  readonly dialect: SqlDialect;
  readonly alias: string;
  /** The column whose value is the key: the normalised column for a case-insensitive string. */
  readonly keyColumn: string;
  readonly keyType: MappedColumn['type'];
  readonly order: 'ASC' | 'DESC';
  readonly terms: readonly OrderByTerm[];
}

/**
 * The keyset for a sort. Sorting by an attribute that may be empty is refused with 400 invalidValue: rows without
 * a value sort apart from the rest (compileSort) and a position among them would need a second key.
 */
export function keysetSort(request: SortRequest, map: FilterMap, dialect: SqlDialect, alias: string): KeysetSort {
  const { column, order } = resolveSort(request, map);
  const caseFolded = column.type === 'string' && !column.caseExact;
  if (column.nullable || (caseFolded && column.normalizedColumn === undefined)) {
    throw ScimError.invalidValue(
      `sortBy "${column.path}" cannot be combined with cursor paging: not every resource has a value to continue from. ` +
        'Page with startIndex instead, or sort by an attribute every resource has, such as id or meta.created.',
    );
  }
  return {
    map,
    dialect,
    alias,
    keyColumn: caseFolded && column.normalizedColumn !== undefined ? column.normalizedColumn : column.column,
    keyType: column.type,
    order,
    terms: compileSort(request, map, dialect, alias),
  };
}

/** The WHERE clause that keeps the rows on the far side of a position, in the direction of travel. */
export function keysetCondition(
  sort: KeysetSort,
  position: CursorPosition,
): { where: string; parameters: Record<string, string | boolean | Date> } {
  const { dialect, alias, map } = sort;
  const isAscending = (position.direction === 'after') === (sort.order === 'ASC');
  const beyond = isAscending ? '>' : '<';
  const idRef = qualifiedColumn(dialect, alias, map.idColumn);
  if (sort.keyColumn === map.idColumn) return { where: `${idRef} ${beyond} :cursorId`, parameters: { cursorId: position.id } };
  const keyRef = qualifiedColumn(dialect, alias, sort.keyColumn);
  const key = sort.keyType === 'string' ? exactString(dialect, ':cursorKey') : ':cursorKey';
  // The first conjunct repeats what the disjunction implies so that MariaDB and SQLite see a range on the index.
  const where = `(${keyRef} ${beyond}= ${key} AND (${keyRef} ${beyond} ${key} OR (${keyRef} = ${key} AND ${idRef} ${beyond} :cursorId)))`;
  return { where, parameters: { cursorKey: keyParameter(sort, position.key), cursorId: position.id } };
}

/** The key stored in a cursor, back as the value the column compares with; a key of the wrong type is invalidCursor. */
function keyParameter(sort: KeysetSort, key: CursorKeyValue): string | boolean | Date {
  const wrong = () => ScimError.invalidCursor('The cursor does not belong to this sort order.');
  switch (sort.keyType) {
    case 'dateTime': {
      const date = typeof key === 'string' ? new Date(key) : undefined;
      if (date === undefined || Number.isNaN(date.getTime()) || date.toISOString() !== key) throw wrong();
      return date;
    }
    case 'boolean':
      if (typeof key !== 'boolean') throw wrong();
      return key;
    case 'string':
      if (typeof key !== 'string') throw wrong();
      return key;
  }
}

/** The position just after (or before) a row, read from the loaded entity. */
export function positionOf(sort: KeysetSort, direction: CursorPosition['direction'], row: ObjectLiteral): CursorPosition {
  const id: unknown = Reflect.get(row, sort.map.idColumn);
  const value: unknown = Reflect.get(row, sort.keyColumn);
  if (typeof id !== 'string') throw new TypeError(`Row without a string ${sort.map.idColumn}.`);
  const key = value instanceof Date ? value.toISOString() : value;
  if (typeof key !== 'string' && typeof key !== 'boolean') throw new TypeError(`Row without a value in ${sort.keyColumn}.`);
  return { direction, key, id };
}

export interface KeysetPage<E> {
  readonly rows: E[];
  /** After the last row, when more rows follow. */
  readonly next?: CursorPosition;
  /** Before the first row, when the page did not start at the beginning. */
  readonly previous?: CursorPosition;
}

/** Fetches up to `limit` rows in `order`, beyond `condition` when there is one: the list query of a repository. */
export type KeysetFetch<E> = (
  condition: { where: string; parameters: Record<string, string | boolean | Date> } | undefined,
  order: readonly OrderByTerm[],
  limit: number,
) => Promise<E[]>;

/**
 * One page of a list (the organisation and filter conditions, which `fetch` applies) from a position. `before` walks
 * backwards: the rows before the position in reverse order, turned round; when fewer than a page remain there,
 * the first page is served instead, so going back never yields a short page in the middle of nowhere.
 */
export async function fetchKeysetPage<E extends ObjectLiteral>(
  fetch: KeysetFetch<E>,
  sort: KeysetSort,
  position: CursorPosition | undefined,
  limit: number,
): Promise<KeysetPage<E>> {
  if (position?.direction === 'before') {
    const earlier = await fetchFrom(fetch, sort, position, limit);
    if (earlier.length <= limit) return fetchKeysetPage(fetch, sort, undefined, limit);
    const rows = earlier.slice(0, limit).reverse();
    return { rows, next: positionOf(sort, 'after', rows[rows.length - 1]), previous: positionOf(sort, 'before', rows[0]) };
  }
  const later = await fetchFrom(fetch, sort, position, limit);
  const rows = later.slice(0, limit);
  const next = later.length > limit ? positionOf(sort, 'after', rows[rows.length - 1]) : undefined;
  if (position === undefined) return { rows, next };
  // Past the end (the rows after the position were deleted) the way back still starts from the position itself.
  const previous = rows.length > 0 ? positionOf(sort, 'before', rows[0]) : { ...position, direction: 'before' as const };
  return { rows, next, previous };
}

/** Up to limit + 1 rows beyond the position, in the order of travel. */
function fetchFrom<E extends ObjectLiteral>(
  fetch: KeysetFetch<E>,
  sort: KeysetSort,
  position: CursorPosition | undefined,
  limit: number,
): Promise<E[]> {
  const isBackwards = position?.direction === 'before';
  const order = sort.terms.map((term) => ({ ...term, order: isBackwards ? reverse(term.order) : term.order }));
  return fetch(position === undefined ? undefined : keysetCondition(sort, position), order, limit + 1);
}

const reverse = (order: 'ASC' | 'DESC'): 'ASC' | 'DESC' => (order === 'ASC' ? 'DESC' : 'ASC');
