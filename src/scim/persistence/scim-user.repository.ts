import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { isUniqueViolation } from '../../database/db-errors';
import { TeamMember } from '../../teams/team.entity';
import { UserAddress, UserEmail, UserPhoneNumber } from '../../users/user-contact.entity';
import { User } from '../../users/user.entity';
import type { FilterNode } from '../protocol/filter';
import type { CursorPosition } from '../protocol/messages';
import type { ScimUserRecord, ScimUserWrite } from '../users/scim-user.mapper';
import { compileFilter } from './compile-filter';
import { compileSort, type SortRequest } from './compile-sort';
import { fetchKeysetPage, keysetSort } from './keyset-pagination';
import { dialectFor } from './sql-dialect';
import { USER_FILTER_MAP } from './user-filter-columns';

export interface UserPageRequest {
  filter?: FilterNode;
  sort: SortRequest;
  /** 0-based row offset. */
  offset: number;
  /** 0 asks for the total only. */
  limit: number;
}

export interface UserCursorPageRequest {
  filter?: FilterNode;
  sort: SortRequest;
  /** Where the page starts; none for the first page. */
  position?: CursorPosition;
  /** At least 1. */
  limit: number;
}

export interface CursorPageResult<R> {
  total: number;
  records: R[];
  next?: CursorPosition;
  previous?: CursorPosition;
}

/**
 * The unique index on (organisation, lower-cased userName) is the only uniqueness check, so two
 * concurrent creates cannot both pass (never check-then-insert); its violation becomes a domain error.
 */
async function saveUser(em: EntityManager, user: User): Promise<User> {
  try {
    return await em.save(user);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new DomainError(
      'USER_NAME_TAKEN',
      `userName ${JSON.stringify(user.userName)} is already used by another user of this organisation; userNames are unique regardless of case.`,
      { fields: ['userName'] },
    );
  }
}

/** SCIM's view of users: every method takes the organisation, so no query can reach another one. */
@Injectable()
export class ScimUserRepository {
  async findById(em: EntityManager, organisationId: string, id: string): Promise<ScimUserRecord | null> {
    const user = await em.findOneBy(User, { id, organisationId });
    if (!user) return null;
    const [record] = await this.withContacts(em, organisationId, [user]);
    return record;
  }

  /** One page of users matching the filter, and how many match in all: three queries whatever the page size. */
  async findPage(
    em: EntityManager,
    organisationId: string,
    request: UserPageRequest,
  ): Promise<{ total: number; records: ScimUserRecord[] }> {
    const dialect = dialectFor(em.connection.options.type);
    const query = em.getRepository(User).createQueryBuilder('user').where('user.organisationId = :organisationId', { organisationId });
    if (request.filter) {
      const compiled = compileFilter(request.filter, USER_FILTER_MAP, dialect, 'user');
      query.andWhere(`(${compiled.where})`, compiled.parameters);
    }
    const total = await query.getCount();
    if (request.limit === 0 || request.offset >= total) return { total, records: [] };

    for (const term of compileSort(request.sort, USER_FILTER_MAP, dialect, 'user')) query.addOrderBy(term.expression, term.order);
    const users = await query.offset(request.offset).limit(request.limit).getMany();
    return { total, records: await this.withContacts(em, organisationId, users) };
  }

  /** One page by keyset from a cursor position (keyset-pagination.ts), and how many match in all. */
  async findCursorPage(
    em: EntityManager,
    organisationId: string,
    request: UserCursorPageRequest,
  ): Promise<CursorPageResult<ScimUserRecord>> {
    const dialect = dialectFor(em.connection.options.type);
    const sort = keysetSort(request.sort, USER_FILTER_MAP, dialect, 'user');
    const query = em.getRepository(User).createQueryBuilder('user').where('user.organisationId = :organisationId', { organisationId });
    if (request.filter) {
      const compiled = compileFilter(request.filter, USER_FILTER_MAP, dialect, 'user');
      query.andWhere(`(${compiled.where})`, compiled.parameters);
    }
    const total = await query.getCount();
    const page = await fetchKeysetPage(query, sort, request.position, request.limit);
    return { total, records: await this.withContacts(em, organisationId, page.rows), next: page.next, previous: page.previous };
  }

