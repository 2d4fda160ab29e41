import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/domain-error';
import { generateSecretToken, hashSecretToken, secretTokenMatches } from '../../common/secret-token';
import { isUniqueViolation } from '../../database/db-errors';
import { readRows } from '../../database/read-rows';
import { TransactionService } from '../../database/transaction.service';
import { Organisation } from '../../organisations/organisation.entity';
import { Team } from '../../teams/team.entity';
import { User } from '../../users/user.entity';
import type { OrgRef } from './org-ref';
import { ScimCredentials } from './scim-credentials.entity';

/** What an admin copies into Entra or Okta. The token appears here once and nowhere else. */
export interface IssuedScimCredentials {
  tenantUrl: string;
  token: string;
}

/**
 * Turns SCIM provisioning on and off for an organisation and issues its bearer token. The CLI and
 * the integrations API both call this service, so the rules live here once.
 */
@Injectable()
export class ScimCredentialsService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  tenantUrl(organisation: { slug: string }): string {
    return `${this.config.publicBaseUrl}/scim/v2/${organisation.slug}`;
  }

  /** Refuses when already on: a second token would silently cut off the identity provider. */
  enable(organisationId: string): Promise<IssuedScimCredentials> {
    return this.issueToken(organisationId, (current) => {
      if (current?.enabled) {
        throw new DomainError('SCIM_ALREADY_ENABLED', 'SCIM is already enabled; rotate the token to get a new one');
      }
    });
  }

  /** A new token; the old one stops working at once. */
  rotateToken(organisationId: string): Promise<IssuedScimCredentials> {
    return this.issueToken(organisationId, (current) => {
      if (!current?.enabled) throw new DomainError('SCIM_NOT_ENABLED', 'SCIM is not enabled; enable it first');
    });
  }

  /**
   * Turns provisioning off and forgets the token. Users and teams the identity provider managed
   * stay, and become the app's to edit again (managedBy null): nobody else can manage them now.
   */
  async disable(organisationId: string): Promise<{ enabled: false }> {
    await this.transactions.run(async (em) => {
      await findOrganisation(em, organisationId);
      await em.update(
        ScimCredentials,
        { organisationId },
        { enabled: false, tokenHash: null, tokenCreatedAt: null, updatedAt: new Date() },
      );
      await em.update(User, { organisationId, managedBy: 'scim' }, { managedBy: null });
      await em.update(Team, { organisationId, managedBy: 'scim' }, { managedBy: null });
    });
    return { enabled: false };
  }

  /**
   * The organisation a token opens, or null. The token must belong to the organisation named in
   * the URL; the hashes are compared in constant time.
   */
  async authenticate(organisationSlug: string, token: string): Promise<OrgRef | null> {
    // Every SCIM call starts here, so it is one indexed statement read raw: the query builder and its
    // entity hydration cost more CPU than the database does. Nothing is cached: a rotated or disabled
    // token must stop working at once, on every instance.
    const [credentials] = await readRows<{ organisationId: string; slug: string; tokenHash: string | null }>(
      this.dataSource.manager,
      'SELECT `c`.`organisationId`, `o`.`slug`, `c`.`tokenHash` FROM `scim_credentials` `c` ' +
        'INNER JOIN `organisations` `o` ON `o`.`id` = `c`.`organisationId` WHERE `o`.`slug` = ? AND `c`.`enabled` = 1',
      [organisationSlug],
    );
    if (!credentials?.tokenHash || !secretTokenMatches(token, credentials.tokenHash)) return null;
    return { id: credentials.organisationId, slug: credentials.slug };
  }

  private async issueToken(
    organisationId: string,
    assertAllowed: (current: ScimCredentials | null) => void,
  ): Promise<IssuedScimCredentials> {
    const token = generateSecretToken();
    const organisation = await this.transactions.run(async (em) => {
      const found = await findOrganisation(em, organisationId);
      const current = await em.findOneBy(ScimCredentials, { organisationId });
      assertAllowed(current);
      const credentials = current ?? em.create(ScimCredentials, { organisationId, lastActivityAt: null });
      Object.assign(credentials, { enabled: true, tokenHash: hashSecretToken(token), tokenCreatedAt: new Date() });
      await em.save(credentials).catch((error: unknown) => {
        // Two first-time enables racing: the primary key lets one through.
        if (isUniqueViolation(error))
          throw new DomainError('SCIM_ALREADY_ENABLED', 'SCIM is already enabled; rotate the token to get a new one');
        throw error;
      });
      return found;
    });
    return { tenantUrl: this.tenantUrl(organisation), token };
  }
}

async function findOrganisation(em: EntityManager, organisationId: string): Promise<Organisation> {
  const organisation = await em.findOneBy(Organisation, { id: organisationId });
  if (!organisation) throw new DomainError('ORGANISATION_NOT_FOUND', `organisation ${JSON.stringify(organisationId)} was not found`);
  return organisation;
}
