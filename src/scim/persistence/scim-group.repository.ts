import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { uniqueViolationAs } from '../../database/db-errors';
import { writeLock } from '../../database/transaction.service';
import { type WriteErrorMapper } from '../../database/write-batch';
import { deleteRows, insertRows, updateRows } from '../../database/write-rows';
import { rowsAdded, rowsRemoved } from '../../organisations/organisation-row-counts';
import { Team, TeamMember } from '../../teams/team.entity';
import { User } from '../../users/user.entity';
import type { ScimGroupMember, ScimGroupRecord, ScimGroupWrite } from '../groups/scim-group.mapper';
import type { FilterNode } from '../protocol/filter';
import type { CursorPosition } from '../protocol/messages';
import type { SortRequest } from './compile-sort';
import { keysetSort } from './keyset-pagination';
import { fetchCursorPage, fetchOffsetPage, listOrder, listSource } from './paged-query';
import type { CursorPageResult } from './scim-user.repository';
import { GROUP_FILTER_MAP } from './group-filter-columns';
import { dialectFor } from './sql-dialect';

export interface GroupPageRequest {
  filter?: FilterNode;
  sort: SortRequest;
  /** 0-based row offset. */
  offset: number;
  /** 0 asks for the total only. */
  limit: number;
}

export interface GroupCursorPageRequest {
  filter?: FilterNode;
  sort: SortRequest;
  /** Where the page starts; none for the first page. */
  position?: CursorPosition;
  /** At least 1. */
  limit: number;
}

/**
 * Ids per statement in `IN (…)` lists and multi-row inserts: far below SQLite's 32,766 variables and MariaDB's
 * 65,535 placeholders, and small enough that each statement stays cheap.
 */
const BATCH_SIZE = 500;

/**
 * SCIM's view of teams. Every method takes the organisation (or a team already found within it), so no query can
 * reach another one. Memberships are rows keyed by (teamId, userId): members are read, added and removed by id
 * through that primary key, and no method reads or rewrites a whole membership unless asked to (trap T35).
 */
@Injectable()
export class ScimGroupRepository {
  async findById(
    em: EntityManager,
    organisationId: string,
    id: string,
    options: { withMembers: boolean },
  ): Promise<ScimGroupRecord | null> {
    const team = await em.findOneBy(Team, { id, organisationId });
    if (!team) return null;
    return { team, ...(options.withMembers ? { members: await this.findMembers(em, team.id) } : {}) };
  }

  /** The team locked for this transaction (a row lock on MariaDB; SQLite runs one write transaction at a time). */
  lockById(em: EntityManager, organisationId: string, id: string): Promise<Team | null> {
    return em.findOne(Team, { where: { id, organisationId }, ...writeLock(em) });
  }

  /** One page of teams matching the filter, and how many match in all (paged-query.ts); members for the whole page in one query. */
  async findPage(
    em: EntityManager,
    organisationId: string,
    request: GroupPageRequest,
    options: { withMembers: boolean },
  ): Promise<{ total: number; records: ScimGroupRecord[] }> {
    const order = listOrder(request.sort, GROUP_FILTER_MAP, dialectFor(em.connection.options.type), 'team');
    const source = listSource(em, Team, 'team', GROUP_FILTER_MAP, organisationId, request.filter);
    const { rows: teams, total } = await fetchOffsetPage(em, source, order, request.offset, request.limit);
    if (!options.withMembers) return { total, records: teams.map((team) => ({ team })) };
    const members = await this.membersOf(
      em,
      teams.map((team) => team.id),
    );
    return { total, records: teams.map((team) => ({ team, members: members.get(team.id) ?? [] })) };
  }

  /** One page by keyset from a cursor position (keyset-pagination.ts), and how many match in all. */
  async findCursorPage(
    em: EntityManager,
    organisationId: string,
    request: GroupCursorPageRequest,
    options: { withMembers: boolean },
  ): Promise<CursorPageResult<ScimGroupRecord>> {
    const sort = keysetSort(request.sort, GROUP_FILTER_MAP, dialectFor(em.connection.options.type), 'team');
    const source = listSource(em, Team, 'team', GROUP_FILTER_MAP, organisationId, request.filter);
    const { rows, next, previous, total } = await fetchCursorPage(em, source, sort, request.position, request.limit);
    if (!options.withMembers) return { total, records: rows.map((team) => ({ team })), next, previous };
    const members = await this.membersOf(
      em,
      rows.map((team) => team.id),
    );
    return { total, records: rows.map((team) => ({ team, members: members.get(team.id) ?? [] })), next, previous };
  }

  /** All members of a team, in id order. */
  async findMembers(em: EntityManager, teamId: string): Promise<ScimGroupMember[]> {
    return (await this.membersOf(em, [teamId])).get(teamId) ?? [];
  }

  /** The user ids of all members of a team, for a PUT that replaces them all. */
  async findMemberIds(em: EntityManager, teamId: string): Promise<string[]> {
    const members = await em.find(TeamMember, { select: { userId: true }, where: { teamId } });
    return members.map((member) => member.userId);
  }

