import { ScimError } from '../protocol/errors/scim-error';
import { FilterMap, MappedColumn, lookupMapped, singleValuedColumn } from './filter-map';
import { SqlDialect, exactString, presentSql, qualifiedColumn } from './sql-dialect';

export interface SortRequest {
  /** The `sortBy` query parameter as sent: an attribute path, any case, optionally URN-qualified. */
  readonly sortBy?: string;
  /** The `sortOrder` query parameter as sent: `ascending` (the default) or `descending`, any case. */
  readonly sortOrder?: string;
}

/** One ORDER BY term, for `queryBuilder.addOrderBy(expression, order)`. */
export interface OrderByTerm {
  readonly expression: string;
  readonly order: 'ASC' | 'DESC';
}

/**
 * The ORDER BY of a list (RFC 7644 §3.4.2.3): the `sortBy` attribute, or the map's default (creation time) without
 * one, always followed by the id so that pages never skip or repeat a resource (trap T18, guide §4.7).
 *
 * - Strings sort by the attribute's `caseExact`: case-insensitive ones on the normalised column or `LOWER(column)`.
 * - Resources without a value (NULL or "") come last when ascending and first when descending, in id order, so
 *   descending is exactly the reverse of ascending.
 * - Only single-valued attributes sort. The RFC sorts a multi-valued attribute by its primary (else first)
 *   element; we refuse it with 400 invalidValue instead, as no identity provider asks for it.
 *
 * An unknown or unsortable `sortBy`, or a `sortOrder` other than ascending/descending, is 400 invalidValue.
 */
export function compileSort(request: SortRequest, map: FilterMap, dialect: SqlDialect, rootAlias: string): readonly OrderByTerm[] {
  const { column, order } = resolveSort(request, map);
  const ref = qualifiedColumn(dialect, rootAlias, column.column);
  const key = sortKey(dialect, rootAlias, column);
  const terms: OrderByTerm[] = [];
  if (column.nullable) {
    // NULL and "" both mean "no value": those resources go to one end and keep only the id order among them.
    // A required column holds no NULL, and we take it to hold no "" either (userName and id never do).
    const present = presentSql(dialect, ref, { isText: column.type === 'string', nullable: true });
    terms.push({ expression: `CASE WHEN ${present} THEN 0 ELSE 1 END`, order });
    terms.push({ expression: column.type === 'string' ? `CASE WHEN ${present} THEN ${key} END` : key, order });
  } else {
    terms.push({ expression: key, order });
  }
  if (column.column !== map.idColumn) terms.push({ expression: qualifiedColumn(dialect, rootAlias, map.idColumn), order });
  return terms;
}

/** The column a list sorts by and in which direction; 400 invalidValue for a sortBy or sortOrder we cannot sort by. */
export function resolveSort(request: SortRequest, map: FilterMap): { column: MappedColumn; order: 'ASC' | 'DESC' } {
  if (isDefaultSort(request)) return { column: map.defaultSort, order: 'ASC' };
  return { column: sortColumn((request.sortBy ?? '').trim(), map), order: sortDirection(request.sortOrder) };
}

/** No sortBy: the resource type's default order, ascending whatever sortOrder says. */
export const isDefaultSort = (request: SortRequest): boolean => (request.sortBy?.trim() ?? '') === '';

function sortColumn(sortBy: string, map: FilterMap): MappedColumn {
  const lookup = lookupMapped(map, sortBy);
  if (!lookup.found) {
    throw ScimError.invalidValue(
      lookup.reason === 'unknown' ? `Unknown attribute "${sortBy}" in sortBy.` : `Sorting by "${sortBy}" is not supported.`,
    );
  }
  if (lookup.attribute.kind === 'multiValued') {
    throw ScimError.invalidValue(`Sorting by "${sortBy}" is not supported: it is multi-valued.`);
  }
  const column = singleValuedColumn(lookup);
  if (column === undefined) throw ScimError.invalidValue(`Sorting by "${sortBy}" is not supported: name one of its sub-attributes.`);
  return column;
}

function sortDirection(sortOrder: string | undefined): 'ASC' | 'DESC' {
  const normalised = sortOrder?.trim().toLowerCase() ?? '';
  if (normalised === '' || normalised === 'ascending') return 'ASC';
  if (normalised === 'descending') return 'DESC';
  throw ScimError.invalidValue(`sortOrder must be "ascending" or "descending", not "${sortOrder}".`);
}

/** Strings sort as they compare in filters: by caseExact, and on MariaDB/MySQL without PAD SPACE ties. */
function sortKey(dialect: SqlDialect, alias: string, column: MappedColumn): string {
  const ref = qualifiedColumn(dialect, alias, column.column);
  if (column.type !== 'string') return ref;
  if (column.caseExact) return exactString(dialect, ref);
  return exactString(
    dialect,
    column.normalizedColumn === undefined ? `LOWER(${ref})` : qualifiedColumn(dialect, alias, column.normalizedColumn),
  );
}
