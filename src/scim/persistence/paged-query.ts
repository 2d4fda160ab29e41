import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { countRows, selectEntities } from '../../database/select-entities';
import { organisationRowCount, organisationRows, type CountedTable } from '../../organisations/organisation-row-counts';
import type { FilterNode } from '../protocol/filter';
import type { CursorPosition } from '../protocol/messages';
import { compileFilter } from './compile-filter';
import { compileSort, isDefaultSort, type OrderByTerm, type SortRequest } from './compile-sort';
import type { FilterMap } from './filter-map';
import {
  fetchKeysetPage,
  keysetCondition,
  keysetSort,
  positionOf,
  type KeysetFetch,
  type KeysetPage,
  type KeysetSort,
} from './keyset-pagination';
import { PositionAnchors, SAMPLE_SPACING, type Anchor } from './position-anchors';
import { dialectFor, qualifiedColumn, type SqlDialect } from './sql-dialect';

/**
 * Pages of a SCIM list together with `totalResults`, for Users and Groups alike, as raw statements
 * (select-entities.ts): these run on every lookup Entra sends.
 *
 * `totalResults` must be exact, as a SCIM client pages by it (guide: "honest totalResults"; RFC 9865 keeps it on
 * cursor pages), and it costs as little as the list allows:
 * - A page that ends short of its size says where the matches end, so the lookups Entra sends all day (a filter
 *   matching one resource or none) read the table once and count nothing.
 * - A list without a filter (an import walking every user) reads the organisation's row count
 *   (organisation-row-counts.ts) instead of counting its rows.
 * - A filtered list whose page is full, or past the end, runs a COUNT of the matches.
 */

/** The rows a list is drawn from: an entity under an alias, and the organisation and filter conditions on it. */
export interface ListSource<E extends ObjectLiteral> {
  readonly target: EntityTarget<E>;
  readonly alias: string;
  readonly organisationId: string;
  /** With TypeORM named parameters (`:name`). */
  readonly where: string;
  readonly parameters: ObjectLiteral;
  /** Whether a filter narrows the organisation's resources. */
  readonly filtered: boolean;
}

/** The organisation's resources that match the filter (compile-filter.ts). */
export function listSource<E extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<E>,
  alias: string,
  map: FilterMap,
  organisationId: string,
  filter: FilterNode | undefined,
): ListSource<E> {
  const dialect = dialectFor(em.connection.options.type);
  const scope = `${qualifiedColumn(dialect, alias, 'organisationId')} = :organisationId`;
  if (!filter) return { target, alias, organisationId, where: scope, parameters: { organisationId }, filtered: false };
  const compiled = compileFilter(filter, map, dialect, alias, organisationId);
  return {
    target,
    alias,
    organisationId,
    where: `${scope} AND (${compiled.where})`,
    parameters: { ...compiled.parameters, organisationId },
    filtered: true,
  };
}

export interface OffsetPage<E> {
  rows: E[];
  total: number;
}

/** The order of a startIndex list; in the default order, also as a keyset, which deep pages continue by. */
export interface ListOrder {
  readonly terms: readonly OrderByTerm[];
  readonly anchored?: KeysetSort;
}

export function listOrder(request: SortRequest, map: FilterMap, dialect: SqlDialect, alias: string): ListOrder {
  // Only the default order (creation time, then id) is anchored: no update moves a row in it (position-anchors.ts).
  if (!isDefaultSort(request)) return { terms: compileSort(request, map, dialect, alias) };
  const anchored = keysetSort(request, map, dialect, alias);
  return { terms: anchored.terms, anchored };
}

/** Rows `offset` to `offset + limit` of the list in its order; `limit` 0 asks for the total only. */
export async function fetchOffsetPage<E extends ObjectLiteral>(
  em: EntityManager,
  source: ListSource<E>,
  order: ListOrder,
  offset: number,
  limit: number,
): Promise<OffsetPage<E>> {
  // A whole list in the default order: deep pages start from remembered rows (position-anchors.ts).
  const anchored = order.anchored !== undefined && !source.filtered ? order.anchored : undefined;
  if (anchored !== undefined && offset >= DEEP_OFFSET && limit > 0) return fetchAnchoredPage(em, source, anchored, offset, limit);
  const rows = limit === 0 ? [] : await selectWindow(em, source, order.terms, offset, limit);
  const endsHere = limit > 0 && rows.length < limit && (rows.length > 0 || offset === 0);
  if (endsHere) return { rows, total: offset + rows.length };
  if (anchored === undefined) return { rows, total: await countMatches(em, source) };
  const table = countedTableOf(em, source.target);
  const { total, changes } = await organisationRows(em, table, source.organisationId);
  walkLater(em, source, anchored, table, changes, total);
  return { rows, total };
}

