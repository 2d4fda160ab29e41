import { parseFilter } from '../filter';
import { attribute, defineSchema } from './attribute-definition';
import cases from './resource-type.cases.json';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.schema';
import { AttributeReference, ResourceType } from './resource-type';
import {
  GROUP_RESOURCE_TYPE,
  RESOURCE_TYPES,
  ResourceTypeName,
  SCHEMAS,
  USER_RESOURCE_TYPE,
  findResourceType,
  findSchema,
  resolveAttribute,
} from './registry';
import { USER_SCHEMA } from './user.schema';

interface ResolveCase {
  description: string;
  resourceType: string;
  path: string | AttributeReference;
  subAttribute?: string;
  expected?: { path: string; schema: string; origin: string };
}

const resolves: ResolveCase[] = cases.resolves;
const rejects: ResolveCase[] = cases.rejects;

function typeNamed(name: string): ResourceTypeName {
  if (name !== 'User' && name !== 'Group') throw new Error(`bad case: ${name}`);
  return name;
}

describe('resolveAttribute', () => {
  it.each(resolves)('$resourceType: $description', ({ resourceType, path, subAttribute, expected }) => {
    const resolved = resolveAttribute(typeNamed(resourceType), path, subAttribute);
    expect(resolved).toBeDefined();
    expect({ path: resolved?.path, schema: resolved?.schema, origin: resolved?.origin }).toEqual(expected);
  });

  it.each(rejects)('$resourceType: rejects $description', ({ resourceType, path, subAttribute }) => {
    expect(resolveAttribute(typeNamed(resourceType), path, subAttribute)).toBeUndefined();
  });

  it('returns the declarations themselves, top-level and sub-attribute', () => {
    const resolved = resolveAttribute('User', 'name.GIVENNAME');
    const name = USER_SCHEMA.attributes.find((definition) => definition.name === 'name');
    expect(resolved?.attribute).toBe(name);
    expect(resolved?.subAttribute).toBe(name?.subAttributes?.find((sub) => sub.name === 'givenName'));
    expect(resolved?.definition).toBe(resolved?.subAttribute);
  });

  it('gives the top-level attribute as definition when there is no sub-attribute', () => {
    const resolved = resolveAttribute('User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager');
    expect(resolved?.definition).toBe(ENTERPRISE_USER_SCHEMA.attributes.find((definition) => definition.name === 'manager'));
    expect(resolved?.subAttribute).toBeUndefined();
  });

  it('gives the same canonical path for every spelling of one attribute', () => {
    const spellings = [
      'manager.value',
      'MANAGER.VALUE',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:Manager.Value',
    ];
    expect(new Set(spellings.map((spelling) => resolveAttribute('User', spelling)?.path))).toEqual(
      new Set(['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value']),
    );
  });

  it('accepts the ResourceType object as well as its name', () => {
    expect(resolveAttribute(GROUP_RESOURCE_TYPE, 'members.value')?.path).toBe('members.value');
    expect(USER_RESOURCE_TYPE.resolve('userName')?.definition.uniqueness).toBe('server');
  });

  it('resolves nothing for a resource type we do not serve', () => {
    const unknown: string = 'Device';
    expect(resolveAttribute(unknown as ResourceTypeName, 'id')).toBeUndefined();
  });

  it('resolves the paths of a parsed filter as they are, without formatting them back to text', () => {
    const filter = parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.VALUE eq "42"');
    if (filter.kind !== 'compare') throw new Error(`expected a comparison, got ${filter.kind}`);
    expect(resolveAttribute('User', filter.path)?.path).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value');
  });
});

