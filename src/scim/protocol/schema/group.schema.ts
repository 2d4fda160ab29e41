import { attribute, defineSchema } from './attribute-definition';

export const GROUP_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** The core Group schema (RFC 7643 §4.2), complete. */
export const GROUP_SCHEMA = defineSchema({
  id: GROUP_SCHEMA_URN,
  name: 'Group',
  description: 'Group',
  attributes: [
    // Unique per organisation, case-insensitively: Entra matches groups on it (guide §1.6), so we say `server`
    // where RFC 7643 §8.7.1 says `none`.
    attribute('displayName', 'Name of the group, suitable for display; unique among the groups of an organisation.', {
      required: true,
      uniqueness: 'server',
      maxLength: 255,
    }),
    attribute('members', 'Members of the group; added and removed as whole elements.', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        // A member's `id`; case-exact like every id (RFC 7643 §3.1).
        attribute('value', 'Identifier (id) of the member, a user or group of this service provider.', {
          caseExact: true,
          mutability: 'immutable',
          maxLength: 255,
        }),
        attribute('$ref', 'URI of the member.', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'immutable' }),
        attribute('display', 'Display name of the member.', { mutability: 'immutable' }),
        attribute('type', 'Resource type of the member: "User" or "Group".', {
          canonicalValues: ['User', 'Group'],
          mutability: 'immutable',
        }),
      ],
    }),
  ],
});
