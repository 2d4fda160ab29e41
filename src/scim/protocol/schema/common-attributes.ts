import { AttributeDefinition, attribute, defineAttributes } from './attribute-definition';

/**
 * The attributes every resource carries (RFC 7643 §3.1). They belong to no schema: they resolve under the resource
 * type's core schema URN (`urn:…:core:2.0:User:id` works) but are not listed in /Schemas, as RFC 7643 §3.1 and
 * §8.7 have it.
 *
 * `required` is false for all three: `required` drives input checks, and a client never sends `id` or `meta`.
 */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = defineAttributes('common attributes', [
  attribute('id', 'Unique identifier of the resource, issued by this service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', "Identifier of the resource in the provisioning client's own system.", {
    caseExact: true,
    maxLength: 255,
  }),
  attribute('meta', 'Resource metadata maintained by the service provider.', {
    type: 'complex',
    mutability: 'readOnly',
    subAttributes: [
      // `always`, by our choice (guide §4.8), so that every projected resource still says what it is.
      attribute('resourceType', 'Name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
        returned: 'always',
      }),
      attribute('created', 'When the resource was added to the service provider.', { type: 'dateTime', mutability: 'readOnly' }),
      attribute('lastModified', 'When the resource was last changed.', { type: 'dateTime', mutability: 'readOnly' }),
      attribute('location', 'URI of the resource.', { type: 'reference', referenceTypes: ['uri'], mutability: 'readOnly' }),
      attribute('version', 'Version of the resource, as in its ETag.', { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
]);
