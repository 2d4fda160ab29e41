import type { DataSource } from 'typeorm';

type Callback = (...results: unknown[]) => unknown;

/** The part of a mysql2 pooled connection this uses. */
interface PooledConnection {
  query(...args: unknown[]): unknown;
  execute(...args: unknown[]): unknown;
  release(): void;
  destroy(): void;
  stream: { destroy(error?: Error): void };
}

/** The part of a mysql2 pool this uses. */
interface ConnectionPool {
  getConnection(callback: (error: Error | null, connection?: PooledConnection) => void): void;
  on(event: 'acquire', listener: (connection: PooledConnection) => void): void;
}

const LIMITED = Symbol('database waits limited');

/**
 * Bounds how long a request waits on MariaDB/MySQL: for a connection from the pool, and for the answer to each
 * statement. Past `timeoutMs` the wait fails with ETIMEDOUT, which the exception filters answer 503 with Retry-After
 * (db-errors.ts: the database is unavailable); a connection whose statement went unanswered is dropped from the pool,
 * and everything queued on it fails with it.
 *
 * Why: a server that stops answering without closing its connections (a frozen process, a host that lost power, a
 * network partition) otherwise holds every request on those connections for ever: the kernel keeps the TCP
 * connection open, and mysql2 has no default limit. The requests behind them wait in the pool's queue, also for ever,
 * and the identity provider gives up at 60 s with no answer from us. A stopped server refuses connections at once,
 * and opening a new connection gives up after connectTimeout (data-source.ts); this covers the connections already
 * open and the queue in front of them. It also ends a row-lock wait longer than the limit (InnoDB would wait 50 s and
 * TransactionService retry it), which an identity provider is better served by as a 503 it retries than by no answer
 * within its 60 s.
 *
 * How: mysql2's own `timeout` option starts when a statement reaches the head of its connection's queue, so one queued
 * behind an unanswered statement would never time out, and a connection's `destroy()` ends the socket politely,
 * which waits on the silent server too. So every call gets a timer from the moment it is issued, and when one fires
 * the socket is destroyed with an error, which fails every command waiting on it. The server rolls back the open
 * transaction of a connection that went away; a COMMIT that reached it before the limit may still apply when it
 * answers again: the same unknown outcome as a connection lost mid-COMMIT, which identity providers resolve by
 * querying before they write again.
 *
 * Installed on the HTTP app's data source once it has started (configure-app.ts), so migrations, which run during
 * start-up, and the CLI's maintenance commands are not limited. SQLite is in-process and has nothing to wait for.
 */
export function limitDatabaseWaits(dataSource: DataSource, timeoutMs: number): void {
  if (dataSource.options.type === 'better-sqlite3') return;
  const pool = (dataSource.driver as unknown as { pool: ConnectionPool }).pool;

  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) => {
    let answered = false;
    const timer = setTimeout(() => {
      answered = true;
      callback(unanswered(`No database connection became free within ${timeoutMs} ms.`));
    }, timeoutMs);
    getConnection((error, connection) => {
      if (!answered) {
        answered = true;
        clearTimeout(timer);
        callback(error, connection);
      } else if (connection) {
        connection.release(); // it came too late for the request that asked: back to the pool
      }
    });
  };

  pool.on('acquire', (connection) => {
    const marked = connection as PooledConnection & { [LIMITED]?: true };
    if (marked[LIMITED]) return;
    marked[LIMITED] = true;
    connection.query = withTimer(connection, connection.query, timeoutMs);
    connection.execute = withTimer(connection, connection.execute, timeoutMs);
  });
}

/** Wraps query/execute: the callback (last, as TypeORM and read-rows.ts pass it) must be called within the limit. */
function withTimer(connection: PooledConnection, call: Callback, timeoutMs: number): Callback {
  return function timed(this: unknown, ...args: unknown[]): unknown {
    const callback = args[args.length - 1];
    // Without a callback (a streamed query), the caller handles the stream's own errors and end.
    if (typeof callback !== 'function') return call.apply(this, args);
    const timer = setTimeout(() => {
      connection.destroy(); // out of the pool first, so no request is handed this connection again
      connection.stream.destroy(unanswered(`The database did not answer within ${timeoutMs} ms; the connection was dropped.`));
    }, timeoutMs);
    args[args.length - 1] = (...results: unknown[]) => {
      clearTimeout(timer);
      return (callback as Callback)(...results);
    };
    return call.apply(this, args);
  };
}

const unanswered = (message: string): Error => Object.assign(new Error(message), { code: 'ETIMEDOUT' });
