import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isRetryableTransactionError } from './db-errors';
import { holdWritesOf } from './write-batch';

const MAX_ATTEMPTS = 4;

/**
 * The one way services open a unit of work. Each attempt is a fresh transaction, so work must touch
 * only the database: MariaDB resolves deadlocks by aborting one side, and we run that side again.
 */
@Injectable()
export class TransactionService {
  /**
   * TypeORM's better-sqlite3 driver shares one connection, and a second transaction opened while
   * one is running silently becomes a SAVEPOINT inside it. SQLite allows one writer anyway, so
   * transactions on SQLite wait their turn here.
   */
  private sqliteTail: Promise<unknown> = Promise.resolve();
  private readonly isSqlite: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.runWithRetries(work);
    const result = this.sqliteTail.then(() => this.runWithRetries(work));
    this.sqliteTail = result.catch(() => undefined);
    return result;
  }

  private async runWithRetries<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(work);
      } catch (error) {
        if (!isRetryableTransactionError(error) || attempt === MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
      }
    }
  }

  /** One transaction; on MariaDB/MySQL its writes go to the server in batches (write-batch.ts). */
  private async attempt<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.isSqlite) return this.dataSource.transaction(work);
    const runner = this.dataSource.createQueryRunner();
    holdWritesOf(runner);
    try {
      return await runner.manager.transaction(work);
    } finally {
      await runner.release();
    }
  }
}

/**
 * Row lock for read-then-write rules (e.g. booking overlap). MariaDB needs SELECT … FOR UPDATE;
 * SQLite has no row locks and needs none, as TransactionService runs its transactions one at a time.
 */
export function writeLock(em: EntityManager): { lock: { mode: 'pessimistic_write' } } | Record<string, never> {
  return takesRowLocks(em) ? { lock: { mode: 'pessimistic_write' } } : {};
}

/** writeLock for a raw SELECT (select-entities.ts): the clause to end it with. */
export function writeLockClause(em: EntityManager): string {
  return takesRowLocks(em) ? ' FOR UPDATE' : '';
}

const takesRowLocks = (em: EntityManager): boolean => em.connection.options.type !== 'better-sqlite3';
