import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ScimCredentials } from '../auth/scim-credentials.entity';
import { ScimRequestLog } from './scim-request-log.entity';

/** How stale `lastActivityAt` may get: one write a minute per organisation instead of one per call. */
const ACTIVITY_RESOLUTION_MS = 60_000;

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

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a finished call. Runs after the response is sent and outside its transaction, so a
   * failure to log never fails or slows provisioning; it is reported in the server log instead.
   */
  async record(call: ScimCall): Promise<void> {
    const at = new Date();
    try {
      await this.dataSource.getRepository(ScimRequestLog).insert({ id: randomUUID(), at, ...call, path: call.path.slice(0, 1024) });
      await this.dataSource
        .getRepository(ScimCredentials)
        .createQueryBuilder()
        .update()
        .set({ lastActivityAt: at })
        .where('organisationId = :organisationId', { organisationId: call.organisationId })
        .andWhere('(lastActivityAt IS NULL OR lastActivityAt < :stale)', { stale: new Date(at.getTime() - ACTIVITY_RESOLUTION_MS) })
        .execute();
    } catch (error) {
      this.logger.warn(`could not record a SCIM call: ${(error as Error).message}`);
    }
  }
}
