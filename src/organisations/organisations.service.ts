import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation } from '../database/db-errors';
import { TransactionService } from '../database/transaction.service';
import { Organisation } from './organisation.entity';
import { rebuildRowCounts, type RowCountCorrection } from './organisation-row-counts';
import { SLUG_PATTERN, slugFromName } from './slug';

export interface OrganisationView {
  id: string;
  slug: string;
  name: string;
}

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly dataSource: DataSource,
  ) {}

  async create(input: { name: string; slug?: string }): Promise<OrganisationView> {
    const name = input.name.trim();
    if (!name || name.length > 200) {
      throw new DomainError('VALIDATION_FAILED', 'name must be 1 to 200 characters', { fields: ['name'] });
    }
    const slug = input.slug ?? slugFromName(name);
    if (!SLUG_PATTERN.test(slug)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        input.slug === undefined
          ? `cannot derive a slug from ${JSON.stringify(name)}; pass one (lower-case letters, digits and hyphens)`
          : 'slug must be 1 to 63 lower-case letters, digits or inner hyphens',
        { fields: ['slug'] },
      );
    }
    try {
      return await this.transactions.run(async (em) => {
        const organisation = em.create(Organisation, { id: randomUUID(), slug, name });
        return toOrganisationView(await em.save(organisation));
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('ORGANISATION_SLUG_TAKEN', `an organisation with slug ${JSON.stringify(slug)} already exists`);
      }
      throw error;
    }
  }

  /**
   * Puts right the user and team counts behind `totalResults` (organisation-row-counts.ts) of one organisation, or of
   * all: for after rows were changed by hand in SQL. Each organisation in its own transaction.
   */
  async rebuildRowCounts(slug?: string): Promise<{ organisations: number; corrected: (RowCountCorrection & { organisation: string })[] }> {
    const organisations =
      slug === undefined
        ? await this.dataSource.getRepository(Organisation).find({ order: { slug: 'ASC' } })
        : [await this.getBySlug(slug)];
    const corrected: (RowCountCorrection & { organisation: string })[] = [];
    for (const organisation of organisations) {
      const corrections = await this.transactions.run((em) => rebuildRowCounts(em, organisation.id));
      corrected.push(...corrections.map((correction) => ({ organisation: organisation.slug, ...correction })));
    }
    return { organisations: organisations.length, corrected };
  }

  async getBySlug(slug: string): Promise<OrganisationView> {
    const organisation = await this.dataSource.getRepository(Organisation).findOneBy({ slug });
    if (!organisation) throw new DomainError('ORGANISATION_NOT_FOUND', `no organisation has slug ${JSON.stringify(slug)}`);
    return toOrganisationView(organisation);
  }
}

function toOrganisationView(organisation: Organisation): OrganisationView {
  return { id: organisation.id, slug: organisation.slug, name: organisation.name };
}
