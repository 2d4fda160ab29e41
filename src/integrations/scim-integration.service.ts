import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/domain-error';
import { Organisation } from '../organisations/organisation.entity';
import { ProvisioningLogService } from '../scim/audit/provisioning-log.service';
import { ScimCredentials } from '../scim/auth/scim-credentials.entity';
import { ScimCredentialsService } from '../scim/auth/scim-credentials.service';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import { tenantUrlProblem } from './tenant-url-problem';

/** What the integrations page shows about SCIM. Never the token. */
export interface ScimIntegrationStatus {
  enabled: boolean;
  tenantUrl: string;
  /** Why an identity provider could not call tenantUrl (tenant-url-problem.ts); null when nothing is seen. */
  tenantUrlProblem: string | null;
  tokenCreatedAt: string | null;
  lastActivityAt: string | null;
  managedUsers: number;
  managedTeams: number;
  errorsLast24h: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class ScimIntegrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly credentials: ScimCredentialsService,
    private readonly provisioningLog: ProvisioningLogService,
  ) {}

  async status(organisationId: string): Promise<ScimIntegrationStatus> {
    const organisation = await this.dataSource.getRepository(Organisation).findOneBy({ id: organisationId });
    if (!organisation) throw new NotFoundError('ORGANISATION_NOT_FOUND', 'organisation', organisationId);
    const current = await this.dataSource.getRepository(ScimCredentials).findOneBy({ organisationId });
    const [managedUsers, managedTeams, errorsLast24h] = await Promise.all([
      this.dataSource.getRepository(User).countBy({ organisationId, managedBy: 'scim' }),
      this.dataSource.getRepository(Team).countBy({ organisationId, managedBy: 'scim' }),
      this.provisioningLog.countFailuresSince(organisationId, new Date(Date.now() - DAY_MS)),
    ]);
    const tenantUrl = this.credentials.tenantUrl(organisation);
    return {
      enabled: current?.enabled ?? false,
      tenantUrl,
      tenantUrlProblem: tenantUrlProblem(tenantUrl),
      tokenCreatedAt: current?.tokenCreatedAt?.toISOString() ?? null,
      lastActivityAt: current?.lastActivityAt?.toISOString() ?? null,
      managedUsers,
      managedTeams,
      errorsLast24h,
    };
  }
}
