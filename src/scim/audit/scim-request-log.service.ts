import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ScimCredentials } from '../auth/scim-credentials.entity';
import { ScimRequestLog } from './scim-request-log.entity';

/**
 * How stale `lastActivityAt` may get: the integrations page shows it to the minute (a date and
 * hour:minute), so one write a minute per organisation is as correct as one per call.
 */
export const ACTIVITY_RESOLUTION_MS = 60_000;

export interface ScimCall {
  organisationId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  resourceId: string | null;
}

@Injectable()
export class ScimRequestLogService {
  private readonly logger = new Logger('ScimRequestLog');

  /**
   * When this instance last wrote each organisation's `lastActivityAt` (epoch ms). Without it every
   * SCIM call sent an UPDATE, even one that changed nothing: the "only if stale" test sat in its
   * WHERE clause, so the database still had to run it. This memory is per instance: with two
   * instances each writes at most once a minute, so the column is never more than a minute behind
   * the latest call on any instance. One number per organisation, so it stays small.
   */
  private readonly activityWrittenAt = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a finished call: one INSERT into the request log (the audit trail, read right after by
   * the integrations page), and now and then the organisation's last activity. Runs after the
   * response is sent and outside its transaction, so a failure to log never fails or slows
   * provisioning; it is reported in the server log instead.
   */
  async record(call: ScimCall): Promise<void> {
    const at = new Date();
    try {
      // `insert`, not `save`: one statement, no SELECT of the row first.
      await this.dataSource.getRepository(ScimRequestLog).insert({ id: randomUUID(), at, ...call, path: call.path.slice(0, 1024) });
    } catch (error) {
      this.logger.warn(`could not record a SCIM call: ${(error as Error).message}`);
    }
    await this.touchActivity(call.organisationId, at);
  }

  private async touchActivity(organisationId: string, at: Date): Promise<void> {
    const lastWritten = this.activityWrittenAt.get(organisationId);
    if (lastWritten !== undefined && at.getTime() - lastWritten < ACTIVITY_RESOLUTION_MS) return;
    // Claimed before the await, so a burst of concurrent calls sends one UPDATE, not one each.
    this.activityWrittenAt.set(organisationId, at.getTime());
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
