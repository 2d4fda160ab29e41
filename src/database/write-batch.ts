import type { EntityManager, ObjectLiteral, QueryBuilder, QueryRunner } from 'typeorm';

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
 * one exist: append a statement. The statements built here come from entity metadata and escaped values only.
 *
 * The rules that keep a transaction's meaning:
 * - Every statement of the transaction sends the held writes first, in order, so it sees them (read your writes).
 * - A write's failure surfaces where it is sent: at that later statement or the COMMIT, and the transaction rolls
 *   back. A caller that turns a failure into its own error passes `mapError` (e.g. a taken userName).
 * - Outside such a transaction (SQLite, which has no round trips to save; or a plain EntityManager) a write runs
 *   at once, and `mapError` applies at once.
 */

/** A statement with its positional (`?`) parameters. */
export interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * The statement a TypeORM query builder would send, to batch it. Unlike the builder's own `execute()`, entity
 * subscribers are not told of it (as with insert-rows.ts), and its result is not read.
 */
export function statementOf(builder: QueryBuilder<ObjectLiteral>): Statement {
  const [sql, parameters] = builder.getQueryAndParameters();
  return { sql, parameters };
}

/** The error a caller throws for a failed write, or undefined when the failure is not one it knows. */
export type WriteErrorMapper = (error: unknown) => Error | undefined;

interface HeldWrite {
  readonly statement: Statement;
  readonly mapError?: WriteErrorMapper;
}

/** The writes held per query runner of a batching transaction. */
const heldWrites = new WeakMap<QueryRunner, HeldWrite[]>();

/** Statements of one round trip are joined so; bench/lib/sql-count-hook.js splits on it to count statements. */
export const STATEMENT_SEPARATOR = ';\n';

/** Sends a write whose result the caller does not need: held in a batching transaction, else at once. */
export async function batchWrite(em: EntityManager, statement: Statement, mapError?: WriteErrorMapper): Promise<void> {
  const held = em.queryRunner && heldWrites.get(em.queryRunner);
  if (held) {
    held.push({ statement, mapError });
    return;
  }
  try {
    await em.query(statement.sql, [...statement.parameters]);
  } catch (error) {
    throw mapError?.(error) ?? error;
  }
}

type RunnerQuery = (sql: string, parameters?: unknown[], useStructuredResult?: boolean) => Promise<unknown>;

/**
 * Makes a MariaDB/MySQL query runner hold writes until its next statement, from its START TRANSACTION on. Every
 * statement reaches the connection through `runner.query` (TypeORM's entity manager, query builders and its own
 * START TRANSACTION, COMMIT and ROLLBACK alike), so that is where the held writes are put in front.
 */
export function holdWritesOf(runner: QueryRunner): void {
  const held: HeldWrite[] = [];
  heldWrites.set(runner, held);
  const send: RunnerQuery = runner.query.bind(runner);
  let begun = false;

  runner.query = (async (sql: string, parameters?: unknown[], useStructuredResult: boolean = false) => {
    if (sql === 'START TRANSACTION') {
      held.push({ statement: { sql, parameters: [] } });
      return undefined;
    }
    if (sql === 'ROLLBACK') {
      held.length = 0;
      // Nothing was sent, so there is no transaction on the server to roll back.
      if (!begun) return undefined;
    }
    if (held.length === 0) return send(sql, parameters, useStructuredResult);
    const writes = held.splice(0);
    begun = true;
    const connection = (await runner.connect()) as { format(sql: string, values: readonly unknown[]): string };
    const texts = writes.map(({ statement }) => connection.format(statement.sql, statement.parameters));
    const mapped = (error: unknown) =>
      writes.reduce<Error | undefined>((found, write) => found ?? write.mapError?.(error), undefined) ?? error;
    if (useStructuredResult) {
      // TypeORM reads a structured result as one statement's, so the writes go first, on their own.
      await send(texts.join(STATEMENT_SEPARATOR)).catch((error: unknown) => Promise.reject(mapped(error)));
      return send(sql, parameters, true);
    }
    try {
      const results = (await send([...texts, connection.format(sql, parameters ?? [])].join(STATEMENT_SEPARATOR))) as unknown[];
      return results[results.length - 1];
    } catch (error) {
      throw mapped(error);
    }
  }) as QueryRunner['query'];
}
