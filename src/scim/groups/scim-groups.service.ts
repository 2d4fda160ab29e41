import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TransactionService } from '../../database/transaction.service';
import type { Team } from '../../teams/team.entity';
import type { OrgRef } from '../auth/org-ref';
import { ScimCredentialsService } from '../auth/scim-credentials.service';
import { ScimError } from '../protocol/errors/scim-error';
import { parseFilter, type FilterNode } from '../protocol/filter';
import {
  SCIM_PAGING,
  assertIfMatch,
  weakEtag,
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
import { applyPatch, parsePatchRequest, type MemberDelta } from '../protocol/patch';
import { readResource } from '../protocol/resource/read-resource';
import { GROUP_RESOURCE_TYPE } from '../protocol/schema';
import { ScimGroupRepository } from '../persistence/scim-group.repository';
import { memberScopeOf, type MemberScope } from './member-scope';
import {
  includesMembers,
  memberIdsOf,
  namesMembers,
  scimGroupWrite,
  toScimGroup,
  type ScimGroupMember,
  type ScimGroupRecord,
  type ScimGroupWrite,
} from './scim-group.mapper';

type ScimJson = Record<string, unknown>;

/** A write answered with 204 No Content; only the new version goes out, as the ETag. */
export class ScimNoContent {
  constructor(readonly etag: string) {}
}

const NO_MEMBER_CHANGE: MemberDelta = { added: [], removed: [] };

/** Unknown member ids named in an error detail; the rest are counted. */
const LISTED_UNKNOWN_IDS = 10;

/**
 * SCIM Groups on the app's teams. A request is parsed and checked against the attribute registry before its
 * transaction starts; each write is one transaction. Members are users of the same organisation, stored one row
 * per membership and changed as row inserts and deletes (guide §2.8, trap T35): a PATCH reads only the memberships
 * it names, so adding 100 members costs the same for a team of 10,000 as for an empty one.
 */
@Injectable()
export class ScimGroupsService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly dataSource: DataSource,
    private readonly groups: ScimGroupRepository,
    private readonly credentials: ScimCredentialsService,
  ) {}

  /** POST: Entra creates groups empty, Okta with `members: []`; members in the body are accepted too (RFC 7644 §3.3). */
  async create(org: OrgRef, body: unknown, projection: Projection = {}): Promise<ScimJson> {
    const resource = readResource(GROUP_RESOURCE_TYPE, body);
    const write = scimGroupWrite(resource);
    const memberIds = memberIdsOf(resource);
    const team = await this.transactions.run(async (em) => {
      const created = await this.groups.insert(em, org.id, write);
      await this.applyMemberDelta(em, org, created, { added: memberIds, removed: [] });
      return created;
    });
    return this.present(org, await this.load(this.dataSource.manager, org, team.id, projection), projection);
  }

  async get(org: OrgRef, id: string, projection: Projection = {}): Promise<ScimJson> {
    return this.present(org, await this.load(this.dataSource.manager, org, id, projection), projection);
  }

  /**
   * PUT (Okta's AIW apps): replaces displayName, externalId and, when the body names `members`, the membership, as
   * the difference between the stored members and the given ones. A body without `members` keeps them (guide §2.8).
   */
  async replace(org: OrgRef, id: string, body: unknown, ifMatch?: string, projection: Projection = {}): Promise<ScimJson> {
    const resource = readResource(GROUP_RESOURCE_TYPE, body);
    const write = scimGroupWrite(resource);
    const memberIds = namesMembers(body) ? memberIdsOf(resource) : undefined;
    await this.transactions.run(async (em) => {
      const team = await this.lockForWrite(em, org, id, ifMatch);
      const delta = memberIds === undefined ? NO_MEMBER_CHANGE : difference(await this.groups.findMemberIds(em, team.id), memberIds);
      await this.applyMemberDelta(em, org, team, delta);
      // An identical PUT writes nothing, so lastModified and the version stay, as for users.
      const isUnchanged = delta.added.length === 0 && delta.removed.length === 0 && isSameTeam(team, write);
      if (!isUnchanged) await this.groups.update(em, team, write);
    });
    return this.present(org, await this.load(this.dataSource.manager, org, id, projection), projection);
  }

  /**
   * PATCH: the operations are parsed and checked before the transaction, then applied by the one PATCH engine to the
   * group with only the members they can reach (member-scope.ts): none for a rename, those named for adds and removes
   * by id. Member changes are the engine's memberDelta, written as row inserts and deletes; all of it or none.
   *
   * The answer is 204 (guide §2.8), or 200 with the group when the client asks for `attributes` (RFC 7644 §3.5.2).
   * When nothing changes (an empty Operations list, re-adding a member) nothing is written and the version stays.
   */
  async patch(org: OrgRef, id: string, body: unknown, ifMatch?: string, projection: Projection = {}): Promise<ScimJson | ScimNoContent> {
    const operations = parsePatchRequest(body);
    const scope = memberScopeOf(operations);
    const team = await this.transactions.run(async (em) => {
      const locked = await this.lockForWrite(em, org, id, ifMatch);
      const members = await this.membersWithin(em, locked, scope);
      const current = toScimGroup({ team: locked, ...(members === undefined ? {} : { members }) }, this.baseUrl(org));
      const { resource, changed, memberDelta } = applyPatch(GROUP_RESOURCE_TYPE, current, operations);
      if (!changed) return locked;
      if (memberDelta !== undefined) await this.applyMemberDelta(em, org, locked, memberDelta);
      return this.groups.update(em, locked, scimGroupWrite(resource));
    });
    if (projection.attributes === undefined) return new ScimNoContent(weakEtag(team.version));
    return this.present(org, await this.load(this.dataSource.manager, org, id, projection), projection);
  }

  /** DELETE: the team and its memberships go; its users stay (guide §2.7). */
  async delete(org: OrgRef, id: string, ifMatch?: string): Promise<void> {
    await this.transactions.run(async (em) => this.groups.delete(em, await this.lockForWrite(em, org, id, ifMatch)));
  }

  /** GET /Groups and POST /Groups/.search: by startIndex (the default, as Entra pages) or by cursor (RFC 9865). */
  async list(org: OrgRef, parameters: Readonly<Record<string, unknown>>): Promise<ListResponse<ScimJson> | CursorListResponse<ScimJson>> {
    const query = parseListQuery(parameters, SCIM_PAGING);
    const filter = query.filter === undefined ? undefined : parseFilter(query.filter);
    if (query.cursor !== undefined) return this.listByCursor(org, query, query.cursor, filter);
    const { total, records } = await this.groups.findPage(
      this.dataSource.manager,
      org.id,
      { filter, sort: { sortBy: query.sortBy, sortOrder: query.sortOrder }, offset: query.startIndex - 1, limit: query.count },
      { withMembers: includesMembers(query) },
    );
    return listResponse(records.map(this.presenter(org, query)), { totalResults: total, startIndex: query.startIndex });
  }

  private async listByCursor(org: OrgRef, query: ListQuery, cursor: string, filter: FilterNode | undefined) {
    const scope: CursorScope = {
      organisationId: org.id,
      resourceType: GROUP_RESOURCE_TYPE.name,
      filter: query.filter,
      sortBy: query.sortBy,
      sortOrder: query.sortOrder,
    };
    const page = await this.groups.findCursorPage(
      this.dataSource.manager,
      org.id,
      {
        filter,
        sort: { sortBy: query.sortBy, sortOrder: query.sortOrder },
        position: cursor === '' ? undefined : decodeCursor(cursor, scope),
        limit: query.count,
      },
      { withMembers: includesMembers(query) },
    );
    return cursorListResponse(page.records.map(this.presenter(org, query)), {
      totalResults: page.total,
      nextCursor: page.next && encodeCursor(page.next, scope),
      previousCursor: page.previous && encodeCursor(page.previous, scope),
    });
  }

  private baseUrl(org: OrgRef): string {
    return this.credentials.tenantUrl(org);
  }

  private present(org: OrgRef, record: ScimGroupRecord, projection: Projection): ScimJson {
    return this.presenter(org, projection)(record);
  }

  /** present() for many records under one projection: a page resolves the projection once. */
  private presenter(org: OrgRef, projection: Projection): (record: ScimGroupRecord) => ScimJson {
    const project = resourceProjector(GROUP_RESOURCE_TYPE, projection);
    const baseUrl = this.baseUrl(org);
    return (record) => project(toScimGroup(record, baseUrl));
  }

  /** The group, with its members only when the response will show them (trap T22: excluded means not even loaded). */
  private async load(em: EntityManager, org: OrgRef, id: string, projection: Projection): Promise<ScimGroupRecord> {
    const record = await this.groups.findById(em, org.id, id, { withMembers: includesMembers(projection) });
    if (!record) throw ScimError.notFound(`Group ${JSON.stringify(id)} not found.`);
    return record;
  }

  private async membersWithin(em: EntityManager, team: Team, scope: MemberScope): Promise<ScimGroupMember[] | undefined> {
    switch (scope.kind) {
      case 'none':
        return undefined;
      case 'some':
        return this.groups.findMembersAmong(em, team.organisationId, team.id, scope.ids);
      case 'all':
        return this.groups.findMembers(em, team.id);
    }
  }

  /**
   * Writes a membership change. Every added id must be a user of this organisation, or the request fails with 400
   * invalidValue naming the unknown ids and nothing is applied (guide §2.8): Entra only sends ids it got from us.
   */
  private async applyMemberDelta(em: EntityManager, org: OrgRef, team: Team, delta: MemberDelta): Promise<void> {
    const unknown = await this.groups.findUnknownUserIds(em, org.id, delta.added);
    if (unknown.length > 0) {
      const listed = unknown
        .slice(0, LISTED_UNKNOWN_IDS)
        .map((userId) => JSON.stringify(userId))
        .join(', ');
      const more = unknown.length > LISTED_UNKNOWN_IDS ? ` and ${unknown.length - LISTED_UNKNOWN_IDS} more` : '';
      throw ScimError.invalidValue(
        `members: no user of this organisation has the id ${listed}${more}; provision the user before adding it to group ${JSON.stringify(team.name)}.`,
      );
    }
    await this.groups.removeMembers(em, team.id, delta.removed);
    await this.groups.addMembers(em, team.id, delta.added);
  }

  /** The team, locked for this transaction, after the If-Match precondition (RFC 7644 §3.14). */
  private async lockForWrite(em: EntityManager, org: OrgRef, id: string, ifMatch: string | undefined): Promise<Team> {
    const team = await this.groups.lockById(em, org.id, id);
    if (!team) throw ScimError.notFound(`Group ${JSON.stringify(id)} not found.`);
    assertIfMatch(ifMatch, team.version, `Group ${id}`);
    return team;
  }
}

/** The ids to add and remove to turn the membership `current` into `wanted`. */
function difference(current: readonly string[], wanted: readonly string[]): MemberDelta {
  const currentIds = new Set(current);
  const wantedIds = new Set(wanted);
  return { added: wanted.filter((id) => !currentIds.has(id)), removed: current.filter((id) => !wantedIds.has(id)) };
}

/** Whether a team already holds what a write would set, SCIM-managed included. */
function isSameTeam(team: Team, write: ScimGroupWrite): boolean {
  return team.managedBy === 'scim' && team.name === write.name && team.externalId === write.externalId;
}
