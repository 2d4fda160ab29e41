import cases from './discovery.cases.json';
import { resourceTypeDocument, resourceTypeDocuments } from './resource-type-documents';
import { SchemaAttributeDocument, SchemaDocument, schemaDocument, schemaDocuments } from './schema-documents';
import { OAUTH_BEARER_TOKEN_SCHEME, ServiceProviderConfigOptions, serviceProviderConfig } from './service-provider-config';

const BASE_URL = 'https://desk.example.com/scim/v2/acme';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

interface AttributeCase {
  schema: string;
  path: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
}

const attributeCases: AttributeCase[] = cases.attributes;
const documents = schemaDocuments(BASE_URL);

function documentOf(urn: string): SchemaDocument {
  const document = documents.find((candidate) => candidate.id === urn);
  if (document === undefined) throw new Error(`no /Schemas document for ${urn}`);
  return document;
}

function attributeAt(urn: string, path: string): SchemaAttributeDocument | undefined {
  const [name, sub] = path.split('.');
  const top = documentOf(urn).attributes.find((candidate) => candidate.name === name);
  return sub === undefined ? top : top?.subAttributes?.find((candidate) => candidate.name === sub);
}

/** Every attribute path a document advertises, sub-attributes included: `name`, `name.givenName`, … */
function advertisedPaths(document: SchemaDocument): string[] {
  return document.attributes.flatMap((top) => [top.name, ...(top.subAttributes ?? []).map((sub) => `${top.name}.${sub.name}`)]);
}

