import { ResourceType, USER_RESOURCE_TYPE, attribute, defineSchema } from '../schema';
import cases from './projection.cases.json';
import { ScimJsonObject, parseAttributeList, projectResource, resourceProjector } from './projection';

interface ProjectionCase {
  description: string;
  resource: string;
  attributes?: string;
  excludedAttributes?: string;
  expected: unknown;
}

const resources: Record<string, { resourceType: string; resource: ScimJsonObject }> = cases.resources;
const projectionCases: ProjectionCase[] = cases.cases;

function fixture(name: string): { resourceType: 'User' | 'Group'; resource: ScimJsonObject } {
  const entry = resources[name];
  if (entry === undefined || (entry.resourceType !== 'User' && entry.resourceType !== 'Group')) throw new Error(`bad fixture ${name}`);
  return { resourceType: entry.resourceType, resource: entry.resource };
}

describe('projectResource', () => {
  it.each(projectionCases)('$description', ({ resource: name, attributes, excludedAttributes, expected }) => {
    const { resourceType, resource } = fixture(name);
    const projected = projectResource(resource, resourceType, {
      attributes: parseAttributeList(attributes),
      excludedAttributes: parseAttributeList(excludedAttributes),
    });
    expect(projected).toStrictEqual(expected);
  });

  it('projects every resource of a list with one projector as it projects each alone, whatever keys each has', () => {
    for (const { resource: name, attributes, excludedAttributes } of projectionCases) {
      const projection = { attributes: parseAttributeList(attributes), excludedAttributes: parseAttributeList(excludedAttributes) };
      const { resourceType } = fixture(name);
      const sameType = Object.values(resources)
        .filter((entry) => entry.resourceType === resourceType)
        .map((entry) => entry.resource);
      const project = resourceProjector(resourceType, projection);
      // Twice round, so the second pass runs on keys the projector has already resolved.
      for (const resource of [...sameType, ...sameType])
        expect(project(resource)).toStrictEqual(projectResource(resource, resourceType, projection));
    }
  });

  describe('one projector over resources whose keys differ (it decides each key once)', () => {
    const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const first: ScimJsonObject = {
      id: 'u1',
      userName: 'a',
      emails: [{ value: 'a@x', type: 'work' }],
      phoneNumbers: [{ value: '1', type: 'work' }],
      [enterprise]: { manager: { value: 'm1' }, department: 'D' },
      meta: { resourceType: 'User' },
    };
    // The same attributes in another order and other spellings, plus keys the first resource did not have.
    const second: ScimJsonObject = {
      META: { resourceType: 'User', LOCATION: 'https://x/Users/u2' },
      [enterprise.toUpperCase()]: { DEPARTMENT: 'E', manager: { VALUE: 'm2' } },
      Emails: [{ TYPE: 'home', value: 'b@x' }, { value: 'c@x' }],
      userName: 'b',
      displayName: 'B',
      id: 'u2',
    };

    it.each<[string, { attributes?: string[]; excludedAttributes?: string[] }, object, object]>([
      [
        'by default',
        {},
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
          id: 'u1',
          userName: 'a',
          emails: [{ value: 'a@x', type: 'work' }],
          phoneNumbers: [{ value: '1', type: 'work' }],
          [enterprise]: { manager: { value: 'm1' }, department: 'D' },
          meta: { resourceType: 'User' },
        },
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
          meta: { resourceType: 'User', location: 'https://x/Users/u2' },
          [enterprise]: { department: 'E', manager: { value: 'm2' } },
          emails: [{ type: 'home', value: 'b@x' }, { value: 'c@x' }],
          userName: 'b',
          displayName: 'B',
          id: 'u2',
        },
      ],
      [
        // `value` is kept under emails and dropped under phoneNumbers and manager: a decision per attribute, not per key.
        'attributes naming one sub-attribute of one complex attribute',
        { attributes: ['emails.value', 'displayName'] },
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          id: 'u1',
          emails: [{ value: 'a@x' }],
          meta: { resourceType: 'User' },
        },
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          meta: { resourceType: 'User' },
          emails: [{ value: 'b@x' }, { value: 'c@x' }],
          displayName: 'B',
          id: 'u2',
        },
      ],
      [
        'excludedAttributes naming a sub-attribute and an extension attribute',
        { excludedAttributes: ['emails.type', 'manager', 'meta.location'] },
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
          id: 'u1',
          userName: 'a',
          emails: [{ value: 'a@x' }],
          phoneNumbers: [{ value: '1', type: 'work' }],
          [enterprise]: { department: 'D' },
          meta: { resourceType: 'User' },
        },
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
          meta: { resourceType: 'User' },
          [enterprise]: { department: 'E' },
          emails: [{ value: 'b@x' }, { value: 'c@x' }],
          userName: 'b',
          displayName: 'B',
          id: 'u2',
        },
      ],
    ])('%s: each resource keeps its own key order, under canonical names', (_description, projection, expectedFirst, expectedSecond) => {
      const project = resourceProjector('User', projection);
      for (let round = 0; round < 2; round++) {
        // JSON text, so that the order of keys is compared too.
        expect(JSON.stringify(project(first))).toBe(JSON.stringify(expectedFirst));
        expect(JSON.stringify(project(second))).toBe(JSON.stringify(expectedSecond));
      }
      expect(JSON.stringify(resourceProjector('User', projection)(second))).toBe(JSON.stringify(expectedSecond));
    });
  });

  it('puts schemas first', () => {
    const { resource } = fixture('ann');
    expect(Object.keys(projectResource(resource, 'User'))[0]).toBe('schemas');
  });

  it('neither changes the resource nor shares objects with it', () => {
    const { resource } = fixture('ann');
    const before = JSON.stringify(resource);
    const projected = projectResource(resource, USER_RESOURCE_TYPE, { excludedAttributes: ['name.givenName'] });
    expect(JSON.stringify(resource)).toBe(before);
    expect(projected.emails).not.toBe(resource.emails);
    expect(projected.meta).not.toBe(resource.meta);
  });

  it('ignores own __proto__ and constructor keys of parsed JSON and writes nothing to a prototype (trap T23)', () => {
    const resource: ScimJsonObject = JSON.parse(
      '{"id":"u1","userName":"a","__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"name":{"__proto__":{"polluted":true},"givenName":"A"}}',
    );
    const projected = projectResource(resource, 'User', { attributes: ['__proto__', 'name.__proto__', 'userName', 'name'] });
    expect(projected).toStrictEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: 'u1',
      userName: 'a',
      name: { givenName: 'A' },
    });
    expect(Object.getPrototypeOf(projected)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a resource type we do not serve', () => {
    const unknown: string = 'Device';
    expect(() => projectResource({}, unknown as 'User')).toThrow(TypeError);
  });

  describe('returned: request and never, on a resource type that declares them', () => {
    const device = new ResourceType({
      name: 'Device',
      endpoint: '/Devices',
      description: 'test resource type',
      schema: defineSchema({
        id: 'urn:example:scim:Device',
        name: 'Device',
        description: 'test schema',
        attributes: [
          attribute('serial', 'serial number'),
          attribute('secretKey', 'write-only key', { mutability: 'writeOnly', returned: 'never' }),
          attribute('auditTrail', 'only on request', { returned: 'request' }),
          attribute('location', 'where it is', {
            type: 'complex',
            subAttributes: [
              attribute('building', 'building'),
              attribute('gps', 'only on request', { returned: 'request' }),
              attribute('pin', 'never returned', { returned: 'never' }),
            ],
          }),
          attribute('tags', 'labels', { multiValued: true }),
        ],
      }),
      schemaExtensions: [],
    });
    const resource = {
      id: 'd1',
      serial: 'SN-1',
      secretKey: 'k',
      auditTrail: 'created by admin',
      location: { building: 'HQ', gps: '51.5,-0.1', pin: '1234' },
      tags: ['a', null, 'b'],
      meta: { resourceType: 'Device' },
    };
    const always = { schemas: ['urn:example:scim:Device'], id: 'd1', meta: { resourceType: 'Device' } };

    it.each<[string, { attributes?: string[]; excludedAttributes?: string[] }, object]>([
      ['by default: no request or never attributes', {}, { ...always, serial: 'SN-1', location: { building: 'HQ' }, tags: ['a', 'b'] }],
      ['a request attribute when named', { attributes: ['AUDITTRAIL'] }, { ...always, auditTrail: 'created by admin' }],
      ['not a request attribute when only other names are given', { attributes: ['serial'] }, { ...always, serial: 'SN-1' }],
      [
        'not a request attribute with excludedAttributes',
        { excludedAttributes: ['serial'] },
        { ...always, location: { building: 'HQ' }, tags: ['a', 'b'] },
      ],
      ['a request sub-attribute when named', { attributes: ['location.gps'] }, { ...always, location: { gps: '51.5,-0.1' } }],
      [
        'not a request sub-attribute when only its parent is named',
        { attributes: ['location'] },
        { ...always, location: { building: 'HQ' } },
      ],
      [
        'the parent and its request sub-attribute',
        { attributes: ['location', 'location.gps'] },
        { ...always, location: { building: 'HQ', gps: '51.5,-0.1' } },
      ],
      ['never a never attribute, even when named', { attributes: ['secretKey', 'location.pin'] }, always],
      ['a multi-valued simple attribute, without nulls', { attributes: ['tags'] }, { ...always, tags: ['a', 'b'] }],
    ])('%s', (_description, projection, expected) => {
      expect(projectResource(resource, device, projection)).toStrictEqual(expected);
    });
  });
});

describe('parseAttributeList', () => {
  it.each<[string | string[] | undefined, string[]]>([
    ['userName,name.givenName, emails', ['userName', 'name.givenName', 'emails']],
    ['userName', ['userName']],
    ['', []],
    [' , ,', []],
    [undefined, []],
    ['  members  ', ['members']],
    [
      ['userName', 'emails,displayName'],
      ['userName', 'emails', 'displayName'],
    ],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value,id',
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 'id'],
    ],
  ])('%j', (value, expected) => {
    expect(parseAttributeList(value)).toEqual(expected);
  });
});
