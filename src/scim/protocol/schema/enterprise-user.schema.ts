import { attribute, defineSchema } from './attribute-definition';

export const ENTERPRISE_USER_SCHEMA_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const SHORT_TEXT = 255;

/** The Enterprise User extension (RFC 7643 §4.3), complete. */
export const ENTERPRISE_USER_SCHEMA = defineSchema({
  id: ENTERPRISE_USER_SCHEMA_URN,
  name: 'EnterpriseUser',
  description: 'Enterprise user',
  attributes: [
    attribute('employeeNumber', 'Identifier of the user within the organisation, e.g. the Entra employeeId.', { maxLength: SHORT_TEXT }),
    attribute('costCenter', 'Cost center of the user.', { maxLength: SHORT_TEXT }),
    attribute('organization', 'Organisation the user belongs to.', { maxLength: SHORT_TEXT }),
    attribute('division', 'Division the user belongs to.', { maxLength: SHORT_TEXT }),
    attribute('department', 'Department the user belongs to.', { maxLength: SHORT_TEXT }),
    attribute('manager', "The user's manager.", {
      type: 'complex',
      subAttributes: [
        // The manager's `id`; case-exact like every id (RFC 7643 §3.1). Unknown ids are accepted (guide Q10).
        attribute('value', 'Identifier (id) of the manager, a user of this service provider.', { caseExact: true, maxLength: SHORT_TEXT }),
        attribute('$ref', 'URI of the manager.', { type: 'reference', referenceTypes: ['User'], maxLength: 2048 }),
        attribute('displayName', 'Display name of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
});
