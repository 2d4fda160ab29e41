import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../common/domain-error';
import { normaliseKey } from '../../common/normalise';
import { isUniqueViolation } from '../../database/db-errors';
import { TransactionService } from '../../database/transaction.service';
import { Resource, type ResourceType } from './resource.entity';

export interface ResourceView {
  id: string;
  name: string;
  type: ResourceType;
  createdAt: string;
}

@Injectable()
export class ResourcesService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly dataSource: DataSource,
  ) {}

  async create(organisationId: string, input: { name: string; type: ResourceType }): Promise<ResourceView> {
    const name = input.name.trim();
    try {
      return await this.transactions.run(async (em) => {
        const resource = em.create(Resource, {
          id: randomUUID(),
          organisationId,
          name,
          nameNormalized: normaliseKey(name),
          type: input.type,
        });
        return toResourceView(await em.save(resource));
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('RESOURCE_NAME_TAKEN', `a resource named ${JSON.stringify(name)} already exists`, { fields: ['name'] });
      }
      throw error;
    }
  }

  async list(organisationId: string, type?: ResourceType): Promise<{ items: ResourceView[] }> {
    const resources = await this.dataSource.getRepository(Resource).find({
      where: { organisationId, ...(type && { type }) },
      order: { nameNormalized: 'ASC', id: 'ASC' },
    });
    return { items: resources.map(toResourceView) };
  }

  async get(organisationId: string, id: string): Promise<ResourceView> {
    const resource = await this.dataSource.getRepository(Resource).findOneBy({ organisationId, id });
    if (!resource) throw new NotFoundError('RESOURCE_NOT_FOUND', 'resource', id);
    return toResourceView(resource);
  }
}

function toResourceView(resource: Resource): ResourceView {
  return { id: resource.id, name: resource.name, type: resource.type, createdAt: resource.createdAt.toISOString() };
}
