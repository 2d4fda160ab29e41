import { ScimError } from '../protocol/errors/scim-error';
import { OrderByTerm, SortRequest, compileSort } from './compile-sort';
import { SqlDialect } from './sql-dialect';
import { USER_FILTER_MAP } from './user-filter-columns';

const DIALECTS: Record<'sqlite' | 'mysql', SqlDialect> = {
  sqlite: { kind: 'sqlite', escape: (identifier) => identifier },
  mysql: { kind: 'mysql', escape: (identifier) => identifier },
};

const sort = (request: SortRequest, dialect: 'sqlite' | 'mysql' = 'sqlite') =>
  compileSort(request, USER_FILTER_MAP, DIALECTS[dialect], 'u');

const asc = (expression: string): OrderByTerm => ({ expression, order: 'ASC' });
const desc = (expression: string): OrderByTerm => ({ expression, order: 'DESC' });

const DISPLAY_NAME_PRESENT = "(u.displayName IS NOT NULL AND u.displayName <> '')";

describe('compileSort', () => {
  it.each<[string, SortRequest, 'sqlite' | 'mysql', OrderByTerm[]]>([
    ['no sortBy: creation time, then id (T18)', {}, 'sqlite', [asc('u.createdAt'), asc('u.id')]],
    ['sortOrder without sortBy is ignored', { sortOrder: 'descending' }, 'sqlite', [asc('u.createdAt'), asc('u.id')]],
    ['a blank sortBy counts as none', { sortBy: '  ' }, 'sqlite', [asc('u.createdAt'), asc('u.id')]],
    [
      'a nullable case-insensitive string: present first, folded, then id',
      { sortBy: 'displayName' },
      'sqlite',
      [
        asc(`CASE WHEN ${DISPLAY_NAME_PRESENT} THEN 0 ELSE 1 END`),
        asc(`CASE WHEN ${DISPLAY_NAME_PRESENT} THEN LOWER(u.displayName) END`),
        asc('u.id'),
      ],
    ],
    [
      'descending is the exact reverse',
      { sortBy: 'DisplayName', sortOrder: 'Descending' },
      'sqlite',
      [
        desc(`CASE WHEN ${DISPLAY_NAME_PRESENT} THEN 0 ELSE 1 END`),
        desc(`CASE WHEN ${DISPLAY_NAME_PRESENT} THEN LOWER(u.displayName) END`),
        desc('u.id'),
      ],
    ],
    [
      'userName on its normalised column',
      { sortBy: 'userName', sortOrder: 'ascending' },
      'sqlite',
      [asc('u.userNameNormalized'), asc('u.id')],
    ],
    ['id needs no tiebreak', { sortBy: 'id' }, 'sqlite', [asc('u.id')]],
    ['a dateTime', { sortBy: 'meta.lastModified', sortOrder: 'DESCENDING' }, 'sqlite', [desc('u.updatedAt'), desc('u.id')]],
    ['a boolean', { sortBy: 'active' }, 'sqlite', [asc('u.active'), asc('u.id')]],
    [
      'a case-exact string is not folded',
      { sortBy: 'externalId' },
      'sqlite',
      [
        asc("CASE WHEN (u.externalId IS NOT NULL AND u.externalId <> '') THEN 0 ELSE 1 END"),
        asc("CASE WHEN (u.externalId IS NOT NULL AND u.externalId <> '') THEN u.externalId END"),
        asc('u.id'),
      ],
    ],
    [
      'manager means manager.value, URN-qualified or not',
      { sortBy: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager' },
      'sqlite',
      [
        asc("CASE WHEN (u.managerId IS NOT NULL AND u.managerId <> '') THEN 0 ELSE 1 END"),
        asc("CASE WHEN (u.managerId IS NOT NULL AND u.managerId <> '') THEN u.managerId END"),
        asc('u.id'),
      ],
    ],
    [
      'a sub-attribute of name',
      { sortBy: 'name.familyName' },
      'sqlite',
      [
        asc("CASE WHEN (u.familyName IS NOT NULL AND u.familyName <> '') THEN 0 ELSE 1 END"),
        asc("CASE WHEN (u.familyName IS NOT NULL AND u.familyName <> '') THEN LOWER(u.familyName) END"),
        asc('u.id'),
      ],
    ],
    [
      'MariaDB/MySQL: binary order, without PAD SPACE ties',
      { sortBy: 'title' },
      'mysql',
      [
        asc("CASE WHEN (u.jobTitle IS NOT NULL AND u.jobTitle <> BINARY '') THEN 0 ELSE 1 END"),
        asc("CASE WHEN (u.jobTitle IS NOT NULL AND u.jobTitle <> BINARY '') THEN BINARY LOWER(u.jobTitle) END"),
        asc('u.id'),
      ],
    ],
    ['MariaDB/MySQL: userName', { sortBy: 'userName' }, 'mysql', [asc('BINARY u.userNameNormalized'), asc('u.id')]],
  ])('%s', (_description, request, dialect, expected) => {
    expect(sort(request, dialect)).toEqual(expected);
  });

  it.each<[SortRequest, RegExp]>([
    [{ sortBy: 'foo' }, /Unknown attribute "foo" in sortBy/],
    [{ sortBy: 'password' }, /Sorting by "password" is not supported/],
    [{ sortBy: 'groups' }, /Sorting by "groups" is not supported/],
    [{ sortBy: 'emails.value' }, /Sorting by "emails.value" is not supported: it is multi-valued/],
    [{ sortBy: 'emails' }, /multi-valued/],
    [{ sortBy: 'name' }, /name one of its sub-attributes/],
    [{ sortBy: 'emails[type eq "work"].value' }, /Unknown attribute/],
    [{ sortBy: 'displayName', sortOrder: 'up' }, /sortOrder must be "ascending" or "descending", not "up"/],
  ])('refuses %j with 400 invalidValue', (request, detail) => {
    let error: unknown;
    try {
      sort(request);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error instanceof ScimError ? error.detail : '').toMatch(detail);
  });
});
