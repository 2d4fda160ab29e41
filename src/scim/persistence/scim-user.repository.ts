import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager, ObjectLiteral } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { uniqueViolationAs } from '../../database/db-errors';
import { readRows } from '../../database/read-rows';
import { deleteRows, insertRows, updateRows } from '../../database/write-rows';
import { selectEntities } from '../../database/select-entities';
import { writeLockClause } from '../../database/transaction.service';
import { type WriteErrorMapper } from '../../database/write-batch';
import { rowsAdded } from '../../organisations/organisation-row-counts';
import { UserAddress, UserEmail, UserPhoneNumber } from '../../users/user-contact.entity';
import { User } from '../../users/user.entity';
import type { FilterNode } from '../protocol/filter';
import type { CursorPosition } from '../protocol/messages';
import type { ScimUserGroup, ScimUserRecord, ScimUserWrite } from '../users/scim-user.mapper';
import type { SortRequest } from './compile-sort';
import { keysetSort } from './keyset-pagination';
import { fetchCursorPage, fetchOffsetPage, listOrder, listSource } from './paged-query';
import { dialectFor, qualifiedColumn } from './sql-dialect';
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
const takenUserName = (userName: string): WriteErrorMapper =>
  uniqueViolationAs(
    () =>
      new DomainError(
        'USER_NAME_TAKEN',
        `userName ${JSON.stringify(userName)} is already used by another user of this organisation; userNames are unique regardless of case.`,
        { fields: ['userName'] },
      ),
  );

const byId = (em: EntityManager) => {
  const column = (name: string) => qualifiedColumn(dialectFor(em.connection.options.type), 'user', name);
  return `WHERE ${column('id')} = :id AND ${column('organisationId')} = :organisationId`;
};

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
    const [user] = await selectEntities(em, User, 'user', byId(em), { id, organisationId });
    return user ? this.withContactsOf(em, organisationId, user) : null;
  }

  /** The user row locked for this transaction (a row lock on MariaDB; SQLite runs one write transaction at a time). */
  async lockById(em: EntityManager, organisationId: string, id: string): Promise<User | null> {
    const [user] = await selectEntities(em, User, 'user', byId(em) + writeLockClause(em), { id, organisationId });
    return user ?? null;
  }

  /** One page of users matching the filter, and how many match in all (paged-query.ts). */
  async findPage(
    em: EntityManager,
    organisationId: string,
    request: UserPageRequest,
  ): Promise<{ total: number; records: ScimUserRecord[] }> {
    const order = listOrder(request.sort, USER_FILTER_MAP, dialectFor(em.connection.options.type), 'user');
    const page = await fetchOffsetPage(
      em,
      listSource(em, User, 'user', USER_FILTER_MAP, organisationId, request.filter),
      order,
      request.offset,
      request.limit,
    );
    return { total: page.total, records: await this.withContacts(em, organisationId, page.rows) };
  }

  /** One page by keyset from a cursor position (keyset-pagination.ts), and how many match in all. */
  async findCursorPage(
    em: EntityManager,
    organisationId: string,
    request: UserCursorPageRequest,
  ): Promise<CursorPageResult<ScimUserRecord>> {
    const sort = keysetSort(request.sort, USER_FILTER_MAP, dialectFor(em.connection.options.type), 'user');
    const page = await fetchCursorPage(
      em,
      listSource(em, User, 'user', USER_FILTER_MAP, organisationId, request.filter),
      sort,
      request.position,
      request.limit,
    );
    return { total: page.total, records: await this.withContacts(em, organisationId, page.rows), next: page.next, previous: page.previous };
  }

  /**
   * Creates a user with its contact elements and returns it as stored, without reading it back: an
   * INSERT per non-empty table (write-rows.ts). The version starts at 1 and both timestamps at now,
   * as TypeORM's own insert and Timestamped would set them.
   */
  async insert(em: EntityManager, organisationId: string, write: ScimUserWrite, active: boolean): Promise<ScimUserRecord> {
    const now = new Date();
    const user = em.create(User, {
      id: randomUUID(),
      organisationId,
      ...write.columns,
      active,
      role: 'user',
      managedBy: 'scim',
      passwordHash: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await insertRows(em, User, [user], { mapError: takenUserName(user.userName) });
    await rowsAdded(em, 'users', organisationId);
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
      // The caller holds the row lock (lockById), so the row is as read and this UPDATE changes exactly it; nothing
      // reads its result, so it goes with the transaction's next statement.
      await updateRows(
        em,
        User,
        { id: stored.id, organisationId: stored.organisationId },
        { ...changes, ...stamp },
        takenUserName(write.columns.userName),
      );
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
      if (before) await deleteRows<ObjectLiteral>(em, entity, { userId: user.id });
      const rows = elements.map((element, position) => Object.assign(new entity(), owner(position), element));
      await insertRows<ObjectLiteral>(em, entity, rows);
      written[list] = rows;
    }
    return written as Contacts;
  }

  /**
   * The users' contact elements and teams in one statement for a whole page: the four lists as one
   * UNION ALL, read raw. It was four TypeORM finds; each statement is a round trip and, on a page of
   * 100, hydrating entities cost more CPU than the SQL (bench/results). The rows are turned back into
   * the entity classes here, with the JavaScript types TypeORM would give them (booleans, numbers).
   */
  private async withContacts(em: EntityManager, organisationId: string, users: User[]): Promise<ScimUserRecord[]> {
    if (users.length === 0) return [];
    const userIds = users.map((user) => user.id);
    const rows = await readRows<ContactRow>(em, contactsSql(userIds.length), [
      ...userIds,
      ...userIds,
      ...userIds,
      ...userIds,
      organisationId,
    ]);
    rows.sort(contactOrder);
    const records = new Map<string, ScimUserRecord>(
      users.map((user) => [user.id, { user, emails: [], phoneNumbers: [], addresses: [], groups: [] }]),
    );
    for (const row of rows) {
      const record = records.get(row.userId);
      if (record) addContactRow(record, row);
    }
    return [...records.values()];
  }
}