  /**
   * The members of a team among the given users, at the cost of one primary-key lookup per id whatever the team's
   * size. The query starts from the users (a LEFT JOIN keeps that order on every database) and finds each membership
   * by its whole key: starting from the team, MariaDB may walk all of its members when its statistics lag behind a
   * bulk load. Users are looked up by id only and their organisation compared here; with the organisation in the
   * WHERE clause, SQLite walks every user of the organisation instead.
   */
  async findMembersAmong(
    em: EntityManager,
    organisationId: string,
    teamId: string,
    userIds: readonly string[],
  ): Promise<ScimGroupMember[]> {
    const members: ScimGroupMember[] = [];
    for (const batch of batches(userIds)) {
      const rows = await em
        .getRepository(User)
        .createQueryBuilder('user')
        .leftJoin(TeamMember, 'member', 'member.teamId = :teamId AND member.userId = user.id', { teamId })
        .select('user.id', 'userId')
        .addSelect('user.organisationId', 'organisationId')
        .addSelect('user.displayName', 'displayName')
        .addSelect('member.userId', 'memberId')
        .where('user.id IN (:...userIds)', { userIds: batch })
        .getRawMany<{ userId: string; organisationId: string; displayName: string | null; memberId: string | null }>();
      const found = rows.filter((row) => row.memberId !== null && row.organisationId === organisationId);
      members.push(...found.map(({ userId, displayName }) => ({ userId, displayName })));
    }
    return members;
  }

  /**
   * The ids among `userIds` that are not users of the organisation, compared exactly as given. Looked up by primary
   * key only, with the organisation compared here, for the reason given at findMembersAmong.
   */
  async findUnknownUserIds(em: EntityManager, organisationId: string, userIds: readonly string[]): Promise<string[]> {
    const known = new Set<string>();
    for (const batch of batches(userIds)) {
      const users = await em.find(User, { select: { id: true, organisationId: true }, where: { id: In(batch) } });
      for (const user of users) if (user.organisationId === organisationId) known.add(user.id);
    }
    return userIds.filter((id) => !known.has(id));
  }

  /** Creates a SCIM-managed team; the unique index on the lower-cased name is the only uniqueness check. */
  async insert(em: EntityManager, organisationId: string, write: ScimGroupWrite): Promise<Team> {
    const team = em.create(Team, { id: randomUUID(), organisationId, ...write, managedBy: 'scim' });
    const saved = await translateNameClash(write, () => em.save(team));
    await rowsAdded(em, 'teams', organisationId);
    return saved;
  }

  /**
   * Sets the columns SCIM owns and moves `meta.lastModified` and the version on, also when only the membership
   * changed (the group as SCIM shows it did). The team becomes SCIM-managed, as a user does on its first SCIM write.
   */
  async update(em: EntityManager, team: Team, write: ScimGroupWrite): Promise<Team> {
    // The caller holds the row lock, so the team is as read: its next version is known and nothing need be read
    // back; the UPDATE goes with the transaction's next statement.
    const changes = { ...write, managedBy: 'scim' as const, updatedAt: new Date(), version: team.version + 1 };
    await updateRows(em, Team, { id: team.id }, changes, nameClash(write));
    return Object.assign(new Team(), team, changes);
  }

  /** Adds memberships, leaving those that exist as they are (insert-if-absent: re-adding a member is a no-op, trap T25). */
  async addMembers(em: EntityManager, teamId: string, userIds: readonly string[]): Promise<void> {
    const addedAt = new Date();
    for (const batch of batches(userIds)) {
      await insertRows(
        em,
        TeamMember,
        batch.map((userId) => Object.assign(new TeamMember(), { teamId, userId, addedAt })),
        { skipExisting: true },
      );
    }
  }

  async removeMembers(em: EntityManager, teamId: string, userIds: readonly string[]): Promise<void> {
    for (const batch of batches(userIds)) {
      await deleteRows(em, TeamMember, { teamId, userId: batch });
    }
  }

  /** Deletes the team; its memberships go with it (ON DELETE CASCADE), its users stay. */
  async delete(em: EntityManager, team: Team): Promise<void> {
    const deleted = await em.delete(Team, { id: team.id, organisationId: team.organisationId });
    await rowsRemoved(em, 'teams', team.organisationId, deleted.affected ?? 0);
  }

  /** Members of several teams in one query, with each user's display name. */
  private async membersOf(em: EntityManager, teamIds: readonly string[]): Promise<Map<string, ScimGroupMember[]>> {
    const byTeam = new Map<string, ScimGroupMember[]>();
    if (teamIds.length === 0) return byTeam;
    const query = em
      .getRepository(TeamMember)
      .createQueryBuilder('member')
      .innerJoin('member.user', 'user')
      .select('member.teamId', 'teamId')
      .addSelect('member.userId', 'userId')
      .addSelect('user.displayName', 'displayName')
      .where('member.teamId IN (:...teamIds)', { teamIds })
      .orderBy('member.teamId')
      .addOrderBy('member.userId');
    const rows = await query.getRawMany<{ teamId: string; userId: string; displayName: string | null }>();
    for (const { teamId, userId, displayName } of rows) {
      const members = byTeam.get(teamId) ?? [];
      members.push({ userId, displayName });
      byTeam.set(teamId, members);
    }
    return byTeam;
  }
}

/** The unique index on (organisation, lower-cased name) refuses a second team of that name; say so as a domain error. */
const nameClash = (write: ScimGroupWrite): WriteErrorMapper =>
  uniqueViolationAs(
    () =>
      new DomainError(
        'TEAM_NAME_TAKEN',
        `displayName ${JSON.stringify(write.name)} is already used by another group of this organisation; group names are unique regardless of case.`,
        { fields: ['displayName'] },
      ),
  );

async function translateNameClash<T>(write: ScimGroupWrite, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw nameClash(write)(error) ?? error;
  }
}

function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += BATCH_SIZE) yield items.slice(start, start + BATCH_SIZE);
}