/** Every key path in a JSON value whose key or value matches `predicate`. */
function findInJson(value: unknown, predicate: (key: string, value: unknown) => boolean, at = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => findInJson(item, predicate, `${at}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(predicate(key, child) ? [`${at}.${key}`] : []),
    ...findInJson(child, predicate, `${at}.${key}`),
  ]);
}

describe('/Schemas attributes', () => {
  it.each(attributeCases)('$path of $schema', (expected) => {
    const actual = attributeAt(expected.schema, expected.path);
    expect(actual).toBeDefined();
    expect({
      type: actual?.type,
      multiValued: actual?.multiValued,
      required: actual?.required,
      caseExact: actual?.caseExact,
      mutability: actual?.mutability,
      returned: actual?.returned,
      uniqueness: actual?.uniqueness,
      canonicalValues: actual?.canonicalValues,
      referenceTypes: actual?.referenceTypes,
    }).toEqual({
      type: expected.type,
      multiValued: expected.multiValued,
      required: expected.required,
      caseExact: expected.caseExact,
      mutability: expected.mutability,
      returned: expected.returned,
      uniqueness: expected.uniqueness,
      canonicalValues: expected.canonicalValues,
      referenceTypes: expected.referenceTypes,
    });
    expect(actual?.description.trim()).not.toBe('');
  });

  it.each([USER, ENTERPRISE, GROUP])('%s advertises exactly the attributes of the table, nothing more (trap T45)', (urn) => {
    const expected = attributeCases.filter((row) => row.schema === urn).map((row) => row.path);
    expect(advertisedPaths(documentOf(urn)).sort()).toEqual([...expected].sort());
  });

  it.each(cases.absent)('$schema does not list $name', ({ schema, name }) => {
    expect(documentOf(schema).attributes.map((attribute) => attribute.name.toLowerCase())).not.toContain(name.toLowerCase());
  });

  it.each(Object.entries(cases.topLevelOrder))('%s lists its attributes in the RFC order', (urn, names) => {
    expect(documentOf(urn).attributes.map((attribute) => attribute.name)).toEqual(names);
  });

  it('never sends null, and never our own maxLength', () => {
    expect(findInJson(documents, (_key, value) => value === null)).toEqual([]);
    expect(findInJson(documents, (key) => key === 'maxLength')).toEqual([]);
  });

  it('writes characteristics in camel case from the RFC vocabulary', () => {
    expect(new Set(collect(documents, 'mutability'))).toEqual(new Set(['readWrite', 'readOnly', 'writeOnly', 'immutable']));
    expect(new Set(collect(documents, 'returned'))).toEqual(new Set(['default', 'never']));
    expect(new Set(collect(documents, 'uniqueness'))).toEqual(new Set(['none', 'server']));
  });

  it('gives only complex attributes sub-attributes, and only reference attributes referenceTypes', () => {
    const all = documents.flatMap((document) => document.attributes.flatMap((top) => [top, ...(top.subAttributes ?? [])]));
    expect(all.filter((attribute) => (attribute.type === 'complex') !== (attribute.subAttributes !== undefined))).toEqual([]);
    expect(all.filter((attribute) => attribute.referenceTypes !== undefined && attribute.type !== 'reference')).toEqual([]);
  });
});

function collect(value: unknown, key: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => collect(item, key));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([childKey, child]) => [
    ...(childKey === key && typeof child === 'string' ? [child] : []),
    ...collect(child, key),
  ]);
}

describe('/Schemas documents', () => {
  it('lists User, Enterprise User and Group, in that order', () => {
    expect(documents.map((document) => [document.id, document.name])).toEqual([
      [USER, 'User'],
      [ENTERPRISE, 'EnterpriseUser'],
      [GROUP, 'Group'],
    ]);
  });

  it.each([USER, ENTERPRISE, GROUP])('%s is a Schema resource located under /Schemas', (urn) => {
    const document = documentOf(urn);
    expect(document.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
    expect(document.meta).toEqual({ resourceType: 'Schema', location: `${BASE_URL}/Schemas/${urn}` });
    expect(document.description.trim()).not.toBe('');
  });

  it('builds locations from the base URL given, with or without a trailing slash', () => {
    expect(schemaDocuments('https://other.example/scim/v2/')[2].meta.location).toBe(`https://other.example/scim/v2/Schemas/${GROUP}`);
    expect(schemaDocuments('https://other.example/scim/v2')[2].meta.location).toBe(`https://other.example/scim/v2/Schemas/${GROUP}`);
  });

  it.each([
    [USER, USER],
    ['URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER', ENTERPRISE],
    ['urn:ietf:params:scim:schemas:core:2.0:group', GROUP],
  ])('finds %s', (urn, id) => {
    expect(schemaDocument(BASE_URL, urn)?.id).toBe(id);
  });

  it.each(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig', 'urn:example:unknown', '', '__proto__'])(
    'does not find %j',
    (urn) => {
      expect(schemaDocument(BASE_URL, urn)).toBeUndefined();
    },
  );

  it('hands out fresh documents: changing one changes neither the registry nor the next one', () => {
    const first = schemaDocuments(BASE_URL);
    (first[0].attributes as SchemaAttributeDocument[]).pop();
    const emailType = first[0].attributes
      .find((attribute) => attribute.name === 'emails')
      ?.subAttributes?.find((sub) => sub.name === 'type');
    (emailType?.canonicalValues as string[]).push('bogus');
    const next = schemaDocuments(BASE_URL);
    expect(next[0].attributes).toHaveLength(16);
    expect(next[0].attributes.find((attribute) => attribute.name === 'emails')?.subAttributes?.[2].canonicalValues).toEqual([
      'work',
      'home',
      'other',
    ]);
  });
});

