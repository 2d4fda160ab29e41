export { attribute, defineAttributes, defineSchema } from './attribute-definition';
export type {
  AttributeCharacteristics,
  AttributeDefinition,
  AttributeType,
  Mutability,
  Returned,
  SchemaDefinition,
  Uniqueness,
} from './attribute-definition';
export { COMMON_ATTRIBUTES } from './common-attributes';
export { ENTERPRISE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA_URN } from './enterprise-user.schema';
export { GROUP_SCHEMA, GROUP_SCHEMA_URN } from './group.schema';
export { USER_SCHEMA, USER_SCHEMA_URN } from './user.schema';
export { ResourceType } from './resource-type';
export type { AttributeOrigin, AttributeReference, ResolvedAttribute, ResourceTypeDefinition, SchemaExtension } from './resource-type';
export {
  GROUP_RESOURCE_TYPE,
  RESOURCE_TYPES,
  SCHEMAS,
  USER_RESOURCE_TYPE,
  findResourceType,
  findSchema,
  resolveAttribute,
} from './registry';
export type { ResourceTypeName } from './registry';
