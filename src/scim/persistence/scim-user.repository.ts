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
async function refusingTakenUserName<T>(userName: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new DomainError(
      'USER_NAME_TAKEN',
      `userName ${JSON.stringify(userName)} is already used by another user of this organisation; userNames are unique regardless of case.`,
      { fields: ['userName'] },
    );
  }
}

/** The contact lists of a user, in the order they are stored. */
type Contacts = Pick<ScimUserRecord, 'emails' | 'phoneNumbers' | 'addresses'>;

const CONTACT_TABLES = [
  { list: 'emails', entity: UserEmail },
  { list: 'phoneNumbers', entity: UserPhoneNumber },
  { list: 'addresses', entity: UserAddress },
] as const;

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

  /**
   * Creates a user with its contact elements and returns it as stored, without reading it back: an
   * INSERT per non-empty table. `updateEntity(false)` stops TypeORM re-selecting the version and the
   * column defaults, which SCIM does not show; the version starts at 1, as TypeORM's own insert does.
   */
  async insert(em: EntityManager, organisationId: string, write: ScimUserWrite, active: boolean): Promise<ScimUserRecord> {
    const user = em.create(User, {
      id: randomUUID(),
      organisationId,
      ...write.columns,
      active,
      role: 'user',
      managedBy: 'scim',
      passwordHash: null,
      version: 1,
    });
    // The entity instance lets Timestamped's @BeforeInsert stamp createdAt and updatedAt.
    await refusingTakenUserName(user.userName, () =>
      em.createQueryBuilder().insert().into(User).values(user).updateEntity(false).execute(),
    );
    // A user created in this transaction has no contact rows yet, so there is nothing to delete.
    return { user, ...(await this.writeContacts(em, user, undefined, write)), groups: [] };
  }

  /**
   * Replaces the identity of a locked user (`before` as read under the lock); permission fields are
   * left as they are. The user row gets a new updatedAt and version when one of its columns or one
   * of its contact lists changes (the ETag and meta.lastModified describe the whole resource, so a
   * new work phone alone must change them too); a contact table is rewritten only when its list
   * changed. Returns the user as stored, with the teams of `before` (a user write leaves them).
   */
  async replace(em: EntityManager, before: ScimUserRecord, write: ScimUserWrite, active: boolean | undefined): Promise<ScimUserRecord> {
    const stored = before.user;
    const wanted: Partial<User> = { ...write.columns, managedBy: 'scim', ...(active === undefined ? {} : { active }) };
    const changes = Object.fromEntries(
      Object.entries(wanted).filter(([column, value]) => stored[column as keyof User] !== value),
    ) as Partial<User>;
    const contactsChanged = CONTACT_TABLES.some(({ list }) => !sameElements(before[list], write[list]));
    let user = stored;
    if (Object.keys(changes).length > 0 || contactsChanged) {
      const stamp = { updatedAt: new Date(), version: stored.version + 1 };
      const result = await refusingTakenUserName(write.columns.userName, () =>
        em
          .createQueryBuilder()
          .update(User)
          .set({ ...changes, ...stamp })
          .where({ id: stored.id, organisationId: stored.organisationId, version: stored.version })
          .updateEntity(false)
          .execute(),
      );
      // The caller holds the row lock, so the row still has the version read; if not, the user returned would be wrong.
      if (result.affected !== 1) throw new Error(`User ${stored.id} changed while locked (version ${stored.version} expected)`);
      user = Object.assign(new User(), stored, changes, stamp);
    }
    return { user, ...(await this.writeContacts(em, user, before, write)), groups: before.groups };
  }

  /** A user with its contact elements and teams, for a user row already read (e.g. under a lock). */
  async withContactsOf(em: EntityManager, organisationId: string, user: User): Promise<ScimUserRecord> {
    const [record] = await this.withContacts(em, organisationId, [user]);
    return record;
  }

  /**
   * Writes each contact list that differs from `before` (none when creating) as DELETE and INSERT,
   * and returns the lists as stored: the rows kept or the rows inserted.
   */
  private async writeContacts(em: EntityManager, user: User, before: Contacts | undefined, write: ScimUserWrite): Promise<Contacts> {
    const owner = (position: number) => ({ id: randomUUID(), organisationId: user.organisationId, userId: user.id, position });
    const written: Partial<Record<keyof Contacts, unknown[]>> = {};
    for (const { list, entity } of CONTACT_TABLES) {
      const elements: readonly object[] = write[list];
      if (before && sameElements(before[list], elements)) {
        written[list] = before[list];
        continue;
      }
      if (before) await em.delete(entity, { userId: user.id });
      const rows = elements.map((element, position) => Object.assign(new entity(), owner(position), element));
      if (rows.length > 0) await em.createQueryBuilder().insert().into(entity).values(rows).updateEntity(false).execute();
      written[list] = rows;
    }
    return written as Contacts;
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

/** Whether stored rows hold exactly the elements, in order: every field the write sets is equal. */
function sameElements(rows: readonly object[], elements: readonly object[]): boolean {
  return (
    rows.length === elements.length &&
    elements.every((element, index) =>
      Object.entries(element).every(([field, value]) => (rows[index] as Record<string, unknown>)[field] === value),
    )
  );
}