describe('/ResourceTypes documents', () => {
  const resourceTypes = resourceTypeDocuments(BASE_URL);

  it('lists User then Group', () => {
    expect(resourceTypes.map((document) => document.id)).toEqual(['User', 'Group']);
  });

  it('describes User with the enterprise extension, not required', () => {
    const user = resourceTypes[0];
    expect(user.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ResourceType']);
    expect([user.id, user.name, user.endpoint, user.schema]).toEqual(['User', 'User', '/Users', USER]);
    expect(user.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
    expect(user.meta).toEqual({ resourceType: 'ResourceType', location: `${BASE_URL}/ResourceTypes/User` });
    expect(user.description.trim()).not.toBe('');
  });

  it('describes Group without a schemaExtensions member', () => {
    const group = resourceTypes[1];
    expect([group.id, group.name, group.endpoint, group.schema]).toEqual(['Group', 'Group', '/Groups', GROUP]);
    expect('schemaExtensions' in group).toBe(false);
    expect(group.meta).toEqual({ resourceType: 'ResourceType', location: `${BASE_URL}/ResourceTypes/Group` });
  });

  it('points every schema and extension at a /Schemas document', () => {
    const referenced = resourceTypes.flatMap((document) => [
      document.schema,
      ...(document.schemaExtensions ?? []).map((extension) => extension.schema),
    ]);
    expect(referenced.every((urn) => schemaDocument(BASE_URL, urn) !== undefined)).toBe(true);
  });

  it.each([
    ['User', 'User'],
    ['user', 'User'],
    ['GROUP', 'Group'],
  ])('finds %s', (name, id) => {
    expect(resourceTypeDocument(BASE_URL, name)?.id).toBe(id);
  });

  it.each(['Users', 'Schema', '', 'constructor'])('does not find %j', (name) => {
    expect(resourceTypeDocument(BASE_URL, name)).toBeUndefined();
  });
});

describe('/ServiceProviderConfig', () => {
  const options: ServiceProviderConfigOptions = {
    documentationUri: 'https://desk.example.com/docs/scim',
    patchSupported: true,
    bulk: false,
    filterMaxResults: 200,
    sortSupported: false,
    etagSupported: false,
    changePasswordSupported: false,
    authenticationSchemes: [OAUTH_BEARER_TOKEN_SCHEME],
    pagination: { cursor: true, defaultPageSize: 100, maxPageSize: 200, cursorTimeout: 86400 },
  };

  it('describes what the options say, in the RFC 7643 §5 shape', () => {
    expect(serviceProviderConfig(BASE_URL, options)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri: 'https://desk.example.com/docs/scim',
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'Bearer token',
          description: 'Per-organisation bearer token in the Authorization header',
          specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
          primary: true,
        },
      ],
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'index',
        defaultPageSize: 100,
        maxPageSize: 200,
        cursorTimeout: 86400,
      },
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE_URL}/ServiceProviderConfig` },
    });
  });

  it('has no id (RFC 7643 §5)', () => {
    expect('id' in serviceProviderConfig(BASE_URL, options)).toBe(false);
  });

  it('follows each option, per call: nothing is kept between calls', () => {
    const later = serviceProviderConfig('https://other.example/scim/v2/', {
      ...options,
      documentationUri: undefined,
      patchSupported: false,
      filterMaxResults: 50,
      sortSupported: true,
      etagSupported: true,
    });
    expect(later.patch).toEqual({ supported: false });
    expect(later.filter).toEqual({ supported: true, maxResults: 50 });
    expect(later.sort).toEqual({ supported: true });
    expect(later.etag).toEqual({ supported: true });
    expect('documentationUri' in later).toBe(false);
    expect(later.meta.location).toBe('https://other.example/scim/v2/ServiceProviderConfig');
    expect(serviceProviderConfig(BASE_URL, options).filter.maxResults).toBe(200);
  });

  it('copies the authentication schemes rather than sharing them', () => {
    const document = serviceProviderConfig(BASE_URL, options);
    expect(document.authenticationSchemes[0]).not.toBe(OAUTH_BEARER_TOKEN_SCHEME);
    expect(Object.isFrozen(OAUTH_BEARER_TOKEN_SCHEME)).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses filterMaxResults %p', (filterMaxResults) => {
    expect(() => serviceProviderConfig(BASE_URL, { ...options, filterMaxResults })).toThrow(RangeError);
  });

  it('advertises no cursorTimeout without cursor paging (RFC 9865 §4)', () => {
    const document = serviceProviderConfig(BASE_URL, { ...options, pagination: { ...options.pagination, cursor: false } });
    expect(document.pagination).toEqual({
      cursor: false,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: 100,
      maxPageSize: 200,
    });
  });

  it.each([{ defaultPageSize: 0 }, { maxPageSize: 1.5 }, { cursorTimeout: -1 }, { defaultPageSize: 300, maxPageSize: 200 }])(
    'refuses pagination %j',
    (change) => {
      expect(() => serviceProviderConfig(BASE_URL, { ...options, pagination: { ...options.pagination, ...change } })).toThrow(RangeError);
    },
  );
});
