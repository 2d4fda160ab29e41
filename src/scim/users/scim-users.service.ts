import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TransactionService } from '../../database/transaction.service';
import { asUserWriter, isScimManaged } from '../../users/managed-by-scim.policy';
import { UserLifecycleService } from '../../users/user-lifecycle.service';
import { User } from '../../users/user.entity';
import type { OrgRef } from '../auth/org-ref';
import { ScimCredentialsService } from '../auth/scim-credentials.service';
import { ScimError } from '../protocol/errors/scim-error';
import { parseFilter } from '../protocol/filter';
import {
  SCIM_PAGING,
  assertIfMatch,
  cursorListResponse,
  decodeCursor,
  encodeCursor,
  listResponse,
  parseListQuery,
  resourceProjector,
  type CursorListResponse,
  type CursorScope,
  type ListQuery,
  type ListResponse,
  type Projection,
} from '../protocol/messages';
import type { FilterNode } from '../protocol/filter';
import { applyPatch, parsePatchRequest } from '../protocol/patch';
import { readResource, type CanonicalResource } from '../protocol/resource/read-resource';
import { USER_RESOURCE_TYPE } from '../protocol/schema';
import { ScimUserRepository } from '../persistence/scim-user.repository';
import { scimUserWrite, toScimUser, type ScimUserRecord, type ScimUserWrite } from './scim-user.mapper';
import { changedAttributes } from '../audit/describe-change';
import type { ProvisioningOperation } from '../audit/provisioning-event.entity';
import { ProvisioningLogService, type ProvisioningEventInput } from '../audit/provisioning-log.service';

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
    private readonly log: ProvisioningLogService,
    private readonly credentials: ScimCredentialsService,
  ) {}

  async create(org: OrgRef, body: unknown, projection: Projection = {}): Promise<ScimJson> {
    const resource = readResource(USER_RESOURCE_TYPE, body);
    const write = scimUserWrite(resource);
    const record = await this.runAsScim(async (em) => {
      const created = await this.asStored(em, org, write, await this.users.insert(em, org.id, write, resource.active !== false));
      const attributes = changedAttributes({}, toScimUser(created, ''));
      await this.log.record(em, org.id, [event('create', created.user, 201, `created with ${attributes.join(', ')}`)]);
      return created;
    });
    return this.present(org, record, projection);
  }

  async get(org: OrgRef, id: string, projection: Projection = {}): Promise<ScimJson> {
    return this.present(org, await this.load(this.dataSource.manager, org, id), projection);
  }

  /** PUT: the body replaces every writable attribute; what it leaves out is cleared, except `active`. */
  async replace(org: OrgRef, id: string, body: unknown, ifMatch?: string, projection: Projection = {}): Promise<ScimJson> {
    const resource = readResource(USER_RESOURCE_TYPE, body);
    const write = scimUserWrite(resource);
    const record = await this.runAsScim(async (em) => {
      const current = await this.lockForWrite(em, org, id, ifMatch);
      return this.update(em, org, current, write, activeOf(resource));
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
      const current = await this.lockForWrite(em, org, id, ifMatch);
      const { resource, changed } = applyPatch(USER_RESOURCE_TYPE, toScimUser(current, ''), operations);
      return changed ? this.update(em, org, current, scimUserWrite(resource), activeOf(resource)) : current;
    });
    return this.present(org, record, projection);
  }

  async delete(org: OrgRef, id: string, ifMatch?: string): Promise<void> {
    await this.runAsScim(async (em) => {
      const user = await this.lockUser(em, org, id, ifMatch);
      const released = await this.lifecycle.delete(em, user);
      await this.log.record(em, org.id, [event('delete', user, 204, 'deleted'), ...releasedEvents(user, released)]);
    });
  }

  /**
   * Writes a new identity onto a locked user and records what that meant: taking over a user
   * added in the app, deactivating or reactivating (releasing future bookings), changing attributes.
   */
  private async update(
    em: EntityManager,
    org: OrgRef,
    before: ScimUserRecord,
    write: ScimUserWrite,
    active: boolean | undefined,
  ): Promise<ScimUserRecord> {
    const wasManaged = isScimManaged(before.user);
    const wasActive = before.user.active;
    const after = await this.asStored(em, org, write, await this.users.replace(em, before, write, active));
    const saved = after.user;
    const released = wasActive && !saved.active ? await this.lifecycle.deactivated(em, saved) : 0;
    const changed = changedAttributes(toScimUser(before, ''), toScimUser(after, ''));
    await this.log.record(em, org.id, [
      ...(wasManaged
        ? []
        : [event('adopt', saved, 200, 'taken over by the identity provider; identity fields are now read-only in the app')]),
      ...(wasActive && !saved.active ? [event('deactivate', saved, 200, 'deactivated: can no longer sign in or book')] : []),
      ...(!wasActive && saved.active ? [event('reactivate', saved, 200, 'reactivated: can sign in and book again')] : []),
      ...releasedEvents(saved, released),
      ...(changed.length > 0 ? [event('update', saved, 200, `changed ${changed.join(', ')}`)] : []),
    ]);
    return after;
  }

  /** GET /Users and POST /Users/.search: by startIndex (the default, as Entra pages) or by cursor (RFC 9865). */
  async list(org: OrgRef, parameters: Readonly<Record<string, unknown>>): Promise<ListResponse<ScimJson> | CursorListResponse<ScimJson>> {
    const query = parseListQuery(parameters, SCIM_PAGING);
    const filter = query.filter === undefined ? undefined : parseFilter(query.filter);
    if (query.cursor !== undefined) return this.listByCursor(org, query, query.cursor, filter);
    const { total, records } = await this.users.findPage(this.dataSource.manager, org.id, {
      filter,
      sort: { sortBy: query.sortBy, sortOrder: query.sortOrder },
      offset: query.startIndex - 1,
      limit: query.count,
    });
    return listResponse(records.map(this.presenter(org, query)), { totalResults: total, startIndex: query.startIndex });
  }

  private async listByCursor(org: OrgRef, query: ListQuery, cursor: string, filter: FilterNode | undefined) {
    const scope: CursorScope = {
      organisationId: org.id,
      resourceType: USER_RESOURCE_TYPE.name,
      filter: query.filter,
      sortBy: query.sortBy,
      sortOrder: query.sortOrder,
    };
    const page = await this.users.findCursorPage(this.dataSource.manager, org.id, {
      filter,
      sort: { sortBy: query.sortBy, sortOrder: query.sortOrder },
      position: cursor === '' ? undefined : decodeCursor(cursor, scope),
      limit: query.count,
    });
    return cursorListResponse(page.records.map(this.presenter(org, query)), {
      totalResults: page.total,
      nextCursor: page.next && encodeCursor(page.next, scope),
      previousCursor: page.previous && encodeCursor(page.previous, scope),
    });
  }

  /** One transaction whose user writes are the identity provider's (managed-by-scim.policy.ts). */
  private runAsScim<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.transactions.run((em) => asUserWriter(em, 'scim', () => work(em)));
  }

  baseUrl(org: OrgRef): string {
    return this.credentials.tenantUrl(org);
  }

  private present(org: OrgRef, record: ScimUserRecord, projection: Projection): ScimJson {
    return this.presenter(org, projection)(record);
  }

  /** present() for many records under one projection: a page resolves the projection once. */
  private presenter(org: OrgRef, projection: Projection): (record: ScimUserRecord) => ScimJson {
    const project = resourceProjector(USER_RESOURCE_TYPE, projection);
    const usersUrl = `${this.baseUrl(org)}/Users/`;
    return (record) => project(toScimUser(record, usersUrl + record.user.id));
  }

  private async load(em: EntityManager, org: OrgRef, id: string): Promise<ScimUserRecord> {
    const record = await this.users.findById(em, org.id, id);
    if (!record) throw ScimError.notFound(`User ${JSON.stringify(id)} not found.`);
    return record;
  }

  /** The user, locked for this transaction, after the If-Match precondition (RFC 7644 §3.14). */
  private async lockUser(em: EntityManager, org: OrgRef, id: string, ifMatch: string | undefined): Promise<User> {
    const user = await this.users.lockById(em, org.id, id);
    if (!user) throw ScimError.notFound(`User ${JSON.stringify(id)} not found.`);
    assertIfMatch(ifMatch, user.version, `User ${id}`);
    return user;
  }

  /** The locked user with its contact elements and teams, read after the lock was taken. */
  private async lockForWrite(em: EntityManager, org: OrgRef, id: string, ifMatch: string | undefined): Promise<ScimUserRecord> {
    return this.users.withContactsOf(em, org.id, await this.lockUser(em, org, id, ifMatch));
  }

  /**
   * What a write returned is what the database holds, so it is answered without reading it back,
   * unless a string has a lone UTF-16 surrogate: the drivers store that as U+FFFD, and only a read
   * shows what was stored.
   */
  private async asStored(em: EntityManager, org: OrgRef, write: ScimUserWrite, written: ScimUserRecord): Promise<ScimUserRecord> {
    return storableExactly(write) ? written : this.load(em, org, written.user.id);
  }
}

/** `active` has no "unassigned" state: when a body or patch leaves it out, the stored value stays. */
const activeOf = (resource: CanonicalResource): boolean | undefined => (typeof resource.active === 'boolean' ? resource.active : undefined);

function event(operation: ProvisioningOperation, user: User, httpStatus: number, summary: string): ProvisioningEventInput {
  return { operation, userId: user.id, userName: user.userName, outcome: 'success', httpStatus, summary };
}

function releasedEvents(user: User, released: number): ProvisioningEventInput[] {
  return released > 0 ? [event('bookings_released', user, 200, `${released} future booking${released === 1 ? '' : 's'} released`)] : [];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether every string of the write is well-formed UTF-16, so that the database stores it unchanged. */
function storableExactly(write: ScimUserWrite): boolean {
  const values = [write.columns, ...write.emails, ...write.phoneNumbers, ...write.addresses].flatMap((fields) => Object.values(fields));
  return values.every((value) => typeof value !== 'string' || !LONE_SURROGATE.test(value));
}
