/** Driver-independent reading of database errors (better-sqlite3 and mysql2). */

interface DriverError {
  code?: string;
  errno?: number;
  driverError?: DriverError;
  message?: string;
}

function driverErrorOf(error: unknown): DriverError {
  const outer = (error ?? {}) as DriverError;
  return outer.driverError ?? outer;
}

export function isUniqueViolation(error: unknown): boolean {
  const e = driverErrorOf(error);
  return e.code === 'ER_DUP_ENTRY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Turns a unique index's violation into the caller's own error (a write-batch.ts WriteErrorMapper); other failures stay. */
export const uniqueViolationAs =
  (domainError: () => Error) =>
  (error: unknown): Error | undefined =>
    isUniqueViolation(error) ? domainError() : undefined;

/** A transaction the database aborted to resolve contention; running it again is the right answer. */
export function isRetryableTransactionError(error: unknown): boolean {
  const e = driverErrorOf(error);
  return e.code === 'ER_LOCK_DEADLOCK' || e.code === 'ER_LOCK_WAIT_TIMEOUT' || e.code === 'SQLITE_BUSY';
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_CLOSED',
]);

/**
 * The database cannot be reached (down, restarting, out of connections): the request should be
 * answered 503 with Retry-After, so clients come back, rather than 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = driverErrorOf(error);
  if (e.code !== undefined && UNAVAILABLE_CODES.has(e.code)) return true;
  const name = (error as { name?: string } | undefined)?.name;
  return (
    name === 'ConnectionIsNotSetError' ||
    name === 'CannotExecuteNotConnectedError' ||
    // "…when connection is in closed state": a statement sent on a connection wait-limit.ts dropped.
    /pool is closed|connection is not open|not connected|connection is not established|connection is in closed state/i.test(e.message ?? '')
  );
}