  async insert(em: EntityManager, organisationId: string, write: ScimUserWrite, active: boolean): Promise<User> {
    const user = em.create(User, {
      id: randomUUID(),
      organisationId,
      ...write.columns,
      active,
      role: 'user',
      managedBy: 'scim',
      passwordHash: null,
    });
    const saved = await saveUser(em, user);
    await this.replaceContacts(em, saved, write);
    return saved;
  }

  /** Replaces the identity of a user; permission fields are left as they are. */
  async replace(em: EntityManager, user: User, write: ScimUserWrite, active: boolean | undefined): Promise<User> {
    Object.assign(user, write.columns, { managedBy: 'scim' }, active === undefined ? {} : { active });
    const saved = await saveUser(em, user);
    await this.replaceContacts(em, saved, write);
    return saved;
  }

  /** A user has a handful of contact elements, so replacing the lists outright is simplest and exact. */
  private async replaceContacts(em: EntityManager, user: User, write: ScimUserWrite): Promise<void> {
    const owner = (position: number) => ({ id: randomUUID(), organisationId: user.organisationId, userId: user.id, position });
    await em.delete(UserEmail, { userId: user.id });
    await em.delete(UserPhoneNumber, { userId: user.id });
    await em.delete(UserAddress, { userId: user.id });
    if (write.emails.length)
      await em.insert(
        UserEmail,
        write.emails.map((email, position) => ({ ...owner(position), ...email })),
      );
    if (write.phoneNumbers.length) {
      await em.insert(
        UserPhoneNumber,
        write.phoneNumbers.map((phone, position) => ({ ...owner(position), ...phone })),
      );
    }
    if (write.addresses.length) {
      await em.insert(
        UserAddress,
        write.addresses.map((address, position) => ({ ...owner(position), ...address })),
      );
    }
  }

  /** The users' contact elements and teams: four queries for a whole page. */
  private async withContacts(em: EntityManager, organisationId: string, users: User[]): Promise<ScimUserRecord[]> {
    if (users.length === 0) return [];
    const userIds = users.map((user) => user.id);
    const order = { userId: 'ASC', position: 'ASC' } as const;
    const [emails, phoneNumbers, addresses, memberships] = await Promise.all([
      em.find(UserEmail, { where: { userId: In(userIds) }, order }),
      em.find(UserPhoneNumber, { where: { userId: In(userIds) }, order }),
      em.find(UserAddress, { where: { userId: In(userIds) }, order }),
      this.teamsOf(em, organisationId, userIds),
    ]);
    return users.map((user) => ({
      user,
      emails: emails.filter((email) => email.userId === user.id),
      phoneNumbers: phoneNumbers.filter((phone) => phone.userId === user.id),
      addresses: addresses.filter((address) => address.userId === user.id),
      groups: memberships.filter((membership) => membership.userId === user.id).map(({ id, name }) => ({ id, name })),
    }));
  }

  /** The teams of the organisation that each of the users belongs to, by name, in one query. */
  private teamsOf(em: EntityManager, organisationId: string, userIds: string[]): Promise<{ userId: string; id: string; name: string }[]> {
    return em
      .getRepository(TeamMember)
      .createQueryBuilder('member')
      .innerJoin('member.team', 'team')
      .select('member.userId', 'userId')
      .addSelect('team.id', 'id')
      .addSelect('team.name', 'name')
      .where('member.userId IN (:...userIds)', { userIds })
      .andWhere('team.organisationId = :organisationId', { organisationId })
      .orderBy('team.nameNormalized')
      .addOrderBy('team.id')
      .getRawMany();
  }
}
