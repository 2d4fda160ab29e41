import { SchemaDefinition } from './attribute-definition';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user.schema';
import { GROUP_SCHEMA } from './group.schema';
import { AttributeReference, ResolvedAttribute, ResourceType } from './resource-type';
import { USER_SCHEMA } from './user.schema';

export const USER_RESOURCE_TYPE = new ResourceType({
  name: 'User',
  endpoint: '/Users',
  description: 'User account',
  schema: USER_SCHEMA,
  schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
});

export const GROUP_RESOURCE_TYPE = new ResourceType({
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA,
  schemaExtensions: [],
});

export type ResourceTypeName = 'User' | 'Group';

/** The resource types we serve, in the order /ResourceTypes lists them. */
export const RESOURCE_TYPES: readonly ResourceType[] = Object.freeze([USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE]);

/** Every schema we implement, in the order /Schemas lists them. */
export const SCHEMAS: readonly SchemaDefinition[] = Object.freeze([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA]);

const RESOURCE_TYPES_BY_NAME = new Map(RESOURCE_TYPES.map((resourceType) => [resourceType.name.toLowerCase(), resourceType]));
const SCHEMAS_BY_URN = new Map(SCHEMAS.map((schema) => [schema.id.toLowerCase(), schema]));

/** A resource type by name, in any case (`GET /ResourceTypes/user`). */
export function findResourceType(name: string): ResourceType | undefined {
  return RESOURCE_TYPES_BY_NAME.get(name.toLowerCase());
}

/** A schema by URN, in any case (`GET /Schemas/{urn}`). */
export function findSchema(urn: string): SchemaDefinition | undefined {
  return SCHEMAS_BY_URN.get(urn.toLowerCase());
}

/**
 * Resolves an attribute path of a resource type; see `ResourceType.resolve` for the accepted forms. A name given
 * for the resource type that we do not serve resolves nothing.
 */
export function resolveAttribute(
  resourceType: ResourceType | ResourceTypeName,
  path: string | AttributeReference,
  subAttribute?: string,
): ResolvedAttribute | undefined {
  const type = typeof resourceType === 'string' ? findResourceType(resourceType) : resourceType;
  return type?.resolve(path, subAttribute);
}
