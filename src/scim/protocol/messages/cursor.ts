import { createHash, timingSafeEqual } from 'node:crypto';
import { ScimError } from '../errors/scim-error';

/**
 * Cursors for RFC 9865 cursor paging. A cursor is a position in a sorted list: the sort key and id of the last
 * resource of a page (`after`, for nextCursor) or of the first (`before`, for previousCursor). The server keeps no
 * state, so a cursor never expires (we send no `expiredCursor`); `cursorTimeout` in ServiceProviderConfig is the
 * validity we promise, not a limit we enforce.
 *
 * The wire form is base64url of `[version, direction, key, id, tag]`, all characters from RFC 3986's unreserved
 * set as RFC 9865 §2 requires. `tag` is a hash of the other fields and of the query the cursor belongs to (the
 * organisation, resource type, filter and sort): a cursor that was altered, truncated, or sent with another query
 * or by another organisation fails with 400 invalidCursor. The tag is not a secret MAC: forging a position is
 * harmless, because the organisation is always a condition of the SQL and a position only says where in the
 * caller's own result to start.
 */

export type CursorKeyValue = string | number | boolean;

export interface CursorPosition {
  readonly direction: 'after' | 'before';
  /** The sort key of the resource the position is next to; a dateTime is an ISO 8601 string. */
  readonly key: CursorKeyValue;
  readonly id: string;
}

/** What a cursor is bound to; a cursor decodes only with the scope it was encoded with. */
export interface CursorScope {
  readonly organisationId: string;
  readonly resourceType: string;
  readonly filter?: string;
  readonly sortBy?: string;
  readonly sortOrder?: string;
}

const VERSION = 1;
/** Longer than any cursor we issue (a 255-character key and a 36-character id encode to under 500). */
const MAX_CURSOR_LENGTH = 1024;
const TAG_BYTES = 12;
const DIRECTIONS = { a: 'after', b: 'before' } as const;

/** How long we promise a cursor stays valid, advertised as `pagination.cursorTimeout` (RFC 9865 §4). */
export const CURSOR_TIMEOUT_SECONDS = 86_400;

export function encodeCursor(position: CursorPosition, scope: CursorScope): string {
  const direction = position.direction === 'after' ? 'a' : 'b';
  const fields = [VERSION, direction, position.key, position.id] as const;
  return Buffer.from(JSON.stringify([...fields, tagOf(fields, scope)]), 'utf8').toString('base64url');
}

/** The position a cursor stands for, or 400 invalidCursor when it is not one we issued for this scope. */
export function decodeCursor(cursor: string, scope: CursorScope): CursorPosition {
  const invalid = (reason: string) =>
    ScimError.invalidCursor(
      `The cursor is invalid (${reason}). Send an empty cursor for the first page, then the nextCursor or previousCursor of the previous response, with the same filter and sort.`,
    );
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid('not a cursor this server issued');
  const bytes = Buffer.from(cursor, 'base64url');
  // Node decodes base64 leniently; only the exact text we would have produced is accepted.
  if (bytes.toString('base64url') !== cursor) throw invalid('not a cursor this server issued');
  let decoded: unknown;
  try {
    decoded = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('not a cursor this server issued');
  }
  if (!Array.isArray(decoded) || decoded.length !== 5) throw invalid('not a cursor this server issued');
  const [version, direction, key, id, tag]: unknown[] = decoded;
  if (version !== VERSION) throw invalid('issued by another version of this server');
  if (direction !== 'a' && direction !== 'b') throw invalid('not a cursor this server issued');
  if (!isKeyValue(key) || typeof id !== 'string' || id === '' || typeof tag !== 'string') throw invalid('not a cursor this server issued');
  if (!sameTag(tag, tagOf([VERSION, direction, key, id], scope))) {
    throw invalid('altered, or issued for another query or organisation');
  }
  return { direction: DIRECTIONS[direction], key, id };
}

function isKeyValue(value: unknown): value is CursorKeyValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function tagOf(fields: readonly [number, string, CursorKeyValue, string], scope: CursorScope): string {
  const bound = [scope.organisationId, scope.resourceType, scope.filter ?? null, scope.sortBy ?? null, scope.sortOrder ?? null];
  return createHash('sha256')
    .update(JSON.stringify([fields, bound]))
    .digest()
    .subarray(0, TAG_BYTES)
    .toString('base64url');
}

function sameTag(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
