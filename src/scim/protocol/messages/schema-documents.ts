import { AttributeDefinition, AttributeType, Mutability, Returned, SCHEMAS, SchemaDefinition, Uniqueness, findSchema } from '../schema';
import { locationOf } from './location';
import { SCHEMA_SCHEMA } from './message-schemas';

/** An attribute as /Schemas describes it (RFC 7643 §7). Properties without a value are left out, never `null`. */
export interface SchemaAttributeDocument {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly subAttributes?: readonly SchemaAttributeDocument[];
}

export interface SchemaDocument {
  readonly schemas: readonly [typeof SCHEMA_SCHEMA];
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly SchemaAttributeDocument[];
  readonly meta: { readonly resourceType: 'Schema'; readonly location: string };
}

/**
 * `GET /Schemas`: the User, Enterprise User and Group schemas, generated from the registry, so /Schemas lists
 * exactly the attributes we accept and return (trap T45). Common attributes (`id`, `externalId`, `meta`) are not
 * listed, as in RFC 7643 §8.7; our `maxLength` limits are not part of the RFC document either. The caller wraps
 * the array in a ListResponse (Entra requires a list, guide §2.9).
 */
export function schemaDocuments(baseUrl: string): SchemaDocument[] {
  return SCHEMAS.map((schema) => describeSchema(schema, baseUrl));
}

/** `GET /Schemas/{urn}`, the URN in any case; undefined for a schema we do not implement (a 404). */
export function schemaDocument(baseUrl: string, urn: string): SchemaDocument | undefined {
  const schema = findSchema(urn);
  return schema === undefined ? undefined : describeSchema(schema, baseUrl);
}

function describeSchema(schema: SchemaDefinition, baseUrl: string): SchemaDocument {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(describeAttribute),
    meta: { resourceType: 'Schema', location: locationOf(baseUrl, 'Schemas', schema.id) },
  };
}

function describeAttribute(definition: AttributeDefinition): SchemaAttributeDocument {
  return {
    name: definition.name,
    type: definition.type,
    multiValued: definition.multiValued,
    description: definition.description,
    required: definition.required,
    caseExact: definition.caseExact,
    ...(definition.canonicalValues === undefined ? {} : { canonicalValues: [...definition.canonicalValues] }),
    ...(definition.referenceTypes === undefined ? {} : { referenceTypes: [...definition.referenceTypes] }),
    mutability: definition.mutability,
    returned: definition.returned,
    uniqueness: definition.uniqueness,
    ...(definition.subAttributes === undefined ? {} : { subAttributes: definition.subAttributes.map(describeAttribute) }),
  };
}
