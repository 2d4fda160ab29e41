import { isDatabaseUnavailable, isRetryableTransactionError, isUniqueViolation } from './db-errors';

const driver = (code: string) => ({ name: 'QueryFailedError', driverError: { code } });

describe('database error classification', () => {
  it('recognises unique violations on both drivers', () => {
    expect(isUniqueViolation(driver('ER_DUP_ENTRY'))).toBe(true);
    expect(isUniqueViolation(driver('SQLITE_CONSTRAINT_UNIQUE'))).toBe(true);
    expect(isUniqueViolation(driver('ER_NO_SUCH_TABLE'))).toBe(false);
  });

  it('recognises contention worth retrying', () => {
    for (const code of ['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']) expect(isRetryableTransactionError(driver(code))).toBe(true);
    expect(isRetryableTransactionError(driver('ER_DUP_ENTRY'))).toBe(false);
  });

  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:3307' }],
    [driver('PROTOCOL_CONNECTION_LOST')],
    [driver('ER_CON_COUNT_ERROR')],
    [{ name: 'TypeORMError', message: 'Connection is not established with mysql database' }],
    [{ name: 'Error', message: 'Pool is closed.' }],
    // wait-limit.ts: a statement left unanswered, and one sent after its connection was dropped.
    [{ name: 'QueryFailedError', driverError: { code: 'ETIMEDOUT', message: 'The database did not answer within 2000 ms.' } }],
    [{ name: 'QueryFailedError', driverError: { message: "Can't add new command when connection is in closed state" } }],
  ])('treats %j as the database being away (503)', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('does not treat ordinary failures as the database being away', () => {
    expect(isDatabaseUnavailable(driver('ER_DUP_ENTRY'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});
