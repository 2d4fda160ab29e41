import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { hashPassword } from '../auth/password-hasher';
import { DomainError, NotFoundError } from '../common/domain-error';
import { containsPattern, LIKE_ESCAPE, normaliseKey } from '../common/normalise';
import { isUniqueViolation } from '../database/db-errors';
import { TransactionService, writeLock } from '../database/transaction.service';
import { organisationRowCount, rowsAdded } from '../organisations/organisation-row-counts';
import type { CreateUserInput, ListUsersQuery, PermissionsInput, UpdateUserInput } from './dto/user-input.dto';
import { assertAppMayChangeUser } from './managed-by-scim.policy';
import { setPrimaryEmail } from './primary-email';
import { UserLifecycleService } from './user-lifecycle.service';
import { User } from './user.entity';
import { toUserView, type UserView } from './user.view';

export const DEFAULT_PAGE_SIZE = 50;

@Injectable()
export class UsersService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly dataSource: DataSource,
    private readonly lifecycle: UserLifecycleService,
  ) {}

  async list(organisationId: string, query: ListUsersQuery): Promise<{ items: UserView[]; total: number }> {
    const builder = this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .where('user.organisationId = :organisationId', { organisationId });
    if (query.q) {
      const pattern = containsPattern(normaliseKey(query.q));
      builder.andWhere(
        new Brackets((any) =>
          any
            .where(`user.userNameNormalized LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`, { pattern })
            .orWhere(`user.emailNormalized LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`)
            .orWhere(`LOWER(user.displayName) LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`),
        ),
      );
    }
    const page = builder
      .orderBy('user.createdAt', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .take(query.limit ?? DEFAULT_PAGE_SIZE)
      .skip(query.offset ?? 0);
    // Without a search the total is the organisation's user count, kept by the writers (organisation-row-counts.ts),
    // rather than a COUNT over every user of the organisation on every page.
    const [users, total] = query.q
      ? await page.getManyAndCount()
      : await Promise.all([page.getMany(), organisationRowCount(this.dataSource.manager, 'users', organisationId)]);
    return { items: users.map(toUserView), total };
  }

  async get(organisationId: string, id: string): Promise<UserView> {
    return toUserView(await findUserInOrganisation(this.dataSource.manager, organisationId, id));
  }

  async create(organisationId: string, input: CreateUserInput): Promise<UserView> {
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const userName = input.userName ?? input.email;
    return this.withUniqueUserName(userName, () =>
      this.transactions.run(async (em) => {
        const user = em.create(User, {
          id: randomUUID(),
          organisationId,
          userName,
          userNameNormalized: normaliseKey(userName),
          email: input.email,
          emailNormalized: normaliseKey(input.email),
          displayName: input.displayName,
          givenName: input.givenName ?? null,
          familyName: input.familyName ?? null,
          jobTitle: input.jobTitle ?? null,
          department: input.department ?? null,
          phone: input.phone ?? null,
          externalId: null,
          active: true,
          role: input.role ?? 'user',
          managedBy: null,
          passwordHash,
          ...permissionColumns(input.permissions),
        });
        const saved = await em.save(user);
        await rowsAdded(em, 'users', organisationId);
        await setPrimaryEmail(em, saved, input.email);
        return toUserView(saved);
      }),
    );
  }

  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<UserView> {
    if (actor.userId === id && (input.active === false || (input.role !== undefined && input.role !== 'admin'))) {
      throw new DomainError('FORBIDDEN', 'you cannot deactivate or demote yourself; ask another admin');
    }
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    return this.withUniqueUserName(input.userName, () =>
      this.transactions.run(async (em) => {
        const user = await findUserInOrganisation(em, actor.organisationId, id);
        const wasActive = user.active;
        const { permissions, password: _password, ...fields } = input;
        assertAppMayChangeUser(
          user,
          Object.entries(fields)
            .filter(([field, value]) => user[field as keyof typeof fields] !== value)
            .map(([field]) => field),
        );
        Object.assign(user, fields, permissionColumns(permissions));
        if (input.userName !== undefined) user.userNameNormalized = normaliseKey(input.userName);
        if (input.email !== undefined) await setPrimaryEmail(em, user, input.email);
        if (passwordHash !== undefined) user.passwordHash = passwordHash;
        const saved = await em.save(user);
        if (wasActive && !saved.active) await this.lifecycle.deactivated(em, saved);
        return toUserView(saved);
      }),
    );
  }

  async delete(actor: Actor, id: string): Promise<void> {
    if (actor.userId === id) throw new DomainError('FORBIDDEN', 'you cannot delete yourself; ask another admin');
    await this.transactions.run(async (em) => {
      await this.lifecycle.delete(em, await findUserInOrganisation(em, actor.organisationId, id));
    });
  }

  private async withUniqueUserName<T>(userName: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('USER_NAME_TAKEN', `another user of this organisation already has userName ${JSON.stringify(userName)}`, {
          fields: ['userName'],
        });
      }
      throw error;
    }
  }
}

/**
 * Looks a user up inside one organisation only: another organisation's ids are simply not found.
 * Pass `writeLock(em)` to hold the row until the transaction ends.
 */
export async function findUserInOrganisation(
  em: EntityManager,
  organisationId: string,
  id: string,
  lock: ReturnType<typeof writeLock> = {},
): Promise<User> {
  const user = await em.findOne(User, { where: { id, organisationId }, ...lock });
  if (!user) throw new NotFoundError('USER_NOT_FOUND', 'user', id);
  return user;
}

function permissionColumns(permissions: PermissionsInput | undefined): Partial<User> {
  if (!permissions) return {};
  return Object.fromEntries(Object.entries(permissions).filter(([, value]) => value !== undefined));
}
