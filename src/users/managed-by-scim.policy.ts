import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error';
import type { User } from './user.entity';

/**
 * THE rule for users an identity provider manages (`managedBy = 'scim'`): their identity belongs
 * to the identity provider, so nothing in the app may change it or delete them; their permission
 * fields (role, booking permissions) stay the app admins' to edit. Every writer of users goes
 * through this file: the admin API and the CLI call the assertions for a clear error naming the
 * fields, and UserWriteGuardSubscriber applies the same rule to every User write that reaches
 * TypeORM, so a new module cannot forget it (docs/extending.md).
 */

/** Columns that describe the person; the identity provider owns them on managed users. */
export const IDENTITY_FIELDS = [
  'userName',
  'userNameNormalized',
  'email',
  'emailNormalized',
  'displayName',
  'givenName',
  'familyName',
  'nameFormatted',
  'middleName',
  'honorificPrefix',
  'honorificSuffix',
  'nickName',
  'profileUrl',
  'jobTitle',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'active',
  'externalId',
  'phone',
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
  'managerId',
] as const satisfies readonly (keyof User)[];

/** Columns the app's admins keep editing on every user. */
export const PERMISSION_FIELDS = [
  'role',
  'canBookDesks',
  'canBookRooms',
  'canBookParking',
  'canBookOnBehalf',
] as const satisfies readonly (keyof User)[];

const IDENTITY = new Set<string>(IDENTITY_FIELDS);

export class UserManagedByScimError extends DomainError {
  constructor(userId: string, fields: readonly string[]) {
    super(
      'USER_MANAGED_BY_SCIM',
      fields.length > 0
        ? `user ${userId} is managed by the organisation's identity provider; change ${fields.join(', ')} there (only role and booking permissions can be edited here)`
        : `user ${userId} is managed by the organisation's identity provider; delete or deactivate them there`,
      { fields: [...fields] },
    );
  }
}

export const isScimManaged = (user: Pick<User, 'managedBy'>): boolean => user.managedBy === 'scim';

/** The identity fields among `fields` (entity property names). */
export const identityFieldsAmong = (fields: Iterable<string>): string[] => [...fields].filter((field) => IDENTITY.has(field));

/** Refuses an app-side change of identity fields on a managed user. */
export function assertAppMayChangeUser(user: Pick<User, 'id' | 'managedBy'>, changedFields: Iterable<string>): void {
  const blocked = identityFieldsAmong(changedFields);
  if (isScimManaged(user) && blocked.length > 0) throw new UserManagedByScimError(user.id, blocked);
}

export function assertAppMayDeleteUser(user: Pick<User, 'id' | 'managedBy'>): void {
  if (isScimManaged(user)) throw new UserManagedByScimError(user.id, []);
}

/**
 * Teams an identity provider manages (SCIM Groups) keep their name and members in step with it;
 * the app may not rename them, change their members or delete them.
 */
export function assertAppMayChangeTeam(team: { id: string; managedBy: 'scim' | null }): void {
  if (team.managedBy === 'scim') {
    throw new DomainError(
      'TEAM_MANAGED_BY_SCIM',
      `team ${team.id} is managed by the organisation's identity provider; change its members there`,
    );
  }
}

// --- who is writing -------------------------------------------------------------------------

/**
 * Who a transaction writes users for. SCIM marks its transactions so the guard lets the identity
 * provider change what it owns; app code that has checked the policy itself marks `policy-checked`
 * for writes the guard cannot inspect (bulk deletes). Unmarked writes are treated as the app's.
 */
export type UserWriter = 'scim' | 'policy-checked';

interface WriterData {
  userWriter?: UserWriter;
}

/**
 * Runs `work` with the transaction's user writes attributed to `writer`, then restores what was
 * there (SQLite shares one connection, so the mark must not outlive the work).
 */
export async function asUserWriter<T>(em: EntityManager, writer: UserWriter, work: () => Promise<T>): Promise<T> {
  if (!em.queryRunner) throw new Error('asUserWriter needs a transaction (TransactionService.run)');
  const data = em.queryRunner.data as WriterData;
  const previous = data.userWriter;
  data.userWriter = writer;
  try {
    return await work();
  } finally {
    data.userWriter = previous;
  }
}

export function userWriterOf(data: unknown): UserWriter | undefined {
  return (data as WriterData | undefined)?.userWriter;
}
