import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, LessThan, MoreThanOrEqual } from 'typeorm';
import { containsPattern, LIKE_ESCAPE } from '../../common/normalise';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { insertRows } from '../../database/write-rows';
import { ProvisioningEvent, type ProvisioningOperation, type ProvisioningOutcome } from './provisioning-event.entity';
import { ScimRequestLog } from './scim-request-log.entity';

export interface ProvisioningEventInput {
  operation: ProvisioningOperation;
  userId: string | null;
  userName: string | null;
  outcome: ProvisioningOutcome;
  httpStatus: number;
  summary: string;
}

export interface ProvisioningLogQuery {
  limit: number;
  /** Rows to skip, for numbered pages; `before` is the cursor for "older than what I have". */
  offset?: number;
  before?: Date;
  userId?: string;
  /** Part of the userName, case-insensitively, or the user's exact id: what an admin types in a filter box. */
  user?: string;
  operation?: ProvisioningOperation;
  outcome?: ProvisioningOutcome;
}

export interface ProvisioningEventView extends ProvisioningEventInput {
  at: string;
}

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** The organisation's provisioning log: written by the SCIM services, read by the integrations page. */
@Injectable()
export class ProvisioningLogService {
  private readonly logger = new Logger('ProvisioningLog');
  /** When each organisation's log was last pruned by this instance. */
  private readonly prunedAt = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Records what a SCIM write did, in its own transaction: the log and the change commit together. */
  async record(em: EntityManager, organisationId: string, events: ProvisioningEventInput[]): Promise<void> {
    if (events.length === 0) return;
    // One write can have several effects (deactivate, then bookings_released); a millisecond apart
    // each, they keep their order in a log sorted by time.
    const now = Date.now();
    await insertRows(
      em,
      ProvisioningEvent,
      events.map((event, index) => ({
        id: randomUUID(),
        organisationId,
        at: new Date(now + index),
        ...event,
        summary: event.summary.slice(0, 1024),
      })),
    );
  }

  /** Records a refused request. Never fails the request it describes. */
  async recordRejected(organisationId: string, event: Omit<ProvisioningEventInput, 'operation' | 'outcome'>): Promise<void> {
    try {
      await this.record(this.dataSource.manager, organisationId, [{ ...event, operation: 'rejected', outcome: 'failure' }]);
      await this.pruneIfDue(organisationId);
    } catch (error) {
      this.logger.warn(`could not record a rejected SCIM request: ${(error as Error).message}`);
    }
  }

  async list(organisationId: string, query: ProvisioningLogQuery): Promise<{ items: ProvisioningEventView[]; total: number }> {
    await this.pruneIfDue(organisationId);
    const builder = this.dataSource
      .getRepository(ProvisioningEvent)
      .createQueryBuilder('event')
      .where('event.organisationId = :organisationId', { organisationId });
    if (query.before) builder.andWhere('event.at < :before', { before: query.before });
    if (query.userId) builder.andWhere('event.userId = :userId', { userId: query.userId });
    if (query.operation) builder.andWhere('event.operation = :operation', { operation: query.operation });
    if (query.outcome) builder.andWhere('event.outcome = :outcome', { outcome: query.outcome });
    if (query.user) {
      builder.andWhere(`(LOWER(event.userName) LIKE :userPattern ESCAPE '${LIKE_ESCAPE}' OR event.userId = :userExact)`, {
        userPattern: containsPattern(query.user.toLowerCase()),
        userExact: query.user,
      });
    }
    const [rows, total] = await builder
      .orderBy('event.at', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .take(query.limit)
      .skip(query.offset ?? 0)
      .getManyAndCount();
    return {
      total,
      items: rows.map((row) => ({
        at: row.at.toISOString(),
        operation: row.operation,
        userId: row.userId,
        userName: row.userName,
        outcome: row.outcome,
        httpStatus: row.httpStatus,
        summary: row.summary,
      })),
    };
  }

  countFailuresSince(organisationId: string, since: Date): Promise<number> {
    return this.dataSource.getRepository(ProvisioningEvent).countBy({ organisationId, outcome: 'failure', at: MoreThanOrEqual(since) });
  }

  /**
   * Keeps the logs to PROVISIONING_LOG_RETENTION_DAYS: old rows of the provisioning log and the
   * request log go, at most once an hour per organisation and instance.
   */
  private async pruneIfDue(organisationId: string): Promise<void> {
    const now = Date.now();
    if (now - (this.prunedAt.get(organisationId) ?? 0) < PRUNE_INTERVAL_MS) return;
    this.prunedAt.set(organisationId, now);
    const cutoff = new Date(now - this.config.provisioningLogRetentionDays * 24 * 60 * 60 * 1000);
    await this.dataSource.getRepository(ProvisioningEvent).delete({ organisationId, at: LessThan(cutoff) });
    await this.dataSource.getRepository(ScimRequestLog).delete({ organisationId, at: LessThan(cutoff) });
  }
}
