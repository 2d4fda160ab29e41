import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ScimCredentials } from '../auth/scim-credentials.entity';
import { insertRows } from '../../database/write-rows';
import { ScimRequestLog } from './scim-request-log.entity';

/**
 * How stale `lastActivityAt` may get: the integrations page shows it to the minute (a date and
 * hour:minute), so one write a minute per organisation is as correct as one per call.
 */
export const ACTIVITY_RESOLUTION_MS = 60_000;

/** How long the first buffered row waits for others before they are written together. */
export const FLUSH_DELAY_MS = 50;
/** Rows per INSERT; a buffer this full is written at once instead of waiting out the delay. */
export const FLUSH_BATCH_ROWS = 200;
/** The most rows held while the database refuses them; past it the oldest go. */
export const BUFFER_CAP_ROWS = 5_000;
/** After a failed write, how long before the next attempt, so an outage costs one warning a second, not one a call. */
export const RETRY_DELAY_MS = 1_000;

export interface ScimCall {
  organisationId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  resourceId: string | null;
}

type LogRow = Pick<ScimRequestLog, 'id' | 'at' | 'organisationId' | 'method' | 'path' | 'status' | 'durationMs' | 'resourceId'>;

/**
 * The request log is written behind and in batches. One autocommit INSERT per SCIM call cost a
 * commit, and on MariaDB a redo-log flush, on every lookup Entra makes; nothing in the app reads
 * this trail back (only the retention prune deletes from it), so it need not be on disk before
 * the response goes out. Rows wait in memory at most FLUSH_DELAY_MS and are then written with one
 * multi-row INSERT. What that can lose: on a crash, the calls of the last FLUSH_DELAY_MS; on a
 * graceful shutdown, nothing (onModuleDestroy writes the buffer before the pool closes); during a
 * database outage longer than BUFFER_CAP_ROWS calls, the oldest rows, counted and reported.
 */
@Injectable()
export class ScimRequestLogService implements OnModuleDestroy {
  private readonly logger = new Logger('ScimRequestLog');

  /**
   * When this instance last wrote each organisation's `lastActivityAt` (epoch ms). Without it every
   * SCIM call sent an UPDATE, even one that changed nothing: the "only if stale" test sat in its
   * WHERE clause, so the database still had to run it. This memory is per instance: with two
   * instances each writes at most once a minute, so the column is never more than a minute behind
   * the latest call on any instance. One number per organisation, so it stays small.
   */
  private readonly activityWrittenAt = new Map<string, number>();
  /** The `lastActivityAt` UPDATEs under way, so a shutdown waits for them before the pool closes. */
  private readonly activityWrites = new Set<Promise<void>>();

  /** Rows not yet written, oldest first. A batch being written is out of it, and back at the front if the write fails. */
  private buffer: LogRow[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** The write under way, and the one asked for meanwhile: one statement in flight, later asks share one follow-up. */
  private flushRunning: Promise<void> | undefined;
  private flushQueued: Promise<void> | undefined;
  /** After a failed write, the next waits for RETRY_DELAY_MS rather than for the buffer to fill. */
  private failing = false;
  private closed = false;
  private dropped = 0;
  private droppedUnreported = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Rows recorded and not yet written. */
  get bufferedRows(): number {
    return this.buffer.length;
  }

  /** Rows dropped, oldest first, because the database refused them for longer than the buffer holds. */
  get droppedRows(): number {
    return this.dropped;
  }

  /**
   * Records a finished call: a row for the request log, buffered and written within FLUSH_DELAY_MS,
   * and now and then the organisation's last activity. Runs after the response is sent and outside
   * its transaction, so a failure to log never fails or slows provisioning; it is reported in the
   * server log instead. Never rejects.
   */
  async record(call: ScimCall): Promise<void> {
    const at = new Date();
    // Buffered before the first await, so a call whose response has finished is in the buffer when shutdown begins.
    this.enqueue({ id: randomUUID(), at, ...call, path: call.path.slice(0, 1024) });
    await this.touchActivity(call.organisationId, at);
  }

  /** Writes every buffered row now; resolves once they are written or the attempt failed (and was logged). */
  flush(): Promise<void> {
    this.cancelTimer();
    if (!this.flushRunning) {
      this.flushRunning = this.writeBuffered().finally(() => (this.flushRunning = undefined));
      return this.flushRunning;
    }
    // Rows recorded while a write runs go in the next one; every ask meanwhile shares it.
    this.flushQueued ??= this.flushRunning.then(() => {
      this.flushQueued = undefined;
      return this.flush();
    });
    return this.flushQueued;
  }

  /** Nest runs this in app.close() before TypeORM closes the pool: the buffer is written, so a graceful shutdown loses no row. */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.flush();
    await Promise.all(this.activityWrites);
    if (this.buffer.length > 0) this.logger.warn(`shutting down with ${this.buffer.length} SCIM request log rows unwritten`);
  }

