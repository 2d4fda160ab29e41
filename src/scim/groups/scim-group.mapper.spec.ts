import type { Team } from '../../teams/team.entity';
import { ScimError } from '../protocol/errors/scim-error';
import { readResource } from '../protocol/resource/read-resource';
import { GROUP_RESOURCE_TYPE } from '../protocol/schema';
import { includesMembers, memberIdsOf, namesMembers, scimGroupWrite, toScimGroup } from './scim-group.mapper';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const team = {
  id: 'g1',
  organisationId: 'o1',
  name: 'Floor 3',
  nameNormalized: 'floor 3',
  externalId: null,
  managedBy: 'scim',
  version: 3,
  createdAt: new Date('2030-01-01T00:00:00Z'),
  updatedAt: new Date('2030-01-02T00:00:00Z'),
} as Team;

describe('SCIM group mapping', () => {
  it('shows a team with its members as users of the tenant', () => {
    const members = [
      { userId: 'u1', displayName: 'Ann Lee' },
      { userId: 'u2', displayName: null },
    ];
    expect(toScimGroup({ team, members }, 'https://x/scim/v2/acme')).toEqual({
      schemas: [GROUP],
      id: 'g1',
      displayName: 'Floor 3',
      members: [
        { value: 'u1', display: 'Ann Lee', $ref: 'https://x/scim/v2/acme/Users/u1', type: 'User' },
        { value: 'u2', $ref: 'https://x/scim/v2/acme/Users/u2', type: 'User' },
      ],
      meta: {
        resourceType: 'Group',
        created: '2030-01-01T00:00:00.000Z',
        lastModified: '2030-01-02T00:00:00.000Z',
        location: 'https://x/scim/v2/acme/Groups/g1',
        version: 'W/"3"',
      },
    });
  });

  it('leaves members out when there are none or they were not loaded', () => {
    expect(toScimGroup({ team }, 'https://x')).not.toHaveProperty('members');
    expect(toScimGroup({ team, members: [] }, 'https://x')).not.toHaveProperty('members');
  });

  it('reads a body into columns and member ids', () => {
    const resource = readResource(GROUP_RESOURCE_TYPE, {
      DisplayName: 'Straße Team',
      externalId: 'E-1',
      members: [{ value: 'u1', $ref: null }, { value: 'u2' }, { value: 'u1' }],
    });
    expect(scimGroupWrite(resource)).toEqual({ name: 'Straße Team', nameNormalized: 'straße team', externalId: 'E-1' });
    expect(memberIdsOf(resource)).toEqual(['u1', 'u2']);
    expect(() => memberIdsOf(readResource(GROUP_RESOURCE_TYPE, { displayName: 'x', members: [{ display: 'Ann' }] }))).toThrow(ScimError);
  });

  it.each([
    [{ displayName: 'x' }, false],
    [{ displayName: 'x', members: [] }, true],
    [{ displayName: 'x', Members: null }, true],
    [{ displayName: 'x', [`${GROUP}:members`]: [{ value: 'u1' }] }, true],
    [[{ members: [] }], false],
  ])('tells whether a PUT body names members: %j', (body, expected) => {
    expect(namesMembers(body)).toBe(expected);
  });

  it.each([
    [{}, true],
    [{ excludedAttributes: ['members'] }, false],
    [{ excludedAttributes: ['MEMBERS'] }, false],
    [{ excludedAttributes: ['members.display'] }, true],
    [{ attributes: ['displayName'] }, false],
    [{ attributes: ['members.value'] }, true],
    [{ attributes: [`${GROUP}:members`] }, true],
  ])('loads members only when the projection %j shows them', (projection, expected) => {
    expect(includesMembers(projection)).toBe(expected);
  });
});
