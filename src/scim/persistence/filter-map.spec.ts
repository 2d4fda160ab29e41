import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../protocol/schema';
import { AttributeStorage, FilterMapDeclaration, defineFilterMap, lookupMapped, nullableColumn, requiredColumn } from './filter-map';
import { parseFilter } from '../protocol/filter';
import { compileFilter } from './compile-filter';
import { USER_FILTER_MAP } from './user-filter-columns';

const declaration = (attributes: Record<string, AttributeStorage>, defaultSortBy = 'meta.created'): FilterMapDeclaration => ({
  resourceType: USER_RESOURCE_TYPE,
  idColumn: 'id',
  defaultSortBy,
  attributes: { meta: { kind: 'complex', subAttributes: { created: requiredColumn('createdAt') } }, ...attributes },
});

const emails = (subAttributes: Record<string, ReturnType<typeof nullableColumn>>): AttributeStorage => ({
  kind: 'multiValued',
  table: { table: 'user_emails', parentColumn: 'userId', alias: 'email' },
  subAttributes,
});

describe('defineFilterMap', () => {
  it.each<[string, FilterMapDeclaration, RegExp]>([
    [
      'an unknown attribute',
      declaration({ userNmae: { kind: 'column', column: requiredColumn('userName') } }),
      /"userNmae" is not a top-level attribute/,
    ],
    [
      'a sub-attribute as a key',
      declaration({ 'name.givenName': { kind: 'column', column: nullableColumn('givenName') } }),
      /not a top-level/,
    ],
    [
      'the same attribute twice',
      declaration({ title: { kind: 'column', column: nullableColumn('a') }, TITLE: { kind: 'column', column: nullableColumn('b') } }),
      /declared twice/,
    ],
    [
      'a column for a multi-valued attribute',
      declaration({ emails: { kind: 'column', column: nullableColumn('email') } }),
      /schema makes it multiValued/,
    ],
    [
      'a column for a complex attribute',
      declaration({ name: { kind: 'column', column: nullableColumn('name') } }),
      /schema makes it complex/,
    ],
    [
      'a complex attribute without sub-attributes',
      declaration({ name: { kind: 'complex', subAttributes: {} } }),
      /declares no sub-attributes/,
    ],
    ['an unknown sub-attribute', declaration({ emails: emails({ kind: nullableColumn('type') }) }), /has no sub-attribute "kind"/],
    [
      'password, which is never returned',
      declaration({ password: { kind: 'column', column: nullableColumn('passwordHash') } }),
      /never returned/,
    ],
    [
      'a normalised column on a case-exact attribute',
      declaration({ externalId: { kind: 'column', column: requiredColumn('externalId', { normalizedColumn: 'x' }) } }),
      /normalised column/,
    ],
    [
      'a normalised column on a boolean',
      declaration({ active: { kind: 'column', column: requiredColumn('active', { normalizedColumn: 'x' }) } }),
      /normalised column/,
    ],
    [
      'a multi-valued default sort',
      declaration({ emails: emails({ value: requiredColumn('value') }) }, 'emails.value'),
      /defaultSortBy "emails.value"/,
    ],
    ['an unmapped default sort', declaration({}, 'displayName'), /defaultSortBy "displayName"/],
  ])('refuses %s', (_description, definition, message) => {
    expect(() => defineFilterMap(definition)).toThrow(message);
  });

  it('takes type and caseExact from the registry', () => {
    const lookup = (path: string) => {
      const found = lookupMapped(USER_FILTER_MAP, path);
      if (!found.found) throw new Error(`${path} not mapped`);
      return found.subAttribute ?? (found.attribute.kind === 'column' ? found.attribute.column : undefined);
    };
    expect(lookup('userName')).toMatchObject({ type: 'string', caseExact: false, normalizedColumn: 'userNameNormalized' });
    expect(lookup('externalId')).toMatchObject({ type: 'string', caseExact: true });
    expect(lookup('active')).toMatchObject({ type: 'boolean' });
    expect(lookup('meta.lastModified')).toMatchObject({ type: 'dateTime', column: 'updatedAt' });
    expect(lookup('EMAILS.Primary')).toMatchObject({ type: 'boolean', column: 'isPrimary', path: 'emails.primary' });
    expect(lookup('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value')).toMatchObject({
      caseExact: true,
      column: 'managerId',
    });
    expect(lookup('profileUrl')).toMatchObject({ type: 'string', caseExact: false });
  });

  it('tells unknown attributes from unmapped ones', () => {
    expect(lookupMapped(USER_FILTER_MAP, 'nope')).toEqual({ found: false, reason: 'unknown' });
    expect(lookupMapped(USER_FILTER_MAP, 'groups')).toEqual({ found: false, reason: 'notMapped' });
    expect(lookupMapped(USER_FILTER_MAP, 'manager.displayName')).toEqual({ found: false, reason: 'notMapped' });
  });

  it('serves other resource types from their own declaration', () => {
    const teams = defineFilterMap({
      resourceType: GROUP_RESOURCE_TYPE,
      idColumn: 'id',
      defaultSortBy: 'meta.created',
      attributes: {
        displayName: { kind: 'column', column: requiredColumn('name', { normalizedColumn: 'nameNormalized' }) },
        externalId: { kind: 'column', column: nullableColumn('externalId') },
        meta: { kind: 'complex', subAttributes: { created: requiredColumn('createdAt') } },
        members: {
          kind: 'multiValued',
          table: { table: 'team_members', parentColumn: 'teamId', alias: 'member' },
          subAttributes: { value: requiredColumn('userId') },
        },
      },
    });
    expect(lookupMapped(teams, 'members.value')).toMatchObject({ found: true, subAttribute: { column: 'userId', caseExact: true } });
    expect(lookupMapped(teams, 'userName')).toEqual({ found: false, reason: 'unknown' });
    const plain = { kind: 'sqlite' as const, escape: (identifier: string) => identifier };
    expect(compileFilter(parseFilter('displayName eq "Floor 3" and members[value eq "U1"]'), teams, plain, 't')).toEqual({
      where:
        '(t.nameNormalized = :f0 AND EXISTS (SELECT 1 FROM team_members member0 WHERE member0.teamId = t.id AND member0.userId = :f1))',
      parameters: { f0: 'floor 3', f1: 'U1' },
    });
    // Without a shared column the element table cannot be scoped to the organisation: it stays correlated.
    expect(compileFilter(parseFilter('members[value eq "U1"]'), teams, plain, 't', 'org-1').where).toBe(
      'EXISTS (SELECT 1 FROM team_members member0 WHERE member0.teamId = t.id AND member0.userId = :f0)',
    );
  });
});