  private enqueue(row: LogRow): void {
    this.buffer.push(row);
    this.dropOverCap();
    // While the database refuses rows, the retry timer set by the failed write decides when to try again.
    if (this.failing) return;
    if (this.buffer.length >= FLUSH_BATCH_ROWS) void this.flush();
    else this.flushTimer ??= this.startTimer(FLUSH_DELAY_MS);
  }

  private async writeBuffered(): Promise<void> {
    while (this.buffer.length > 0) {
      const rows = this.buffer.splice(0, FLUSH_BATCH_ROWS);
      try {
        // One statement for the batch (write-rows.ts); nothing to read back, the ids are ours.
        await insertRows(this.dataSource.manager, ScimRequestLog, rows);
      } catch (error) {
        this.buffer = rows.concat(this.buffer);
        this.dropOverCap();
        this.failing = true;
        const dropped = this.takeUnreportedDrops();
        this.logger.warn(
          `could not write ${this.buffer.length} SCIM request log rows, kept for the next attempt: ${(error as Error).message}` +
            (dropped > 0 ? `; ${dropped} older rows dropped (buffer full)` : ''),
        );
        this.cancelTimer();
        if (!this.closed) this.flushTimer = this.startTimer(RETRY_DELAY_MS);
        return;
      }
      this.failing = false;
    }
    const dropped = this.takeUnreportedDrops();
    if (dropped > 0) this.logger.warn(`${dropped} SCIM request log rows were dropped while the database refused them (buffer full)`);
  }

  private dropOverCap(): void {
    const excess = this.buffer.length - BUFFER_CAP_ROWS;
    if (excess <= 0) return;
    this.buffer.splice(0, excess);
    this.dropped += excess;
    this.droppedUnreported += excess;
  }

  private takeUnreportedDrops(): number {
    const count = this.droppedUnreported;
    this.droppedUnreported = 0;
    return count;
  }

  private startTimer(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, delayMs);
    // Never what keeps the process alive: a graceful shutdown writes the buffer through onModuleDestroy.
    timer.unref();
    return timer;
  }

  private cancelTimer(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private async touchActivity(organisationId: string, at: Date): Promise<void> {
    const lastWritten = this.activityWrittenAt.get(organisationId);
    if (lastWritten !== undefined && at.getTime() - lastWritten < ACTIVITY_RESOLUTION_MS) return;
    // Claimed before the await, so a burst of concurrent calls sends one UPDATE, not one each.
    this.activityWrittenAt.set(organisationId, at.getTime());
    const write = this.writeActivity(organisationId, at);
    this.activityWrites.add(write);
    await write;
    this.activityWrites.delete(write);
  }

  private async writeActivity(organisationId: string, at: Date): Promise<void> {
    try {
      await this.dataSource
        .getRepository(ScimCredentials)
        .createQueryBuilder()
        .update()
        .set({ lastActivityAt: at })
        .where('organisationId = :organisationId', { organisationId })
        .andWhere('(lastActivityAt IS NULL OR lastActivityAt < :at)', { at }) // never backwards, if another instance was later
        .execute();
    } catch (error) {
      // Forgotten, so the next call tries again instead of waiting out the minute.
      if (this.activityWrittenAt.get(organisationId) === at.getTime()) this.activityWrittenAt.delete(organisationId);
      this.logger.warn(`could not record SCIM activity: ${(error as Error).message}`);
    }
  }
}
