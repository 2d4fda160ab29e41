import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '../common/domain-error';
import { normaliseKey } from '../common/normalise';
import { isUniqueViolation } from '../database/db-errors';
import { TransactionService } from '../database/transaction.service';
import { rowsAdded, rowsRemoved } from '../organisations/organisation-row-counts';
import { assertAppMayChangeTeam } from '../users/managed-by-scim.policy';
import { findUserInOrganisation } from '../users/users.service';
import { Team, TeamMember } from './team.entity';

export interface TeamView {
  id: string;
  name: string;
  externalId: string | null;
  managedBy: 'scim' | null;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface TeamWithMembersView extends TeamView {
  members: { userId: string; displayName: string | null; userName: string }[];
}

@Injectable()
export class TeamsService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly dataSource: DataSource,
  ) {}

  async create(organisationId: string, name: string): Promise<TeamView> {
    const trimmed = name.trim();
    try {
      return await this.transactions.run(async (em) => {
        const team = em.create(Team, {
          id: randomUUID(),
          organisationId,
          name: trimmed,
          nameNormalized: normaliseKey(trimmed),
          externalId: null,
          managedBy: null,
        });
        const saved = await em.save(team);
        await rowsAdded(em, 'teams', organisationId);
        return toTeamView(saved, 0);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError('TEAM_NAME_TAKEN', `a team named ${JSON.stringify(trimmed)} already exists`, { fields: ['name'] });
      throw error;
    }
  }

  async list(organisationId: string): Promise<{ items: TeamView[] }> {
    const teams = await this.dataSource
      .getRepository(Team)
      .find({ where: { organisationId }, order: { nameNormalized: 'ASC', id: 'ASC' } });
    const counts = await this.dataSource
      .getRepository(TeamMember)
      .createQueryBuilder('member')
      .innerJoin('member.team', 'team')
      .select('member.teamId', 'teamId')
      .addSelect('COUNT(*)', 'count')
      .where('team.organisationId = :organisationId', { organisationId })
      .groupBy('member.teamId')
      .getRawMany<{ teamId: string; count: string | number }>();
    const countByTeam = new Map(counts.map((row) => [row.teamId, Number(row.count)]));
    return { items: teams.map((team) => toTeamView(team, countByTeam.get(team.id) ?? 0)) };
  }

  async get(organisationId: string, id: string): Promise<TeamWithMembersView> {
    const em = this.dataSource.manager;
    const team = await findTeamInOrganisation(em, organisationId, id);
    const members = await em
      .getRepository(TeamMember)
      .createQueryBuilder('member')
      .innerJoin('member.user', 'user')
      .select(['member.userId AS userId', 'user.displayName AS displayName', 'user.userName AS userName'])
      .where('member.teamId = :id', { id })
      .orderBy('user.userNameNormalized', 'ASC')
      .getRawMany<{ userId: string; displayName: string | null; userName: string }>();
    return { ...toTeamView(team, members.length), members };
  }

  async addMember(organisationId: string, teamId: string, userId: string): Promise<void> {
    try {
      await this.transactions.run(async (em) => {
        assertAppMayChangeTeam(await findTeamInOrganisation(em, organisationId, teamId));
        await findUserInOrganisation(em, organisationId, userId);
        const existing = await em.findOneBy(TeamMember, { teamId, userId });
        if (!existing) await em.insert(TeamMember, { teamId, userId, addedAt: new Date() });
      });
    } catch (error) {
      // Two concurrent PUTs of one membership can both find no row (MariaDB) and both insert; the
      // loser hits the primary key. The membership exists, which is all an idempotent PUT promises.
      if (isUniqueViolation(error)) return;
      throw error;
    }
  }

  async removeMember(organisationId: string, teamId: string, userId: string): Promise<void> {
    await this.transactions.run(async (em) => {
      assertAppMayChangeTeam(await findTeamInOrganisation(em, organisationId, teamId));
      const result = await em.delete(TeamMember, { teamId, userId });
      if (!result.affected) throw new NotFoundError('USER_NOT_FOUND', 'team member', userId);
    });
  }

  async delete(organisationId: string, id: string): Promise<void> {
    await this.transactions.run(async (em) => {
      const team = await findTeamInOrganisation(em, organisationId, id);
      assertAppMayChangeTeam(team);
      const deleted = await em.delete(Team, { id: team.id });
      await rowsRemoved(em, 'teams', organisationId, deleted.affected ?? 0);
    });
  }
}

async function findTeamInOrganisation(em: EntityManager, organisationId: string, id: string): Promise<Team> {
  const team = await em.findOneBy(Team, { id, organisationId });
  if (!team) throw new NotFoundError('TEAM_NOT_FOUND', 'team', id);
  return team;
}

function toTeamView(team: Team, memberCount: number): TeamView {
  return {
    id: team.id,
    name: team.name,
    externalId: team.externalId,
    managedBy: team.managedBy,
    memberCount,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  };
}
