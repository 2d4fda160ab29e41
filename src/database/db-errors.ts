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

/** A transaction the database aborted to resolve contention; running it again is the right answer. */
export function isRetryableTransactionError(error: unknown): boolean {
  const e = driverErrorOf(error);
  return e.code === 'ER_LOCK_DEADLOCK' || e.code === 'ER_LOCK_WAIT_TIMEOUT' || e.code === 'SQLITE_BUSY';
}
