import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CursorPosition } from '../protocol/messages';
import type { OrderByTerm } from './compile-sort';
import { fetchKeysetPage, type KeysetPage, type KeysetSort } from './keyset-pagination';

/**
 * Pages of a list query together with `totalResults`, for Users and Groups alike.
 *
 * The total costs a COUNT only when the page cannot tell it. A page that ends short of its size says where
 * the matches end, so the lookups Entra sends all day (a filter matching one resource or none) read the
 * table once instead of twice; a full page, or one past the end, still counts, as a SCIM client pages by
 * `totalResults` and it must be exact (guide: "honest totalResults"; RFC 9865 keeps it on cursor pages).
 */

export interface OffsetPage<E> {
  rows: E[];
  total: number;
}

/** Rows `offset` to `offset + limit` of `matching` in the order of `sort`; `limit` 0 asks for the total only. */
export async function fetchOffsetPage<E extends ObjectLiteral>(
  matching: SelectQueryBuilder<E>,
  sort: readonly OrderByTerm[],
  offset: number,
  limit: number,
): Promise<OffsetPage<E>> {
  if (limit === 0) return { rows: [], total: await matching.getCount() };
  const page = matching.clone();
  for (const term of sort) page.addOrderBy(term.expression, term.order);
  const rows = await page.offset(offset).limit(limit).getMany();
  const endsHere = rows.length < limit && (rows.length > 0 || offset === 0);
  return { rows, total: endsHere ? offset + rows.length : await matching.getCount() };
}

/** A keyset page (keyset-pagination.ts) of `matching`, with the total. */
export async function fetchCursorPage<E extends ObjectLiteral>(
  matching: SelectQueryBuilder<E>,
  sort: KeysetSort,
  position: CursorPosition | undefined,
  limit: number,
): Promise<KeysetPage<E> & { total: number }> {
  const page = await fetchKeysetPage(matching, sort, position, limit);
  // The first page with nothing after it holds every match.
  const isWholeList = position === undefined && page.next === undefined;
  return { ...page, total: isWholeList ? page.rows.length : await matching.getCount() };
}
