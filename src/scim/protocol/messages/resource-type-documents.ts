import { RESOURCE_TYPES, ResourceType, findResourceType } from '../schema';
import { locationOf } from './location';
import { RESOURCE_TYPE_SCHEMA } from './message-schemas';

export interface ResourceTypeDocument {
  readonly schemas: readonly [typeof RESOURCE_TYPE_SCHEMA];
  readonly id: string;
  readonly name: string;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  /** Left out when the resource type has no extension, as in RFC 7643 §8.6's Group. */
  readonly schemaExtensions?: readonly { readonly schema: string; readonly required: boolean }[];
  readonly meta: { readonly resourceType: 'ResourceType'; readonly location: string };
}

/** `GET /ResourceTypes`: User (with the enterprise extension, not required) and Group. The caller wraps it in a ListResponse. */
export function resourceTypeDocuments(baseUrl: string): ResourceTypeDocument[] {
  return RESOURCE_TYPES.map((resourceType) => describeResourceType(resourceType, baseUrl));
}

/** `GET /ResourceTypes/{name}`, the name in any case; undefined for one we do not serve (a 404). */
export function resourceTypeDocument(baseUrl: string, name: string): ResourceTypeDocument | undefined {
  const resourceType = findResourceType(name);
  return resourceType === undefined ? undefined : describeResourceType(resourceType, baseUrl);
}

function describeResourceType(resourceType: ResourceType, baseUrl: string): ResourceTypeDocument {
  const extensions = resourceType.schemaExtensions.map((extension) => ({ schema: extension.schema.id, required: extension.required }));
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resourceType.name,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.schema.id,
    ...(extensions.length === 0 ? {} : { schemaExtensions: extensions }),
    meta: { resourceType: 'ResourceType', location: locationOf(baseUrl, 'ResourceTypes', resourceType.name) },
  };
}
