import type { EntityManager, QueryRunner } from 'typeorm';

/**
 * Batched writes for MariaDB/MySQL transactions: the writes of a transaction whose outcome nothing in it reads back (a
 * SCIM create's user row, contact rows, count and log event) are held and sent with the transaction's next statement,
 * at the latest its COMMIT, as one multi-statement round trip. `START TRANSACTION` waits the same way.
 *
 * Why: on a SCIM POST the statements themselves are cheap and each round trip is not. A round trip costs the server
 * a socket write and a wake-up of MariaDB on the same few cores, and MariaDB its own per-statement work. A create was
 * nine round trips (authentication, START TRANSACTION, six inserts, COMMIT); with this it is two. Measured on the
 * bench machine with the same eight statements: 0.8 ms of CPU per transaction in all instead of 1.6–1.8 ms.
 *
 * What it asks of the connection: `multipleStatements` (data-source.ts). That does not change how values reach SQL,
 * which the driver escapes into the text on every query already. It changes what an injection bug could do, should
 * one exist: append a statement. The writes held are built from entity metadata (write-rows.ts) or
 * are fixed statements (organisation-row-counts.ts), with every value a parameter.
 *
 * The rules that keep a transaction's meaning:
 * - Every statement of the transaction sends the held writes first, in order, so it sees them (read your writes),
 *   also one issued alongside another (Promise.all): statements reach the connection in the order they were issued.
 * - A write's failure surfaces where it is sent: at that later statement or the COMMIT, and the transaction rolls
 *   back. A caller that turns a failure into its own error passes `mapError` (e.g. a taken userName).
 * - Held writes go early once they make about a megabyte of SQL (MAX_HELD_CHARACTERS).
 * - Outside such a transaction (SQLite, which has no round trips to save; or a plain EntityManager) a write runs
 *   at once, and `mapError` applies at once.
 */

/** A statement with its positional (`?`) parameters. */
export interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** The error a caller throws for a failed write, or undefined when the failure is not one it knows. */
export type WriteErrorMapper = (error: unknown) => Error | undefined;

interface HeldWrite {
  readonly statement: Statement;
  readonly mapError?: WriteErrorMapper;
}

/** The writes a batching transaction holds, and how to send them before its next statement. */
interface Holder {
  readonly writes: HeldWrite[];
  /** Roughly how much SQL the held writes make, values included. */
  characters: number;
  sendNow(): Promise<void>;
}

const holders = new WeakMap<QueryRunner, Holder>();

/**
 * Held writes are sent at once when they make this much SQL, far below the largest statement text the server takes
 * (`max_allowed_packet`: 16 MB by default on MariaDB 10.11, 64 MB on MySQL 8). A SCIM request stays well under it (its
 * body is at most 1 MB); a module writing thousands of rows in one transaction sends them every megabyte or so.
 */
const MAX_HELD_CHARACTERS = 1_000_000;

/** Statements of one round trip are joined so; bench/lib/sql-count-hook.js splits on it to count statements. */
export const STATEMENT_SEPARATOR = ';\n';

/** Sends a write whose result the caller does not need: held in a batching transaction, else at once. */
export async function batchWrite(em: EntityManager, statement: Statement, mapError?: WriteErrorMapper): Promise<void> {
  const holder = em.queryRunner && holders.get(em.queryRunner);
  if (holder) {
    holder.writes.push({ statement, mapError });
    holder.characters += charactersOf(statement);
    if (holder.characters > MAX_HELD_CHARACTERS) await holder.sendNow();
    return;
  }
  try {
    await em.query(statement.sql, [...statement.parameters]);
  } catch (error) {
    throw mapError?.(error) ?? error;
  }
}

/** Whether the runner is a batching transaction with writes not yet sent: its next statement must carry them. */
export function holdsWrites(runner: QueryRunner): boolean {
  return (holders.get(runner)?.writes.length ?? 0) > 0;
}

const charactersOf = (statement: Statement): number =>
  statement.parameters.reduce<number>((sum, value) => sum + (typeof value === 'string' ? value.length + 2 : 24), statement.sql.length);

type RunnerQuery = (sql: string, parameters?: unknown[], useStructuredResult?: boolean) => Promise<unknown>;

/**
 * Makes a MariaDB/MySQL query runner hold writes until its next statement, from its START TRANSACTION on. Every
 * statement reaches the connection through `runner.query` (TypeORM's entity manager, query builders and its own
 * START TRANSACTION, COMMIT and ROLLBACK alike), so that is where the held writes are put in front.
 */
export function holdWritesOf(runner: QueryRunner): void {
  const send: RunnerQuery = runner.query.bind(runner);
  let begun = false;

  /** Sends the held writes, and `next` (a raw statement) in the same round trip; answers with `next`'s result. */
  const sendHeld = async (next?: { sql: string; parameters?: unknown[] }): Promise<unknown> => {
    const writes = holder.writes.splice(0);
    holder.characters = 0;
    begun = true;
    // Connected at START TRANSACTION, so nothing is awaited before sending: a statement issued after this one cannot
    // reach the connection first and miss the writes.
    const connection = (runner as unknown as { databaseConnection: { format(sql: string, values: readonly unknown[]): string } })
      .databaseConnection;
    const texts = writes.map(({ statement }) => connection.format(statement.sql, statement.parameters));
    if (next) texts.push(connection.format(next.sql, next.parameters ?? []));
    try {
      const results = await send(texts.join(STATEMENT_SEPARATOR));
      return texts.length > 1 ? (results as unknown[])[texts.length - 1] : results;
    } catch (error) {
      throw writes.reduce<Error | undefined>((found, write) => found ?? write.mapError?.(error), undefined) ?? error;
    }
  };
  const holder: Holder = {
    writes: [],
    characters: 0,
    sendNow: async () => {
      if (holder.writes.length > 0) await sendHeld();
    },
  };
  holders.set(runner, holder);

  runner.query = (async (sql: string, parameters?: unknown[], useStructuredResult: boolean = false) => {
    if (sql === 'START TRANSACTION') {
      // The pool connection is taken now, as TypeORM would to send it.
      await runner.connect();
      holder.writes.push({ statement: { sql, parameters: [] } });
      return undefined;
    }
    if (sql === 'ROLLBACK') {
      holder.writes.length = 0;
      holder.characters = 0;
      // Nothing was sent, so there is no transaction on the server to roll back.
      if (!begun) return undefined;
    }
    if (holder.writes.length === 0) return send(sql, parameters, useStructuredResult);
    if (!useStructuredResult) return sendHeld({ sql, parameters });
    // TypeORM reads a structured result as one statement's, so the held writes go first, on their own.
    await sendHeld();
    return send(sql, parameters, true);
  }) as QueryRunner['query'];
}
