import { AttributeDefinition, attribute, defineSchema } from './attribute-definition';

export const USER_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

const SHORT_TEXT = 255;
const TYPE_TEXT = 64;

/** `value`, `display`, `type`, `primary`: the shape RFC 7643 §2.4 gives multi-valued attributes such as emails. */
function multiValuedSubAttributes(
  what: string,
  value: { description: string; maxLength: number },
  canonicalTypes: readonly string[],
): AttributeDefinition[] {
  return [
    attribute('value', value.description, { maxLength: value.maxLength }),
    attribute('display', `Human-readable form of the ${what}, for display only.`, { maxLength: SHORT_TEXT }),
    attribute('type', `Kind of ${what}, e.g. ${canonicalTypes.map((type) => `"${type}"`).join(', ')}.`, {
      canonicalValues: canonicalTypes,
      maxLength: TYPE_TEXT,
    }),
    attribute('primary', `Whether this is the preferred ${what}; at most one element is primary.`, { type: 'boolean' }),
  ];
}

/**
 * The core User schema (RFC 7643 §4.1), limited to what we store and return.
 *
 * Left out on purpose, because we will not store them: `ims`, `photos`, `entitlements` (Entra does not support it
 * either), `roles` (Entra's app roles arrive there; they are accepted and ignored, guide Q20) and `x509Certificates`.
 * Listing them would make the SCIM Validator test attributes we drop (trap T45); clients that send them get them
 * ignored (guide §4.9).
 *
 * `maxLength` values are our own input limits, sized to the storage columns.
 */
export const USER_SCHEMA = defineSchema({
  id: USER_SCHEMA_URN,
  name: 'User',
  description: 'User account',
  attributes: [
    attribute('userName', 'Unique identifier of the user for sign-in, e.g. the Entra userPrincipalName or the Okta login.', {
      required: true,
      uniqueness: 'server',
      maxLength: SHORT_TEXT,
    }),
    attribute('name', "Components of the user's name.", {
      type: 'complex',
      subAttributes: [
        attribute('formatted', 'Full name, formatted for display.', { maxLength: 512 }),
        attribute('familyName', 'Family name (last name in most Western languages).', { maxLength: SHORT_TEXT }),
        attribute('givenName', 'Given name (first name in most Western languages).', { maxLength: SHORT_TEXT }),
        attribute('middleName', 'Middle name(s).', { maxLength: SHORT_TEXT }),
        attribute('honorificPrefix', 'Honorific prefix, e.g. "Ms.".', { maxLength: SHORT_TEXT }),
        attribute('honorificSuffix', 'Honorific suffix, e.g. "III".', { maxLength: SHORT_TEXT }),
      ],
    }),
    attribute('displayName', 'Name of the user, suitable for display.', { maxLength: SHORT_TEXT }),
    attribute('nickName', 'Casual name of the user.', { maxLength: SHORT_TEXT }),
    attribute('profileUrl', "URL of the user's online profile.", { type: 'reference', referenceTypes: ['external'], maxLength: 2048 }),
    attribute('title', "The user's job title.", { maxLength: SHORT_TEXT }),
    attribute('userType', 'Relationship of the user to the organisation, e.g. "Employee" or "Contractor".', { maxLength: SHORT_TEXT }),
    attribute('preferredLanguage', "The user's preferred written or spoken language, as in HTTP Accept-Language.", {
      maxLength: SHORT_TEXT,
    }),
    attribute('locale', 'The user\'s default location for localising dates, numbers and currency, e.g. "en-US".', { maxLength: TYPE_TEXT }),
    attribute('timezone', 'Time zone of the user, as an IANA time zone name, e.g. "Europe/Berlin".', { maxLength: TYPE_TEXT }),
    attribute('active', 'Whether the user may use the service.', { type: 'boolean' }),
    attribute('password', 'Password of the user; accepted on input, never returned.', {
      mutability: 'writeOnly',
      returned: 'never',
      maxLength: 256,
    }),
    attribute('emails', 'Email addresses of the user.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedSubAttributes('email address', { description: 'Email address.', maxLength: 320 }, [
        'work',
        'home',
        'other',
      ]),
    }),
    attribute('phoneNumbers', 'Phone numbers of the user.', {
      type: 'complex',
      multiValued: true,
      subAttributes: multiValuedSubAttributes('phone number', { description: 'Phone number, stored as sent.', maxLength: 128 }, [
        'work',
        'home',
        'mobile',
        'fax',
        'pager',
        'other',
      ]),
    }),
    attribute('addresses', 'Physical mailing addresses of the user.', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attribute('formatted', 'Full mailing address, formatted for display.', { maxLength: 1024 }),
        attribute('streetAddress', 'Street address, possibly over several lines.', { maxLength: 512 }),
        attribute('locality', 'City or locality.', { maxLength: SHORT_TEXT }),
        attribute('region', 'State or region.', { maxLength: SHORT_TEXT }),
        attribute('postalCode', 'Postal code.', { maxLength: TYPE_TEXT }),
        attribute('country', 'Country, stored as sent (ISO 3166-1 alpha-2 recommended).', { maxLength: SHORT_TEXT }),
        attribute('type', 'Kind of address, e.g. "work".', { canonicalValues: ['work', 'home', 'other'], maxLength: TYPE_TEXT }),
        attribute('primary', 'Whether this is the preferred address; at most one element is primary.', { type: 'boolean' }),
      ],
    }),
    attribute('groups', 'Groups the user belongs to, derived from group membership; change them through the Group resource.', {
      type: 'complex',
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        // Holds a group `id`, and ids are case-exact (RFC 7643 §3.1), so the reference to one is too.
        attribute('value', 'Identifier of the group.', { caseExact: true, mutability: 'readOnly' }),
        attribute('$ref', 'URI of the group.', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'readOnly' }),
        attribute('display', 'Display name of the group.', { mutability: 'readOnly' }),
        attribute('type', 'How the user is a member: "direct" or "indirect".', {
          canonicalValues: ['direct', 'indirect'],
          mutability: 'readOnly',
        }),
      ],
    }),
  ],
});