/** `limit` rows of the list from `offset` on; deep ones (or when asked) found on the index first. */
function selectWindow<E extends ObjectLiteral>(
  em: EntityManager,
  source: ListSource<E>,
  terms: readonly OrderByTerm[],
  offset: number,
  limit: number,
  onIndexFirst = offset >= DEEP_OFFSET,
): Promise<E[]> {
  // LIMIT and OFFSET are integers the request parser checked, so they are written into the statement.
  const window = `${orderBy(terms)} LIMIT ${limit} OFFSET ${offset}`;
  const clauses = onIndexFirst ? deferredJoin(em, source, terms, window) : `WHERE ${source.where} ${window}`;
  return selectEntities(em, source.target, source.alias, clauses, source.parameters);
}

const anchorsByDataSource = new WeakMap<DataSource, PositionAnchors>();

function anchorsOf(dataSource: DataSource): PositionAnchors {
  let anchors = anchorsByDataSource.get(dataSource);
  if (anchors === undefined) anchorsByDataSource.set(dataSource, (anchors = new PositionAnchors()));
  return anchors;
}

const listKey = (table: CountedTable, organisationId: string) => `${table} ${organisationId}`;

/**
 * A deep page of a whole list in the default order, continued from the nearest remembered row before it
 * (position-anchors.ts) when there is one at the organisation's current version: one a walk of the list remembered
 * (walkLater), or one an earlier page did. The row just before the page is read with it and remembered, and so is
 * its last row: the same page asked again, and the next one, step over nothing. The entries it does step over are
 * stepped on the index (deferred join). The total is the organisation's row count, read with the version.
 */
async function fetchAnchoredPage<E extends ObjectLiteral>(
  em: EntityManager,
  source: ListSource<E>,
  keyset: KeysetSort,
  offset: number,
  limit: number,
): Promise<OffsetPage<E>> {
  const table = countedTableOf(em, source.target);
  const { total, changes } = await organisationRows(em, table, source.organisationId);
  walkLater(em, source, keyset, table, changes, total);
  if (offset >= total) return { rows: [], total };
  const anchors = anchorsOf(em.connection);
  const list = listKey(table, source.organisationId);
  const before = offset - 1;
  const anchor = anchors.nearest(list, changes, before);
  const readsBefore = anchor?.position !== before;
  const skipped = readsBefore ? before - (anchor === undefined ? 0 : anchor.position + 1) : 0;
  const rows = await selectWindow(
    em,
    anchor === undefined ? source : after(source, keyset, anchor),
    keyset.terms,
    skipped,
    readsBefore ? limit + 1 : limit,
    skipped > 0,
  );
  const remember = (position: number, row: E) => anchors.remember(list, changes, { position, row: positionOf(keyset, 'after', row) });
  if (readsBefore && rows.length > 0) remember(before, rows.shift() as E);
  if (rows.length > 0) remember(offset + rows.length - 1, rows[rows.length - 1]);
  return { rows, total };
}

/**
 * Starts a walk of a long list in the background, at most once per version (PositionAnchors.claimWalk), when a
 * request has just read its total: the walk remembers every SAMPLE_SPACING-th row, so that a deep page asked for the
 * first time, at any depth, starts at most that many index entries after a remembered row instead of at the top
 * (60 ms for the last page of 100,000 users on MariaDB, stepping over the whole index).
 *
 * Why after a request that read the total: a client finds out how deep a list goes from its `totalResults`, so a
 * deep page follows such a request (the first page, `count=0`, or another deep page). The walk runs off the
 * request's path on the pool, a hop at a time (each one statement that steps SAMPLE_SPACING entries on the index):
 * about 0.3 s for 100,000 users on the bench machine with pages being asked beside it, once per version.
 */
function walkLater<E extends ObjectLiteral>(
  em: EntityManager,
  source: ListSource<E>,
  keyset: KeysetSort,
  table: CountedTable,
  version: number,
  total: number,
): void {
  if (total < 2 * SAMPLE_SPACING) return;
  const anchors = anchorsOf(em.connection);
  const list = listKey(table, source.organisationId);
  if (!anchors.claimWalk(list, version, Date.now())) return;
  const { connection } = em;
  let inFlight = walksInFlight.get(connection);
  if (inFlight === undefined) walksInFlight.set(connection, (inFlight = new Set()));
  const walk: Promise<void> = walkList(connection.manager, source, keyset, (anchor) => anchors.remember(list, version, anchor))
    .catch((error: unknown) => {
      // Only a cache is lost: pages step from the top as before. A closed DataSource (shutdown) says nothing.
      if (connection.isInitialized)
        walkLogger.warn(`walking ${table} of an organisation for deep pages failed: ${(error as Error).message}`);
    })
    .finally(() => inFlight.delete(walk));
  inFlight.add(walk);
}