/** One row of contactsSql: the columns of every kind, null where a kind has none. */
interface ContactRow {
  kind: 'email' | 'phone' | 'address' | 'team';
  userId: string;
  organisationId: string;
  position: number | string;
  id: string;
  type: string | null;
  isPrimary: number | boolean | string;
  value: string | null;
  valueNormalized: string | null;
  display: string | null;
  formatted: string | null;
  streetAddress: string | null;
  locality: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  /** A team's normalized name; null for the other kinds. */
  sortName: string | null;
}

/**
 * Emails, phone numbers, addresses and teams of `count` users, unordered (contactOrder orders them).
 * Backquoted identifiers read the same on SQLite and MariaDB. Parameters: the user ids four times,
 * then the organisation.
 */
function contactsSql(count: number): string {
  const ids = Array.from({ length: count }, () => '?').join(', ');
  const element = '`organisationId`, `userId`, `position`, `id`, `type`, `isPrimary`';
  const noAddress = 'NULL, NULL, NULL, NULL, NULL, NULL';
  return [
    `SELECT 'email' AS \`kind\`, ${element}, \`value\`, \`valueNormalized\`, \`display\`, NULL AS \`formatted\`, ` +
      'NULL AS `streetAddress`, NULL AS `locality`, NULL AS `region`, NULL AS `postalCode`, NULL AS `country`, NULL AS `sortName` ' +
      `FROM \`user_emails\` WHERE \`userId\` IN (${ids})`,
    `SELECT 'phone', ${element}, \`value\`, NULL, \`display\`, ${noAddress}, NULL FROM \`user_phone_numbers\` WHERE \`userId\` IN (${ids})`,
    `SELECT 'address', ${element}, NULL, NULL, NULL, \`formatted\`, \`streetAddress\`, \`locality\`, \`region\`, \`postalCode\`, ` +
      `\`country\`, NULL FROM \`user_addresses\` WHERE \`userId\` IN (${ids})`,
    "SELECT 'team', `t`.`organisationId`, `m`.`userId`, 0, `t`.`id`, NULL, 0, `t`.`name`, NULL, NULL, " +
      `${noAddress}, \`t\`.\`nameNormalized\` FROM \`team_members\` \`m\` INNER JOIN \`teams\` \`t\` ON \`t\`.\`id\` = \`m\`.\`teamId\` ` +
      `WHERE \`m\`.\`userId\` IN (${ids}) AND \`t\`.\`organisationId\` = ?`,
  ].join(' UNION ALL ');
}

/**
 * The order of a user's lists: elements as stored (position); teams by name then id, as the Groups
 * list orders them. Rows of different users may interleave: each goes to its own user's record.
 *
 * Why here and not in SQL: MariaDB sorted the UNION in a temporary table (a filesort). Measured on
 * the bench machine (10,000 users, prepared statements, four runs), the contacts of a page of 100
 * cost MariaDB 2.2–3.2 ms of CPU unsorted against 3.1–3.4 ms sorted, and those of one user 0.26–0.32
 * against 0.33–0.36 ms; sorting a page's few hundred rows here costs far less.
 */
function contactOrder(a: ContactRow, b: ContactRow): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return Number(a.position) - Number(b.position) || compareCodePoints(a.sortName ?? '', b.sortName ?? '') || compareCodePoints(a.id, b.id);
}

/**
 * Compares as both databases compare text here (utf8mb4_bin on MariaDB, BINARY on SQLite): by code
 * point. JavaScript's `<` compares UTF-16 units, which orders letters above U+FFFF before U+E000–U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const [left, right] = [a.codePointAt(index) as number, b.codePointAt(index) as number];
    if (left !== right) return left - right;
    if (left > 0xffff) index++;
  }
  return a.length - b.length;
}

/** Adds a row of contactsSql to its user's record, as the entity TypeORM would have loaded. */
function addContactRow(record: ScimUserRecord, row: ContactRow): void {
  if (row.kind === 'team') {
    (record.groups as ScimUserGroup[]).push({ id: row.id, name: row.value as string });
    return;
  }
  const element = {
    id: row.id,
    organisationId: row.organisationId,
    userId: row.userId,
    position: Number(row.position),
    type: row.type,
    // SQLite and MariaDB both hand booleans back as 0/1.
    isPrimary: Number(row.isPrimary) === 1,
  };
  if (row.kind === 'email') {
    record.emails.push(
      Object.assign(new UserEmail(), element, { value: row.value, valueNormalized: row.valueNormalized, display: row.display }),
    );
  } else if (row.kind === 'phone') {
    record.phoneNumbers.push(Object.assign(new UserPhoneNumber(), element, { value: row.value, display: row.display }));
  } else {
    const { formatted, streetAddress, locality, region, postalCode, country } = row;
    record.addresses.push(Object.assign(new UserAddress(), element, { formatted, streetAddress, locality, region, postalCode, country }));
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
