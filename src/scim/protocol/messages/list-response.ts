import { LIST_RESPONSE_SCHEMA } from './message-schemas';

export interface ListResponse<T> {
  readonly schemas: readonly [typeof LIST_RESPONSE_SCHEMA];
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly Resources: readonly T[];
}

export interface ListPage {
  /** Every match of the query, not just this page (trap T19). */
  readonly totalResults: number;
  /** 1-based index of the first resource of this page. */
  readonly startIndex: number;
  /** The number of resources in this page; when given it must equal `resources.length`. */
  readonly itemsPerPage?: number;
}

/**
 * A ListResponse (RFC 7644 §3.4.2) with all five members, always: no results is `totalResults: 0` with
 * `Resources: []` (never a 404, guide §2.2), and the counters are JSON integers (trap T21). Numbers that cannot
 * describe a real page are a bug in the caller and throw a RangeError.
 */
export function listResponse<T>(resources: readonly T[], page: ListPage): ListResponse<T> {
  const { totalResults, startIndex } = page;
  const itemsPerPage = page.itemsPerPage ?? resources.length;
  if (!Number.isInteger(totalResults) || totalResults < resources.length) {
    throw new RangeError(`totalResults ${totalResults} must be an integer of at least ${resources.length}, the resources in this page.`);
  }
  if (!Number.isInteger(startIndex) || startIndex < 1) throw new RangeError(`startIndex ${startIndex} must be an integer of at least 1.`);
  if (itemsPerPage !== resources.length) {
    throw new RangeError(`itemsPerPage ${itemsPerPage} must equal the number of resources in this page (${resources.length}).`);
  }
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults, startIndex, itemsPerPage, Resources: [...resources] };
}

/**
 * A page of a cursor-paged list (RFC 9865 §2): `nextCursor` on every page but the last, `previousCursor` where
 * there is a page before. There is no `startIndex`, which only means something for index paging.
 */
export interface CursorListResponse<T> {
  readonly schemas: readonly [typeof LIST_RESPONSE_SCHEMA];
  readonly totalResults: number;
  readonly itemsPerPage: number;
  readonly nextCursor?: string;
  readonly previousCursor?: string;
  readonly Resources: readonly T[];
}

export interface CursorPage {
  /** Every match of the query, not just this page. */
  readonly totalResults: number;
  readonly nextCursor?: string;
  readonly previousCursor?: string;
}

/**
 * RFC 9865 lets a server omit totalResults when it cannot count; we can, with one indexed COUNT whose cost does
 * not depend on the page's depth, so it is always given as RFC 7644 §3.4.1 asks.
 */
export function cursorListResponse<T>(resources: readonly T[], page: CursorPage): CursorListResponse<T> {
  const { totalResults, nextCursor, previousCursor } = page;
  if (!Number.isInteger(totalResults) || totalResults < 0)
    throw new RangeError(`totalResults ${totalResults} must be a non-negative integer.`);
  if (nextCursor === '' || previousCursor === '') throw new RangeError('A cursor in a response is never empty: leave it out instead.');
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    itemsPerPage: resources.length,
    ...(nextCursor === undefined ? {} : { nextCursor }),
    ...(previousCursor === undefined ? {} : { previousCursor }),
    Resources: [...resources],
  };
}
