import { ScimError } from '../protocol/errors/scim-error';
import type { FilterNode } from '../protocol/filter';
import { parseFilter } from '../protocol/filter';
import { compileFilter } from './compile-filter';
import { MYSQL_DIALECT, SQLITE_DIALECT, SqlDialect } from './sql-dialect';
import { USER_FILTER_MAP } from './user-filter-columns';

// Identifiers unquoted, so the expected clauses stay readable; the golden files show the real quoting.
const DIALECTS: Record<'sqlite' | 'mysql', SqlDialect> = {
  sqlite: { kind: 'sqlite', escape: (identifier) => identifier },
  mysql: { kind: 'mysql', escape: (identifier) => identifier },
};

const compile = (filter: string | FilterNode, dialect: 'sqlite' | 'mysql' = 'sqlite') =>
  compileFilter(typeof filter === 'string' ? parseFilter(filter) : filter, USER_FILTER_MAP, DIALECTS[dialect], 'u');

interface Case {
  readonly filter: string;
  readonly dialect?: 'mysql';
  readonly where: string;
  readonly parameters: Record<string, string | boolean | Date>;
}

describe('compileFilter', () => {
  const cases: Case[] = [
    // userName: case-insensitive through its normalised column, names in any case, with or without the URN
    {
      filter: 'userName eq "Ann.Lee@Contoso-Test.example"',
      where: 'u.userNameNormalized = :f0',
      parameters: { f0: 'ann.lee@contoso-test.example' },
    },
    { filter: 'USERNAME Eq "ann"', where: 'u.userNameNormalized = :f0', parameters: { f0: 'ann' } },
    {
      filter: 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ann"',
      where: 'u.userNameNormalized = :f0',
      parameters: { f0: 'ann' },
    },
    { filter: 'userName ne "ann"', where: 'u.userNameNormalized <> :f0', parameters: { f0: 'ann' } },
    { filter: 'userName co "ann"', where: "u.userNameNormalized LIKE :f0 ESCAPE '!'", parameters: { f0: '%ann%' } },
    { filter: 'userName sw "ann"', where: "u.userNameNormalized LIKE :f0 ESCAPE '!'", parameters: { f0: 'ann%' } },
    { filter: 'userName ew "@example.com"', where: "u.userNameNormalized LIKE :f0 ESCAPE '!'", parameters: { f0: '%@example.com' } },
    { filter: 'userName gt "m"', where: 'u.userNameNormalized > :f0', parameters: { f0: 'm' } },
    { filter: 'userName pr', where: "u.userName <> ''", parameters: {} },
    { filter: 'userName eq "x\' OR 1=1 --"', where: 'u.userNameNormalized = :f0', parameters: { f0: "x' or 1=1 --" } },
    { filter: 'userName co "50%_off!"', where: "u.userNameNormalized LIKE :f0 ESCAPE '!'", parameters: { f0: '%50!%!_off!!%' } },
    { filter: 'userName eq null', where: "NOT (u.userName <> '')", parameters: {} },
    { filter: 'userName ne null', where: "u.userName <> ''", parameters: {} },
    // ids and externalId are case-exact; SQLite's LIKE ignores case, so GLOB (with its wildcards escaped)
    {
      filter: 'id eq "bd2c61d9-3e02-4756-b772-55d3a5467af6"',
      where: 'u.id = :f0',
      parameters: { f0: 'bd2c61d9-3e02-4756-b772-55d3a5467af6' },
    },
    { filter: 'externalId eq "AC115525"', where: 'u.externalId = :f0', parameters: { f0: 'AC115525' } },
    { filter: 'externalId ne "AC115525"', where: '(u.externalId <> :f0 OR u.externalId IS NULL)', parameters: { f0: 'AC115525' } },
    { filter: 'externalId co "a*b?c[d]"', where: 'u.externalId GLOB :f0', parameters: { f0: '*a[*]b[?]c[[]d]*' } },
    { filter: 'externalId sw "AC"', where: 'u.externalId GLOB :f0', parameters: { f0: 'AC*' } },
    { filter: 'externalId ew "CF"', where: 'u.externalId GLOB :f0', parameters: { f0: '*CF' } },
    // case-insensitive strings without a normalised column; ne and pr mind NULL and "" (T16)
    { filter: 'displayName eq "Ann Lee"', where: 'LOWER(u.displayName) = :f0', parameters: { f0: 'ann lee' } },
    { filter: 'displayName ne "Ann Lee"', where: '(LOWER(u.displayName) <> :f0 OR u.displayName IS NULL)', parameters: { f0: 'ann lee' } },
    { filter: 'displayName co "ann"', where: "LOWER(u.displayName) LIKE :f0 ESCAPE '!'", parameters: { f0: '%ann%' } },
    { filter: 'displayName eq "CONTOSO\\\\ann"', where: 'LOWER(u.displayName) = :f0', parameters: { f0: 'contoso\\ann' } },
    { filter: 'displayName pr', where: "(u.displayName IS NOT NULL AND u.displayName <> '')", parameters: {} },
    { filter: 'displayName eq null', where: "NOT (u.displayName IS NOT NULL AND u.displayName <> '')", parameters: {} },
    { filter: 'displayName ge "a"', where: 'LOWER(u.displayName) >= :f0', parameters: { f0: 'a' } },
    { filter: 'displayName le "z"', where: 'LOWER(u.displayName) <= :f0', parameters: { f0: 'z' } },
    { filter: 'title eq "Desk Lead"', where: 'LOWER(u.jobTitle) = :f0', parameters: { f0: 'desk lead' } },
    // single-valued complex attributes
    { filter: 'name.givenName eq "Ann"', where: 'LOWER(u.givenName) = :f0', parameters: { f0: 'ann' } },
    { filter: 'name.formatted sw "Ann"', where: "LOWER(u.nameFormatted) LIKE :f0 ESCAPE '!'", parameters: { f0: 'ann%' } },
    {
      filter: 'name pr',
      where:
        "((u.nameFormatted IS NOT NULL AND u.nameFormatted <> '') OR (u.familyName IS NOT NULL AND u.familyName <> '') OR (u.givenName IS NOT NULL AND u.givenName <> '') OR (u.middleName IS NOT NULL AND u.middleName <> '') OR (u.honorificPrefix IS NOT NULL AND u.honorificPrefix <> '') OR (u.honorificSuffix IS NOT NULL AND u.honorificSuffix <> ''))",
      parameters: {},
    },
    {
      filter: 'name[givenName eq "Ann" and familyName ne "Lee"]',
      where:
        '((u.nameFormatted IS NOT NULL OR u.familyName IS NOT NULL OR u.givenName IS NOT NULL OR u.middleName IS NOT NULL OR u.honorificPrefix IS NOT NULL OR u.honorificSuffix IS NOT NULL) AND (LOWER(u.givenName) = :f0 AND (LOWER(u.familyName) <> :f1 OR u.familyName IS NULL)))',
      parameters: { f0: 'ann', f1: 'lee' },
    },
    // booleans, with Entra's strings (Q2)
    { filter: 'active eq true', where: 'u.active = :f0', parameters: { f0: true } },
    { filter: 'active eq false', where: 'u.active = :f0', parameters: { f0: false } },
    { filter: 'active eq "True"', where: 'u.active = :f0', parameters: { f0: true } },
    { filter: 'active eq "FALSE"', where: 'u.active = :f0', parameters: { f0: false } },
    { filter: 'active ne true', where: 'u.active <> :f0', parameters: { f0: true } },
    { filter: 'active pr', where: 'u.active IS NOT NULL', parameters: {} },
    // dateTime values become Date parameters, compared as instants (T17)
    {
      filter: 'meta.created gt "2025-03-01T00:00:00Z"',
      where: 'u.createdAt > :f0',
      parameters: { f0: new Date('2025-03-01T00:00:00.000Z') },
    },
    {
      filter: 'meta.lastModified le "2025-03-04T10:15:27.5+01:00"',
      where: 'u.updatedAt <= :f0',
      parameters: { f0: new Date('2025-03-04T09:15:27.500Z') },
    },
    {
      filter: 'meta.created eq "2025-03-04T09:15:27.123Z"',
      where: 'u.createdAt = :f0',
      parameters: { f0: new Date('2025-03-04T09:15:27.123Z') },
    },
    {
      filter: 'meta.created ne "2025-03-04T09:15:27.123Z"',
      where: 'u.createdAt <> :f0',
      parameters: { f0: new Date('2025-03-04T09:15:27.123Z') },
    },
    // the enterprise extension, qualified or not; manager means manager.value
    {
      filter: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Facilities"',
      where: 'LOWER(u.department) = :f0',
      parameters: { f0: 'facilities' },
    },
    { filter: 'department eq "Facilities"', where: 'LOWER(u.department) = :f0', parameters: { f0: 'facilities' } },
    { filter: 'employeeNumber sw "E-1"', where: "LOWER(u.employeeNumber) LIKE :f0 ESCAPE '!'", parameters: { f0: 'e-1%' } },
    {
      filter: 'costCenter eq "CC-1" or organization eq "Contoso" or division eq "Ops"',
      where: '(LOWER(u.costCenter) = :f0 OR LOWER(u.organization) = :f1 OR LOWER(u.division) = :f2)',
      parameters: { f0: 'cc-1', f1: 'contoso', f2: 'ops' },
    },
    {
      filter: 'manager eq "748027a6-10da-437b-998e-790e6d2dda95"',
      where: 'u.managerId = :f0',
      parameters: { f0: '748027a6-10da-437b-998e-790e6d2dda95' },
    },
    {
      filter: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "748027a6"',
      where: 'u.managerId = :f0',
      parameters: { f0: '748027a6' },
    },
    { filter: 'manager pr', where: "(u.managerId IS NOT NULL AND u.managerId <> '')", parameters: {} },
    // multi-valued attributes: EXISTS per element, all bracket conditions on the same row (Q18)
    {
      filter: 'emails.value eq "ann@x.example"',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND email0.valueNormalized = :f0)',
      parameters: { f0: 'ann@x.example' },
    },
    {
      filter: 'emails eq "ann@x.example"',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND email0.valueNormalized = :f0)',
      parameters: { f0: 'ann@x.example' },
    },
    {
      filter: 'emails co "@contoso"',
      where:
        "EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND email0.valueNormalized LIKE :f0 ESCAPE '!')",
      parameters: { f0: '%@contoso%' },
    },
    {
      filter: 'emails pr',
      where: 'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId)',
      parameters: {},
    },
    {
      filter: 'emails.type pr',
      where:
        "EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND (email0.type IS NOT NULL AND email0.type <> ''))",
      parameters: {},
    },
    {
      filter: 'emails.value ne "ann@x.example"',
      where:
        '(NOT EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId) OR EXISTS (SELECT 1 FROM user_emails email1 WHERE email1.userId = u.id AND email1.organisationId = u.organisationId AND email1.valueNormalized <> :f0))',
      parameters: { f0: 'ann@x.example' },
    },
    {
      filter: 'emails.type ne "work"',
      where:
        '(NOT EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND email0.type IS NOT NULL) OR EXISTS (SELECT 1 FROM user_emails email1 WHERE email1.userId = u.id AND email1.organisationId = u.organisationId AND LOWER(email1.type) <> :f0))',
      parameters: { f0: 'work' },
    },
    {
      filter: 'emails[type eq "work"]',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND LOWER(email0.type) = :f0)',
      parameters: { f0: 'work' },
    },
    {
      filter: 'emails[type eq "work"].value eq "ann@x.example"',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND (LOWER(email0.type) = :f0 AND email0.valueNormalized = :f1))',
      parameters: { f0: 'work', f1: 'ann@x.example' },
    },
    {
      filter: 'emails[type eq "work" and value co "@contoso"]',
      where:
        "EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND (LOWER(email0.type) = :f0 AND email0.valueNormalized LIKE :f1 ESCAPE '!'))",
      parameters: { f0: 'work', f1: '%@contoso%' },
    },
    {
      filter: 'emails[type eq "work" or primary eq true]',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND (LOWER(email0.type) = :f0 OR email0.isPrimary = :f1))',
      parameters: { f0: 'work', f1: true },
    },
    {
      filter: 'emails[not (type eq "work")]',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND (LOWER(email0.type) = :f0) IS NOT TRUE)',
      parameters: { f0: 'work' },
    },
    {
      filter: 'emails[display eq null]',
      where:
        "EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND NOT (email0.display IS NOT NULL AND email0.display <> ''))",
      parameters: {},
    },
    {
      filter: 'emails[primary eq "True"]',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND email0.isPrimary = :f0)',
      parameters: { f0: true },
    },
    {
      filter: 'not (emails[type eq "work"])',
      where:
        'NOT EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND LOWER(email0.type) = :f0)',
      parameters: { f0: 'work' },
    },
    {
      filter: 'emails.primary eq true',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND email0.isPrimary = :f0)',
      parameters: { f0: true },
    },
    {
      filter: 'phoneNumbers[type eq "mobile"].value eq "+1 555"',
      where:
        'EXISTS (SELECT 1 FROM user_phone_numbers phone0 WHERE phone0.userId = u.id AND phone0.organisationId = u.organisationId AND (LOWER(phone0.type) = :f0 AND LOWER(phone0.value) = :f1))',
      parameters: { f0: 'mobile', f1: '+1 555' },
    },
    {
      filter: 'phoneNumbers.value sw "+44"',
      where:
        "EXISTS (SELECT 1 FROM user_phone_numbers phone0 WHERE phone0.userId = u.id AND phone0.organisationId = u.organisationId AND LOWER(phone0.value) LIKE :f0 ESCAPE '!')",
      parameters: { f0: '+44%' },
    },
    {
      filter: 'addresses[type eq "work" and locality eq "Springfield"]',
      where:
        'EXISTS (SELECT 1 FROM user_addresses address0 WHERE address0.userId = u.id AND address0.organisationId = u.organisationId AND (LOWER(address0.type) = :f0 AND LOWER(address0.locality) = :f1))',
      parameters: { f0: 'work', f1: 'springfield' },
    },
    {
      filter: 'addresses.postalCode pr',
      where:
        "EXISTS (SELECT 1 FROM user_addresses address0 WHERE address0.userId = u.id AND address0.organisationId = u.organisationId AND (address0.postalCode IS NOT NULL AND address0.postalCode <> ''))",
      parameters: {},
    },
    {
      filter: 'addresses.country ne "GB"',
      where:
        '(NOT EXISTS (SELECT 1 FROM user_addresses address0 WHERE address0.userId = u.id AND address0.organisationId = u.organisationId AND address0.country IS NOT NULL) OR EXISTS (SELECT 1 FROM user_addresses address1 WHERE address1.userId = u.id AND address1.organisationId = u.organisationId AND LOWER(address1.country) <> :f0))',
      parameters: { f0: 'gb' },
    },
    // not: NOT where the operand is two-valued, IS NOT TRUE where it can be NULL (T2)
    { filter: 'not (displayName eq "x")', where: '(LOWER(u.displayName) = :f0) IS NOT TRUE', parameters: { f0: 'x' } },
    { filter: 'not (displayName ne "x")', where: 'NOT (LOWER(u.displayName) <> :f0 OR u.displayName IS NULL)', parameters: { f0: 'x' } },
    { filter: 'not (userName eq "x")', where: 'NOT (u.userNameNormalized = :f0)', parameters: { f0: 'x' } },
    {
      filter: 'not (title pr) or title sw "Desk"',
      where: "(NOT (u.jobTitle IS NOT NULL AND u.jobTitle <> '') OR LOWER(u.jobTitle) LIKE :f0 ESCAPE '!')",
      parameters: { f0: 'desk%' },
    },
    // precedence: and binds tighter than or; every group is parenthesised (T4)
    {
      filter: 'userName eq "a" or displayName eq "b" and active eq true',
      where: '(u.userNameNormalized = :f0 OR (LOWER(u.displayName) = :f1 AND u.active = :f2))',
      parameters: { f0: 'a', f1: 'b', f2: true },
    },
    {
      filter: '(userName eq "a" or displayName eq "b") and active eq true',
      where: '((u.userNameNormalized = :f0 OR LOWER(u.displayName) = :f1) AND u.active = :f2)',
      parameters: { f0: 'a', f1: 'b', f2: true },
    },
    {
      filter: 'not (userName eq "a" or displayName eq "b")',
      where: '(u.userNameNormalized = :f0 OR LOWER(u.displayName) = :f1) IS NOT TRUE',
      parameters: { f0: 'a', f1: 'b' },
    },
    {
      filter: 'userName eq "a" and (displayName eq "b" or not (title pr)) and emails[type eq "work"]',
      where:
        "(u.userNameNormalized = :f0 AND (LOWER(u.displayName) = :f1 OR NOT (u.jobTitle IS NOT NULL AND u.jobTitle <> '')) AND EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND LOWER(email0.type) = :f2))",
      parameters: { f0: 'a', f1: 'b', f2: 'work' },
    },
    // MariaDB/MySQL: binary comparisons (no PAD SPACE), LIKE is already case-sensitive on utf8mb4_bin
    { filter: 'userName eq "Ann"', dialect: 'mysql', where: 'u.userNameNormalized = BINARY :f0', parameters: { f0: 'ann' } },
    { filter: 'displayName eq "x"', dialect: 'mysql', where: 'LOWER(u.displayName) = BINARY :f0', parameters: { f0: 'x' } },
    {
      filter: 'displayName ne "x"',
      dialect: 'mysql',
      where: '(LOWER(u.displayName) <> BINARY :f0 OR u.displayName IS NULL)',
      parameters: { f0: 'x' },
    },
    { filter: 'displayName pr', dialect: 'mysql', where: "(u.displayName IS NOT NULL AND u.displayName <> BINARY '')", parameters: {} },
    { filter: 'externalId co "a_b"', dialect: 'mysql', where: "u.externalId LIKE :f0 ESCAPE '!'", parameters: { f0: '%a!_b%' } },
    { filter: 'id eq "X"', dialect: 'mysql', where: 'u.id = BINARY :f0', parameters: { f0: 'X' } },
    {
      filter: 'emails[type eq "work"].value eq "ann@x.example"',
      dialect: 'mysql',
      where:
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId AND (LOWER(email0.type) = BINARY :f0 AND email0.valueNormalized = BINARY :f1))',
      parameters: { f0: 'work', f1: 'ann@x.example' },
    },
    {
      filter: 'meta.created gt "2025-03-01T00:00:00Z"',
      dialect: 'mysql',
      where: 'u.createdAt > :f0',
      parameters: { f0: new Date('2025-03-01T00:00:00.000Z') },
    },
    { filter: 'active eq "True"', dialect: 'mysql', where: 'u.active = :f0', parameters: { f0: true } },
    { filter: 'not (title eq "x")', dialect: 'mysql', where: '(LOWER(u.jobTitle) = BINARY :f0) IS NOT TRUE', parameters: { f0: 'x' } },
  ];

  it.each(cases.map((testCase) => [`${testCase.dialect ?? 'sqlite'}: ${testCase.filter}`, testCase] as const))('%s', (_name, testCase) => {
    expect(compile(testCase.filter, testCase.dialect)).toEqual({ where: testCase.where, parameters: testCase.parameters });
  });

  it('keeps every value out of the SQL text', () => {
    const hostile = `x' OR 1=1 -- ; DROP TABLE users; :f1 \\' "`;
    for (const filter of [
      `userName eq ${JSON.stringify(hostile)}`,
      `displayName co ${JSON.stringify(hostile)}`,
      `emails[type ne ${JSON.stringify(hostile)}]`,
    ]) {
      for (const dialect of ['sqlite', 'mysql'] as const) {
        const compiled = compile(filter, dialect);
        expect(compiled.where).not.toMatch(/DROP|1=1|--|\\/i);
        expect(Object.values(compiled.parameters).join('|')).toContain("x' or 1=1 -- ; drop table users; :f1 \\' \"");
      }
    }
  });

  it('quotes identifiers as the driver does', () => {
    expect(compileFilter(parseFilter('emails[type eq "work"]'), USER_FILTER_MAP, SQLITE_DIALECT, 'users').where).toBe(
      'EXISTS (SELECT 1 FROM "user_emails" "email0" WHERE "email0"."userId" = "users"."id" AND "email0"."organisationId" = "users"."organisationId" AND LOWER("email0"."type") = :f0)',
    );
    expect(compileFilter(parseFilter('emails[type eq "work"]'), USER_FILTER_MAP, MYSQL_DIALECT, 'users').where).toBe(
      'EXISTS (SELECT 1 FROM `user_emails` `email0` WHERE `email0`.`userId` = `users`.`id` AND `email0`.`organisationId` = `users`.`organisationId` AND LOWER(`email0`.`type`) = BINARY :f0)',
    );
  });

  describe('element subqueries scoped to the organisation (the form SCIM lists use)', () => {
    const scoped = (filter: string) => compileFilter(parseFilter(filter), USER_FILTER_MAP, DIALECTS.sqlite, 'u', 'org-1');

    it('selects the owners of matching elements of that organisation, with no reference to the outer row', () => {
      expect(scoped('emails[type eq "work"].value eq "ann@x.example"')).toEqual({
        where:
          'u.id IN (SELECT email0.userId FROM user_emails email0 WHERE email0.organisationId = :f0 AND (LOWER(email0.type) = :f1 AND email0.valueNormalized = :f2))',
        parameters: { f0: 'org-1', f1: 'work', f2: 'ann@x.example' },
      });
    });

    it('shares one organisation parameter between subqueries, and negates a subquery as a whole', () => {
      expect(scoped('not (emails pr) or phoneNumbers.value eq "1"')).toEqual({
        where:
          '(NOT (u.id IN (SELECT email0.userId FROM user_emails email0 WHERE email0.organisationId = :f0)) OR ' +
          'u.id IN (SELECT phone1.userId FROM user_phone_numbers phone1 WHERE phone1.organisationId = :f0 AND LOWER(phone1.value) = :f1))',
        parameters: { f0: 'org-1', f1: '1' },
      });
    });

    it('stays a correlated EXISTS when the caller does not name the organisation', () => {
      expect(compile('emails pr').where).toBe(
        'EXISTS (SELECT 1 FROM user_emails email0 WHERE email0.userId = u.id AND email0.organisationId = u.organisationId)',
      );
    });
  });

  it('numbers parameters and subquery aliases in reading order', () => {
    const compiled = compile('emails[type eq "work"] or phoneNumbers.value eq "1" or emails.value eq "a" or userName eq "b"');
    expect(compiled.where.match(/:f\d+/g)).toEqual([':f0', ':f1', ':f2', ':f3']);
    expect(compiled.where.match(/FROM \w+ (\w+)/g)).toEqual([
      'FROM user_emails email0',
      'FROM user_phone_numbers phone1',
      'FROM user_emails email2',
    ]);
  });

  it('refuses a root alias that a subquery alias would shadow', () => {
    expect(() => compileFilter(parseFilter('emails pr'), USER_FILTER_MAP, DIALECTS.sqlite, 'email0')).toThrow(TypeError);
  });

  describe('400 invalidFilter', () => {
    it.each<[string, RegExp]>([
      // not in the whitelist: never "match everything" (T9)
      ['password eq "x"', /Filtering on "password" is not supported/],
      ['groups.value eq "x"', /Filtering on "groups.value" is not supported/],
      ['meta.version eq "x"', /Filtering on "meta.version" is not supported/],
      ['meta.resourceType eq "User"', /Filtering on "meta.resourceType"/],
      ['manager.displayName eq "Ann"', /Filtering on "manager.displayName"/],
      ['emails[display eq "x"] and roles.value eq "x"', /Unknown attribute "roles.value"/],
      ['foo eq "x"', /Unknown attribute "foo" in filter/],
      ['emails.$ref eq "x"', /Unknown attribute "emails.\$ref"/],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:foo eq "x"', /Unknown attribute "urn:.*:foo"/],
      ['urn:example:custom:2.0:User:department eq "x"', /Unknown attribute/],
      ['emails[foo eq "x"]', /Unknown attribute "emails.foo"/],
      ['name.nickName eq "x"', /Unknown attribute "name.nickName"/],
      // shapes that have no column to compare
      ['name eq "x"', /"name" is complex .* e\.g\. "name\.formatted"/],
      ['addresses co "x"', /"addresses" is complex/],
      ['title[value eq "x"]', /a value filter needs a complex attribute/],
      // values of the wrong type
      ['active eq "x"', /"active" is a boolean: compare it with true or false, not "x"/],
      ['active eq 1', /not 1/],
      ['emails[primary eq "yes"]', /"emails.primary" is a boolean/],
      ['userName eq 5', /"userName" is a string: compare it with a quoted string, not 5/],
      ['userName eq true', /not true/],
      ['name.givenName gt 1', /"name.givenName" is a string/],
      ['meta.created gt 5', /"meta.created" is a dateTime: .* not 5/],
      ['meta.created gt "yesterday"', /not "yesterday"/],
      ['meta.created gt "2025-03-01"', /dateTime/],
      ['meta.created gt "2025-03-01T10:00:00"', /dateTime/],
      ['meta.created gt "2025-02-30T00:00:00Z"', /dateTime/],
      ['meta.created gt "2025-03-01T24:00:00Z"', /dateTime/],
      ['meta.lastModified lt "2025-03-01T10:00:00+25:00"', /dateTime/],
      // operators the type does not support
      ['active gt true', /"active" is a boolean: it supports eq, ne and pr, not gt/],
      ['active co "t"', /not co/],
      ['emails.primary le false', /not le/],
      ['meta.created co "2025"', /"meta.created" is a dateTime: it supports eq, ne, gt, ge, lt, le and pr, not co/],
      ['displayName gt null', /null only goes with eq and ne/],
      ['emails.value co null', /null only goes with eq and ne/],
    ])('%s', (filter, detail) => {
      const error = captureError(() => compile(filter));
      expect(error).toBeInstanceOf(ScimError);
      expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
      expect(error instanceof ScimError ? error.detail : '').toMatch(detail);
    });

    // The parser never builds these trees; the compiler still refuses them rather than guessing.
    it.each<[string, FilterNode]>([
      ['an empty and', { kind: 'and', filters: [] }],
      [
        'a nested value path',
        {
          kind: 'valuePath',
          path: { name: 'emails' },
          filter: { kind: 'valuePath', path: { name: 'emails' }, filter: { kind: 'present', path: { name: 'value' } } },
        },
      ],
      [
        'a dotted name inside brackets',
        { kind: 'valuePath', path: { name: 'emails' }, filter: { kind: 'present', path: { name: 'value', subAttribute: 'x' } } },
      ],
      [
        'a URN inside brackets',
        {
          kind: 'valuePath',
          path: { name: 'emails' },
          filter: { kind: 'present', path: { schema: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'value' } },
        },
      ],
      ['__proto__', { kind: 'present', path: { name: '__proto__' } }],
      ['constructor.prototype', { kind: 'present', path: { name: 'constructor', subAttribute: 'prototype' } }],
    ])('%s', (_description, tree) => {
      expect(captureError(() => compile(tree))).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    });
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
