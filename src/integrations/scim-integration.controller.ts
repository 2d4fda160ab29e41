import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Actor } from '../auth/actor';
import { AdminOnly, CurrentActor } from '../auth/auth.decorators';
import { IsTimestamp, toDate } from '../bookings/bookings/timestamp';
import { PROVISIONING_OPERATIONS, type ProvisioningOperation, type ProvisioningOutcome } from '../scim/audit/provisioning-event.entity';
import { ProvisioningLogService, type ProvisioningEventView } from '../scim/audit/provisioning-log.service';
import { ScimCredentialsService, type IssuedScimCredentials } from '../scim/auth/scim-credentials.service';
import { ScimIntegrationService, type ScimIntegrationStatus } from './scim-integration.service';

export class ProvisioningLogQueryInput {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  // Bounded like the users list's offset: a huge OFFSET must be a 400, never a driver error.
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(2 ** 31 - 1) offset?: number;
  @IsOptional() @IsTimestamp() before?: string;
  @IsOptional() @IsString() @MaxLength(255) userId?: string;
  /** Free text from the page's filter box: part of a userName, or a user id. */
  @IsOptional() @IsString() @MaxLength(255) user?: string;
  @IsOptional() @IsIn(PROVISIONING_OPERATIONS) operation?: ProvisioningOperation;
  @IsOptional() @IsIn(['success', 'failure']) outcome?: ProvisioningOutcome;
}

/** The integrations page's API for SCIM: the same service methods as the CLI's scim:* commands. */
@Controller('api/integrations/scim')
@AdminOnly()
export class ScimIntegrationController {
  constructor(
    private readonly integration: ScimIntegrationService,
    private readonly credentials: ScimCredentialsService,
    private readonly provisioningLog: ProvisioningLogService,
  ) {}

  @Get()
  status(@CurrentActor() actor: Actor): Promise<ScimIntegrationStatus> {
    return this.integration.status(actor.organisationId);
  }

  /** The token is in this response and nowhere else, ever. */
  @Post('enable')
  @HttpCode(200)
  enable(@CurrentActor() actor: Actor): Promise<IssuedScimCredentials> {
    return this.credentials.enable(actor.organisationId);
  }

  @Post('rotate-token')
  @HttpCode(200)
  rotateToken(@CurrentActor() actor: Actor): Promise<IssuedScimCredentials> {
    return this.credentials.rotateToken(actor.organisationId);
  }

  @Post('disable')
  @HttpCode(200)
  disable(@CurrentActor() actor: Actor): Promise<{ enabled: false }> {
    return this.credentials.disable(actor.organisationId);
  }

  @Get('log')
  log(@CurrentActor() actor: Actor, @Query() query: ProvisioningLogQueryInput): Promise<{ items: ProvisioningEventView[]; total: number }> {
    return this.provisioningLog.list(actor.organisationId, {
      limit: query.limit ?? 50,
      offset: query.offset,
      user: query.user,
      before: query.before === undefined ? undefined : toDate(query.before),
      userId: query.userId,
      operation: query.operation,
      outcome: query.outcome,
    });
  }
}
