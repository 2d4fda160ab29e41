import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { TransactionService, writeLock } from '../../database/transaction.service';
import { asUserWriter } from '../../users/managed-by-scim.policy';
import { UserLifecycleService } from '../../users/user-lifecycle.service';
import { User } from '../../users/user.entity';
import type { OrgRef } from '../auth/org-ref';
import { ScimError } from '../protocol/errors/scim-error';
import { parseFilter } from '../protocol/filter';
import { listResponse, parseListQuery, projectResource, type ListResponse, type Projection } from '../protocol/messages';
import { applyPatch, parsePatchRequest } from '../protocol/patch';
import { readResource } from '../protocol/resource/read-resource';
import { USER_RESOURCE_TYPE } from '../protocol/schema';
import { ScimUserRepository } from '../persistence/scim-user.repository';
import { scimUserWrite, toScimUser, weakEtag, type ScimUserRecord } from './scim-user.mapper';

/** The page size cap, advertised as `filter.maxResults` in ServiceProviderConfig. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 100;

type ScimJson = Record<string, unknown>;

/**
 * SCIM Users on the app's own users. Each write is one transaction; a request is parsed and
 * checked against the attribute registry before the transaction starts.
 */
@Injectable()
export class ScimUsersService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly dataSource: DataSource,
    private readonly users: ScimUserRepository,
    private readonly lifecycle: UserLifecycleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(org: OrgRef, body: unknown, projection: Projection = {}): Promise<ScimJson> {
    const resource = readResource(USER_RESOURCE_TYPE, body);
    const write = scimUserWrite(resource);
    const user = await this.runAsScim((em) => this.users.insert(em, org.id, write, resource.active !== false));
    return this.present(org, await this.load(this.dataSource.manager, org, user.id), projection);
  }

  async get(org: OrgRef, id: string, projection: Projection = {}): Promise<ScimJson> {
    return this.present(org, await this.load(this.dataSource.manager, org, id), projection);
  }

  /** PUT: the body replaces every writable attribute; what it leaves out is cleared, except `active`. */
  async replace(org: OrgRef, id: string, body: unknown, ifMatch?: string, projection: Projection = {}): Promise<ScimJson> {
    const resource = readResource(USER_RESOURCE_TYPE, body);
    const write = scimUserWrite(resource);
    const active = typeof resource.active === 'boolean' ? resource.active : undefined;
    const record = await this.runAsScim(async (em) => {
      const user = await this.lockForWrite(em, org, id, ifMatch);
      const wasActive = user.active;
      const saved = await this.users.replace(em, user, write, active);
      if (wasActive && !saved.active) await this.lifecycle.deactivated(em, saved);
      return this.load(em, org, id);
    });
    return this.present(org, record, projection);
  }

  /**
   * PATCH: every operation is parsed and checked before the transaction, then applied to the
   * stored user as one unit: all of them or none. When nothing changes (including an empty
   * Operations list, guide Q14) nothing is written, so lastModified and the version stay.
   */
  async patch(org: OrgRef, id: string, body: unknown, ifMatch?: string, projection: Projection = {}): Promise<ScimJson> {
    const operations = parsePatchRequest(body);
    const record = await this.runAsScim(async (em) => {
      const user = await this.lockForWrite(em, org, id, ifMatch);
      const current = await this.load(em, org, id);
      const { resource, changed } = applyPatch(USER_RESOURCE_TYPE, toScimUser(current, ''), operations);
      if (!changed) return current;
      const wasActive = user.active;
      // `active` has no "unassigned" state here: a remove of it keeps the stored value, as PUT does.
      const active = typeof resource.active === 'boolean' ? resource.active : undefined;
      const saved = await this.users.replace(em, user, scimUserWrite(resource), active);
      if (wasActive && !saved.active) await this.lifecycle.deactivated(em, saved);
      return this.load(em, org, id);
    });
    return this.present(org, record, projection);
  }

  async delete(org: OrgRef, id: string, ifMatch?: string): Promise<void> {
    await this.runAsScim(async (em) => this.lifecycle.delete(em, await this.lockForWrite(em, org, id, ifMatch)));
  }

  async list(org: OrgRef, parameters: Readonly<Record<string, unknown>>): Promise<ListResponse<ScimJson>> {
    const query = parseListQuery(parameters, { defaultCount: DEFAULT_PAGE_SIZE, maxCount: MAX_PAGE_SIZE });
    const filter = query.filter === undefined ? undefined : parseFilter(query.filter);
    const { total, records } = await this.users.findPage(this.dataSource.manager, org.id, {
      filter,
      sort: { sortBy: query.sortBy, sortOrder: query.sortOrder },
      offset: query.startIndex - 1,
      limit: query.count,
    });
    return listResponse(
      records.map((record) => this.present(org, record, query)),
      { totalResults: total, startIndex: query.startIndex },
    );
  }

  /** One transaction whose user writes are the identity provider's (managed-by-scim.policy.ts). */
  private runAsScim<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.transactions.run((em) => asUserWriter(em, 'scim', () => work(em)));
  }

  baseUrl(org: OrgRef): string {
    return `${this.config.publicBaseUrl}/scim/v2/${org.slug}`;
  }

  private present(org: OrgRef, record: ScimUserRecord, projection: Projection): ScimJson {
    return projectResource(toScimUser(record, `${this.baseUrl(org)}/Users/${record.user.id}`), USER_RESOURCE_TYPE, projection);
  }

  private async load(em: EntityManager, org: OrgRef, id: string): Promise<ScimUserRecord> {
    const record = await this.users.findById(em, org.id, id);
    if (!record) throw ScimError.notFound(`User ${JSON.stringify(id)} not found.`);
    return record;
  }

  /** The user, locked for this transaction, after the If-Match precondition (RFC 7644 §3.14). */
  private async lockForWrite(em: EntityManager, org: OrgRef, id: string, ifMatch: string | undefined): Promise<User> {
    const user = await em.findOne(User, { where: { id, organisationId: org.id }, ...writeLock(em) });
    if (!user) throw ScimError.notFound(`User ${JSON.stringify(id)} not found.`);
    if (ifMatch !== undefined && !etagMatches(ifMatch, user.version)) {
      throw ScimError.preconditionFailed(`User ${id} has changed (now version ${weakEtag(user.version)}); read it again.`);
    }
    return user;
  }
}

/** `If-Match: W/"3"`, `"3"`, a list of them, or `*`. */
export function etagMatches(header: string, version: number): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === `"${version}"`);
}
