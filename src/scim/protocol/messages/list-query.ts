import { ScimError } from '../errors/scim-error';
import { parseAttributeList, type Projection } from './projection';

/** A list request, from `GET /Users?…` query parameters or a `POST /Users/.search` body (RFC 7644 §3.4.2, §3.4.3). */
export interface ListQuery extends Projection {
  readonly filter?: string;
  /** 1-based; always 1 when paging by cursor. */
  readonly startIndex: number;
  /** 0 asks for totalResults only (index paging; cursor paging needs at least 1). */
  readonly count: number;
  /**
   * Present when the client pages by cursor (RFC 9865): "" asks for the first page, anything else is a
   * nextCursor/previousCursor we issued. Absent means index paging with startIndex, our default.
   */
  readonly cursor?: string;
  readonly sortBy?: string;
  readonly sortOrder?: string;
}

export interface PagingLimits {
  readonly defaultCount: number;
  readonly maxCount: number;
}

/** Our list limits; maxCount is advertised as `filter.maxResults` in ServiceProviderConfig. */
export const SCIM_PAGING: PagingLimits = { defaultCount: 100, maxCount: 200 };

/**
 * Reads list parameters. Names are matched in any case and unknown ones ignored (Entra adds
 * `aadOptscim062020`, guide §2.1). Numbers may arrive as strings (query) or numbers (.search).
 * startIndex below 1 means 1 and count below 0 means 0 (RFC 7644 §3.4.2.4); a count above the
 * maximum is lowered to it, the documented `filter.maxResults` of ServiceProviderConfig.
 *
 * `cursor` (RFC 9865) selects cursor paging; `?cursor` and `?cursor=` both ask for the first page. It cannot be
 * combined with startIndex (400 invalidValue: the two methods would disagree on where the page starts), and its
 * count must be at least 1 (400 invalidCount), since an empty page cannot carry the position of the next one.
 */
export function parseListQuery(parameters: Readonly<Record<string, unknown>>, limits: PagingLimits): ListQuery {
  const byName = new Map(Object.entries(parameters).map(([name, value]) => [name.toLowerCase(), value]));
  const startIndex = integer(byName.get('startindex'), 'startIndex');
  const count = integer(byName.get('count'), 'count');
  const cursor = cursorParameter(byName.get('cursor'));
  if (cursor !== undefined && byName.get('startindex') !== undefined) {
    throw ScimError.invalidValue('Use either cursor or startIndex to page, not both.');
  }
  if (cursor !== undefined && count !== undefined && count < 1) {
    throw ScimError.invalidCount(`count must be between 1 and ${limits.maxCount} when paging by cursor.`);
  }
  return {
    filter: single(byName.get('filter'), 'filter'),
    startIndex: Math.max(1, startIndex ?? 1),
    count: Math.min(limits.maxCount, Math.max(0, count ?? limits.defaultCount)),
    ...(cursor === undefined ? {} : { cursor }),
    sortBy: single(byName.get('sortby'), 'sortBy'),
    sortOrder: single(byName.get('sortorder'), 'sortOrder'),
    attributes: attributeList(byName.get('attributes'), 'attributes'),
    excludedAttributes: attributeList(byName.get('excludedattributes'), 'excludedAttributes'),
  };
}

/** Only `attributes` and `excludedAttributes`, for requests that return one resource. */
export function parseProjection(parameters: Readonly<Record<string, unknown>>): Projection {
  const byName = new Map(Object.entries(parameters).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    attributes: attributeList(byName.get('attributes'), 'attributes'),
    excludedAttributes: attributeList(byName.get('excludedattributes'), 'excludedAttributes'),
  };
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ScimError.invalidValue(`${name} must be given once, as a string.`);
  return value;
}

/** The cursor as sent; its content is checked where the query it belongs to is known (decodeCursor). */
function cursorParameter(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value !== 'string') throw ScimError.invalidCursor('cursor must be given once, as a string.');
  return value;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^[+-]?\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw ScimError.invalidValue(`${name} must be an integer.`);
  return number;
}

function attributeList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const isStrings = typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
  if (!isStrings) throw ScimError.invalidValue(`${name} must be a comma-separated list of attribute names.`);
  const names = parseAttributeList(value as string | string[]);
  return names.length > 0 ? names : undefined;
}