describe('ResourceType', () => {
  const extension = (urn: string, ...names: string[]) =>
    defineSchema({
      id: urn,
      name: 'Extension',
      description: 'test extension',
      attributes: names.map((name) => attribute(name, `${name} attribute`)),
    });

  it('leaves an unqualified name ambiguous when two extensions declare it', () => {
    const type = new ResourceType({
      name: 'Device',
      endpoint: '/Devices',
      description: 'test',
      schema: defineSchema({
        id: 'urn:example:scim:Device',
        name: 'Device',
        description: 'test',
        attributes: [attribute('serial', 'serial')],
      }),
      schemaExtensions: [
        { schema: extension('urn:example:scim:ext:one', 'colour', 'weight'), required: false },
        { schema: extension('urn:example:scim:ext:two', 'colour'), required: false },
      ],
    });
    expect(type.resolve('colour')).toBeUndefined();
    expect(type.resolve('weight')?.path).toBe('urn:example:scim:ext:one:weight');
    expect(type.resolve('urn:example:scim:ext:two:colour')?.path).toBe('urn:example:scim:ext:two:colour');
  });

  it('splits a path at the longest URN it knows, not at the last colon', () => {
    const type = new ResourceType({
      name: 'Device',
      endpoint: '/Devices',
      description: 'test',
      schema: defineSchema({
        id: 'urn:example:scim:Device',
        name: 'Device',
        description: 'test',
        attributes: [attribute('serial', 'serial')],
      }),
      schemaExtensions: [
        { schema: extension('urn:example:scim:Device:ext', 'colour'), required: false },
        { schema: extension('urn:example:scim:Device:ext:v2', 'colour'), required: false },
      ],
    });
    expect(type.resolve('urn:example:scim:Device:ext:v2:colour')?.schema).toBe('urn:example:scim:Device:ext:v2');
    expect(type.resolve('urn:example:scim:Device:ext:colour')?.schema).toBe('urn:example:scim:Device:ext');
    expect(type.resolve('urn:example:scim:Device:serial')?.path).toBe('serial');
  });

  it('refuses a schema listed twice and a schema attribute that shadows a common attribute', () => {
    const device = defineSchema({
      id: 'urn:example:scim:Device',
      name: 'Device',
      description: 'test',
      attributes: [attribute('serial', 'serial')],
    });
    expect(
      () =>
        new ResourceType({
          name: 'Device',
          endpoint: '/Devices',
          description: 'test',
          schema: device,
          schemaExtensions: [{ schema: device, required: false }],
        }),
    ).toThrow(/listed twice/);
    const shadowing = defineSchema({
      id: 'urn:example:scim:Thing',
      name: 'Thing',
      description: 'test',
      attributes: [attribute('ID', 'clashes with id')],
    });
    expect(
      () => new ResourceType({ name: 'Thing', endpoint: '/Things', description: 'test', schema: shadowing, schemaExtensions: [] }),
    ).toThrow(/declared twice/);
  });

  it('finds its own schemas and extensions by URN in any case', () => {
    expect(USER_RESOURCE_TYPE.findSchema('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER')).toBe(USER_SCHEMA);
    expect(USER_RESOURCE_TYPE.findExtension('urn:ietf:params:scim:schemas:extension:enterprise:2.0:user')).toBe(ENTERPRISE_USER_SCHEMA);
    expect(USER_RESOURCE_TYPE.findExtension('urn:ietf:params:scim:schemas:core:2.0:User')).toBeUndefined();
    expect(USER_RESOURCE_TYPE.findSchema('urn:ietf:params:scim:schemas:core:2.0:Group')).toBeUndefined();
    expect(GROUP_RESOURCE_TYPE.findExtension('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User')).toBeUndefined();
    expect(USER_RESOURCE_TYPE.findSchema('__proto__')).toBeUndefined();
    expect(USER_RESOURCE_TYPE.schemas.map((schema) => schema.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ]);
  });
});

describe('registry', () => {
  it('serves User (with the enterprise extension, not required) and Group', () => {
    expect(RESOURCE_TYPES.map((type) => [type.name, type.endpoint])).toEqual([
      ['User', '/Users'],
      ['Group', '/Groups'],
    ]);
    expect(USER_RESOURCE_TYPE.schemaExtensions.map((extension) => [extension.schema.id, extension.required])).toEqual([
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', false],
    ]);
    expect(GROUP_RESOURCE_TYPE.schemaExtensions).toEqual([]);
  });

  it.each([
    ['User', 'User'],
    ['user', 'User'],
    ['GROUP', 'Group'],
  ])('finds resource type %s', (name, expected) => {
    expect(findResourceType(name)?.name).toBe(expected);
  });

  it.each(['Users', 'Device', '', '__proto__', 'constructor', 'toString'])('finds no resource type %j', (name) => {
    expect(findResourceType(name)).toBeUndefined();
  });

  it('finds schemas by URN in any case, and nothing else', () => {
    expect(SCHEMAS.map((schema) => schema.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
    expect(findSchema('urn:ietf:params:scim:schemas:core:2.0:group')?.name).toBe('Group');
    expect(findSchema('urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig')).toBeUndefined();
    expect(findSchema('__proto__')).toBeUndefined();
  });
});