const walkLogger = new Logger('DeepPages');
const walksInFlight = new WeakMap<DataSource, Set<Promise<void>>>();

/** Resolves once the walks begun so far on this DataSource have ended: for tests that look at what a request caused. */
export async function walksSettled(dataSource: DataSource): Promise<void> {
  await Promise.all(walksInFlight.get(dataSource) ?? []);
}

/**
 * Remembers every SAMPLE_SPACING-th row of the list at this version, each as soon as its hop finds it, so that deep
 * pages asked while the walk goes on gain from the part walked. Each hop is its own statement: should a row be
 * inserted or deleted meanwhile, the organisation's version moves on with it, and what is remembered under the old
 * one serves only requests that read the old version before the change, the race every startIndex page read while
 * the list changes runs (position-anchors.ts).
 */
async function walkList<E extends ObjectLiteral>(
  em: EntityManager,
  source: ListSource<E>,
  keyset: KeysetSort,
  remember: (anchor: Anchor) => void,
): Promise<void> {
  for (let previous: Anchor | undefined; ;) {
    const [row] = await selectWindow(em, previous ? after(source, keyset, previous) : source, keyset.terms, SAMPLE_SPACING - 1, 1, true);
    if (row === undefined) return;
    previous = { position: (previous?.position ?? -1) + SAMPLE_SPACING, row: positionOf(keyset, 'after', row) };
    remember(previous);
  }
}

/** The list narrowed to the rows after an anchor, in the keyset's order. */
function after<E extends ObjectLiteral>(source: ListSource<E>, keyset: KeysetSort, anchor: Anchor): ListSource<E> {
  const condition = keysetCondition(keyset, { ...anchor.row, direction: 'after' });
  return { ...source, where: `${source.where} AND ${condition.where}`, parameters: { ...source.parameters, ...condition.parameters } };
}

/**
 * From this offset on, a startIndex page is found on the index alone first. `LIMIT 100 OFFSET n` over whole rows
 * reads n rows only to throw them away: 500–600 ms for the last page of 100,000 users on MariaDB, and Okta's import
 * walks every page so. The deferred join skips the n entries in the `(organisationId, createdAt, id)` index (or
 * whichever the filter and sort allow) and reads whole rows for the page only. Shallow pages, Entra's lookups
 * among them, keep the plain query and its plan.
 */
const DEEP_OFFSET = 1_000;

function deferredJoin(em: EntityManager, source: ListSource<ObjectLiteral>, terms: readonly OrderByTerm[], window: string): string {
  const { driver } = em.connection;
  const table = driver.escape(em.connection.getMetadata(source.target).tableName);
  const alias = driver.escape(source.alias);
  const page = driver.escape('page');
  const id = driver.escape('id');
  return (
    `INNER JOIN (SELECT ${alias}.${id} AS ${id} FROM ${table} ${alias} WHERE ${source.where} ${window}) ${page} ` +
    `ON ${page}.${id} = ${alias}.${id} ${orderBy(terms)}`
  );
}

/** A keyset page (keyset-pagination.ts) of the list, with the total. */
export async function fetchCursorPage<E extends ObjectLiteral>(
  em: EntityManager,
  source: ListSource<E>,
  sort: KeysetSort,
  position: CursorPosition | undefined,
  limit: number,
): Promise<KeysetPage<E> & { total: number }> {
  const fetch: KeysetFetch<E> = (condition, order, count) =>
    selectEntities(
      em,
      source.target,
      source.alias,
      `WHERE ${source.where}${condition ? ` AND ${condition.where}` : ''} ${orderBy(order)} LIMIT ${count}`,
      { ...source.parameters, ...condition?.parameters },
    );
  const page = await fetchKeysetPage(fetch, sort, position, limit);
  // The first page with nothing after it holds every match.
  const isWholeList = position === undefined && page.next === undefined;
  return { ...page, total: isWholeList ? page.rows.length : await countMatches(em, source) };
}

function countMatches(em: EntityManager, source: ListSource<ObjectLiteral>): Promise<number> {
  if (!source.filtered) return organisationRowCount(em, countedTableOf(em, source.target), source.organisationId);
  return countRows(em, source.target, source.alias, `WHERE ${source.where}`, source.parameters);
}

function countedTableOf(em: EntityManager, target: EntityTarget<ObjectLiteral>): CountedTable {
  const { tableName } = em.connection.getMetadata(target);
  if (tableName === 'users' || tableName === 'teams') return tableName;
  throw new Error(`${tableName} has no organisation row count; list it with a COUNT or add it to organisation-row-counts.ts`);
}

const orderBy = (terms: readonly OrderByTerm[]) => `ORDER BY ${terms.map((term) => `${term.expression} ${term.order}`).join(', ')}`;
