import { ScimError } from '../protocol/errors/scim-error';
import { parseFilter } from '../protocol/filter';
import { compileFilter } from './compile-filter';
import { compileSort } from './compile-sort';
import { GROUP_FILTER_MAP } from './group-filter-columns';
import { MYSQL_DIALECT, SQLITE_DIALECT } from './sql-dialect';

const compile = (filter: string, dialect = SQLITE_DIALECT) => compileFilter(parseFilter(filter), GROUP_FILTER_MAP, dialect, 'team');

describe('GROUP_FILTER_MAP', () => {
  it.each([
    // Entra's group match (guide §1.6): case-insensitive, on the column the unique index is on.
    ['displayName eq "Floor 3 Desk Users"', '"team"."nameNormalized" = :f0', { f0: 'floor 3 desk users' }],
    ['externalId eq "F8bfe099"', '"team"."externalId" = :f0', { f0: 'F8bfe099' }],
    ['id eq "g1"', '"team"."id" = :f0', { f0: 'g1' }],
    [
      'members[value eq "u1"]',
      'EXISTS (SELECT 1 FROM "team_members" "member0" WHERE "member0"."teamId" = "team"."id" AND "member0"."userId" = :f0)',
      { f0: 'u1' },
    ],
    [
      'members.value eq "u1"',
      'EXISTS (SELECT 1 FROM "team_members" "member0" WHERE "member0"."teamId" = "team"."id" AND "member0"."userId" = :f0)',
      { f0: 'u1' },
    ],
    ['members pr', 'EXISTS (SELECT 1 FROM "team_members" "member0" WHERE "member0"."teamId" = "team"."id")', {}],
    ['meta.lastModified gt "2025-03-01T00:00:00Z"', '"team"."updatedAt" > :f0', { f0: new Date('2025-03-01T00:00:00Z') }],
  ])('compiles %s', (filter, where, parameters) => {
    expect(compile(filter)).toEqual({ where, parameters });
  });

  it('compares on MariaDB/MySQL byte for byte, as on SQLite', () => {
    expect(compile('displayName eq "Floor 3"', MYSQL_DIALECT)).toEqual({
      where: '`team`.`nameNormalized` = BINARY :f0',
      parameters: { f0: 'floor 3' },
    });
  });

  it.each(['members.display eq "Ann"', 'members[type eq "User"]', 'meta.version eq "W/\\"1\\""', 'userName eq "x"'])(
    'refuses %s with 400 invalidFilter',
    (filter) => {
      expect(() => compile(filter)).toThrow(expect.objectContaining<Partial<ScimError>>({ status: 400, scimType: 'invalidFilter' }));
    },
  );

  it('sorts by creation then id by default, and displayName without regard to case', () => {
    expect(compileSort({}, GROUP_FILTER_MAP, SQLITE_DIALECT, 'team')).toEqual([
      { expression: '"team"."createdAt"', order: 'ASC' },
      { expression: '"team"."id"', order: 'ASC' },
    ]);
    expect(compileSort({ sortBy: 'DISPLAYNAME', sortOrder: 'descending' }, GROUP_FILTER_MAP, SQLITE_DIALECT, 'team')).toEqual([
      { expression: '"team"."nameNormalized"', order: 'DESC' },
      { expression: '"team"."id"', order: 'DESC' },
    ]);
  });
});
