import type { EntityManager } from 'typeorm';
import { readRows } from '../database/read-rows';
import { writeLockClause } from '../database/transaction.service';
import { batchWrite } from '../database/write-batch';

/**
 * The organisation's number of users and of teams, kept in `organisation_row_counts` (organisation-row-count.entity.ts)
 * by the transactions that insert and delete those rows, so an unfiltered SCIM list reads a handful of counter rows
 * instead of counting the organisation's rows: an InnoDB COUNT(*) visits every index entry, 30–55 ms at 100,000 users.
 *
 * Why not database triggers, which would catch every writer by themselves: with binary logging on (MySQL 8's
 * default, and any replicated MariaDB) creating a trigger needs SUPER or `log_bin_trust_function_creators`, which
 * an application's database user usually does not have. So every place that inserts or deletes users or teams calls
 * rowsAdded / rowsRemoved in the same transaction; the e2e harness compares the counts with COUNT(*) after every
 * suite, so a writer that forgets fails the tests. A count changed by hand in SQL (an operator deleting users) is
 * put right by rebuildRowCounts (`npm run cli -- counts:rebuild`).
 */

/** The tables whose rows are counted per organisation. */
export const COUNTED_TABLES = ['users', 'teams'] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];

/** A count rebuildRowCounts put right. */
export interface RowCountCorrection {
  table: CountedTable;
  counted: number;
  rows: number;
}

/**
 * Counter rows per organisation and table on MariaDB/MySQL. A writer adds to the slot of its connection, so the
 * pool's connections (10) mostly write to slots of their own and concurrent creates do not wait for each other's
 * commit on one row; a reader sums at most this many rows.
 */
const SLOTS = 16;

export function rowsAdded(em: EntityManager, table: CountedTable, organisationId: string, rows = 1): Promise<void> {
  return addToCount(em, table, organisationId, rows);
}

export function rowsRemoved(em: EntityManager, table: CountedTable, organisationId: string, rows = 1): Promise<void> {
  return addToCount(em, table, organisationId, -rows);
}

/** The organisation's rows in the table, as COUNT(*) would tell inside the same transaction. */
export async function organisationRowCount(em: EntityManager, table: CountedTable, organisationId: string): Promise<number> {
  return (await organisationRows(em, table, organisationId)).total;
}

/**
 * The count, and how many inserts and deletes the organisation's rows in the table have seen: a version that grows
 * with every change of membership, so while it stays the same every row keeps its position in a list of them.
 */
export async function organisationRows(
  em: EntityManager,
  table: CountedTable,
  organisationId: string,
): Promise<{ total: number; changes: number }> {
  const [row] = await readRows<{ total: number | string | null; changes: number | string | null }>(
    em,
    'SELECT SUM(total) AS total, SUM(changes) AS changes FROM organisation_row_counts WHERE organisationId = ? AND tableName = ?',
    [organisationId, table],
  );
  return { total: Number(row?.total ?? 0), changes: Number(row?.changes ?? 0) };
}

/**
 * Sets the organisation's counts to the rows there are, inside the caller's transaction, and returns those that were
 * wrong. The rows are counted under a write lock first (users, then the count, the order every writer takes them in),
 * so no create or delete can slip between the count and the rows while it runs.
 */
export async function rebuildRowCounts(em: EntityManager, organisationId: string): Promise<RowCountCorrection[]> {
  const corrections: RowCountCorrection[] = [];
  for (const table of COUNTED_TABLES) {
    const [{ n }]: { n: number | string }[] = await em.query(
      `SELECT COUNT(*) AS n FROM ${table} WHERE organisationId = ?${writeLockClause(em)}`,
      [organisationId],
    );
    const rows = Number(n);
    const counted = await organisationRowCount(em, table, organisationId);
    if (counted === rows) continue;
    // Corrected by the difference, not by starting the slots over: `changes` must only ever grow.
    await addToCount(em, table, organisationId, rows - counted);
    corrections.push({ table, counted, rows });
  }
  return corrections;
}

/** Held and sent with the transaction's next statement where the transaction batches its writes (write-batch.ts). */
async function addToCount(em: EntityManager, table: CountedTable, organisationId: string, delta: number): Promise<void> {
  if (delta === 0) return;
  if (em.connection.options.type === 'better-sqlite3') {
    // One writer at a time (TransactionService), so one slot.
    await batchWrite(em, {
      sql:
        'INSERT INTO organisation_row_counts (organisationId, tableName, slot, total, changes) VALUES (?, ?, 0, ?, 1) ' +
        'ON CONFLICT (organisationId, tableName, slot) DO UPDATE SET total = total + excluded.total, changes = changes + 1',
      parameters: [organisationId, table, delta],
    });
    return;
  }
  await batchWrite(em, {
    sql:
      `INSERT INTO organisation_row_counts (organisationId, tableName, slot, total, changes) VALUES (?, ?, CONNECTION_ID() % ${SLOTS}, ?, 1) ` +
      'ON DUPLICATE KEY UPDATE total = total + ?, changes = changes + 1',
    parameters: [organisationId, table, delta, delta],
  });
}
