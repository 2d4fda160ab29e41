import { normaliseKey } from '../../common/normalise';
import type { UserAddress, UserEmail, UserPhoneNumber } from '../../users/user-contact.entity';
import type { User } from '../../users/user.entity';
import type { CanonicalResource } from '../protocol/resource/read-resource';
import { weakEtag } from '../protocol/messages';
import { ENTERPRISE_USER_SCHEMA_URN, USER_SCHEMA_URN } from '../protocol/schema';

/** A user with the multi-valued attributes SCIM shows. */
export interface ScimUserRecord {
  user: User;
  emails: UserEmail[];
  phoneNumbers: UserPhoneNumber[];
  addresses: UserAddress[];
  /** The teams the user is a member of, shown as the read-only `groups`; absent when not loaded. */
  groups?: readonly ScimUserGroup[];
}

/** A team a user belongs to, as the user's `groups` shows it. */
export interface ScimUserGroup {
  id: string;
  name: string;
}

type ContactFields<T> = Omit<T, 'id' | 'organisationId' | 'userId' | 'position' | 'user'>;

/** What a SCIM write sets: every identity column, and the full lists of contact elements. */
export interface ScimUserWrite {
  columns: Pick<User, ScimUserColumn>;
  emails: ContactFields<UserEmail>[];
  phoneNumbers: ContactFields<UserPhoneNumber>[];
  addresses: ContactFields<UserAddress>[];
}

/** The user columns SCIM owns. Permission fields (role, can*) are the app's and never listed here. */
export type ScimUserColumn =
  | 'userName'
  | 'userNameNormalized'
  | 'externalId'
  | 'displayName'
  | 'givenName'
  | 'familyName'
  | 'nameFormatted'
  | 'middleName'
  | 'honorificPrefix'
  | 'honorificSuffix'
  | 'nickName'
  | 'profileUrl'
  | 'jobTitle'
  | 'userType'
  | 'preferredLanguage'
  | 'locale'
  | 'timezone'
  | 'email'
  | 'emailNormalized'
  | 'phone'
  | 'employeeNumber'
  | 'costCenter'
  | 'organization'
  | 'division'
  | 'department'
  | 'managerId';

type Json = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const object = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(object) : []);

/**
 * A canonical SCIM User (see read-resource.ts) as columns and contact rows. Attributes absent from
 * the resource become null: a PUT replaces the whole user (Okta clears what it leaves out, fixture
 * okta/04). `active` is the exception: absent means "unchanged", and so it is not in `columns`.
 */
export function scimUserWrite(resource: CanonicalResource): ScimUserWrite {
  const name = object(resource.name);
  const enterprise = object(resource[ENTERPRISE_USER_SCHEMA_URN]);
  const emails = list(resource.emails).map((email) => ({
    value: text(email.value) ?? '',
    valueNormalized: normaliseKey(text(email.value) ?? ''),
    type: text(email.type),
    isPrimary: email.primary === true,
    display: text(email.display),
  }));
  const phoneNumbers = list(resource.phoneNumbers).map((phone) => ({
    value: text(phone.value) ?? '',
    type: text(phone.type),
    isPrimary: phone.primary === true,
    display: text(phone.display),
  }));
  const addresses = list(resource.addresses).map((address) => ({
    formatted: text(address.formatted),
    streetAddress: text(address.streetAddress),
    locality: text(address.locality),
    region: text(address.region),
    postalCode: text(address.postalCode),
    country: text(address.country),
    type: text(address.type),
    isPrimary: address.primary === true,
  }));
  const userName = text(resource.userName) ?? '';
  const email = preferred(emails.filter((element) => element.value !== ''))?.value ?? null;

  return {
    columns: {
      userName,
      userNameNormalized: normaliseKey(userName),
      externalId: text(resource.externalId),
      displayName: text(resource.displayName),
      givenName: text(name.givenName),
      familyName: text(name.familyName),
      nameFormatted: text(name.formatted),
      middleName: text(name.middleName),
      honorificPrefix: text(name.honorificPrefix),
      honorificSuffix: text(name.honorificSuffix),
      nickName: text(resource.nickName),
      profileUrl: text(resource.profileUrl),
      jobTitle: text(resource.title),
      userType: text(resource.userType),
      preferredLanguage: text(resource.preferredLanguage),
      locale: text(resource.locale),
      timezone: text(resource.timezone),
      email,
      emailNormalized: email === null ? null : normaliseKey(email),
      phone: preferred(phoneNumbers.filter((element) => element.value !== ''))?.value ?? null,
      employeeNumber: text(enterprise.employeeNumber),
      costCenter: text(enterprise.costCenter),
      organization: text(enterprise.organization),
      division: text(enterprise.division),
      department: text(enterprise.department),
      managerId: text(object(enterprise.manager).value),
    },
    emails: emails.filter((element) => element.value !== ''),
    phoneNumbers: phoneNumbers.filter((element) => element.value !== ''),
    addresses,
  };
}

/** The element the app uses as "the" email or phone: the primary one, else the first. */
function preferred<T extends { isPrimary: boolean }>(elements: T[]): T | undefined {
  return elements.find((element) => element.isPrimary) ?? elements[0];
}

/** Drops null, undefined and empty objects, so unassigned attributes are absent (guide fixtures README). */
function compact(values: Json): Json | undefined {
  // A loop, not entries/filter/fromEntries: this runs a dozen times for every user of a page.
  let kept: Json | undefined;
  for (const name in values) {
    const value = values[name];
    if (value !== null && value !== undefined) (kept ??= {})[name] = value;
  }
  return kept;
}

const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);

/** The full SCIM User for a stored user: what GET returns before `attributes` projection. */
export function toScimUser(record: ScimUserRecord, location: string): Json {
  const { user } = record;
  const enterprise = compact({
    employeeNumber: user.employeeNumber,
    costCenter: user.costCenter,
    organization: user.organization,
    division: user.division,
    department: user.department,
    // Always an object inside the extension: Entra cannot read a bare string (guide Q10).
    manager: user.managerId ? { value: user.managerId } : undefined,
  });
  const resource = compact({
    schemas: enterprise ? [USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN] : [USER_SCHEMA_URN],
    id: user.id,
    externalId: user.externalId,
    userName: user.userName,
    name: compact({
      formatted: user.nameFormatted,
      familyName: user.familyName,
      givenName: user.givenName,
      middleName: user.middleName,
      honorificPrefix: user.honorificPrefix,
      honorificSuffix: user.honorificSuffix,
    }),
    displayName: user.displayName,
    nickName: user.nickName,
    profileUrl: user.profileUrl,
    title: user.jobTitle,
    userType: user.userType,
    preferredLanguage: user.preferredLanguage,
    locale: user.locale,
    timezone: user.timezone,
    active: user.active,
    emails: nonEmpty(
      record.emails.map((email) =>
        compact({ value: email.value, display: email.display, type: email.type, primary: email.isPrimary || undefined }),
      ),
    ),
    phoneNumbers: nonEmpty(
      record.phoneNumbers.map((phone) =>
        compact({ value: phone.value, display: phone.display, type: phone.type, primary: phone.isPrimary || undefined }),
      ),
    ),
    addresses: nonEmpty(
      record.addresses
        .map((address) =>
          compact({
            formatted: address.formatted,
            streetAddress: address.streetAddress,
            locality: address.locality,
            region: address.region,
            postalCode: address.postalCode,
            country: address.country,
            type: address.type,
            primary: address.isPrimary || undefined,
          }),
        )
        .filter((address) => address !== undefined),
    ),
    groups: nonEmpty((record.groups ?? []).map((group) => groupOf(group, location))),
    [ENTERPRISE_USER_SCHEMA_URN]: enterprise,
    meta: {
      resourceType: 'User',
      created: isoTimestamp(user.createdAt),
      lastModified: isoTimestamp(user.updatedAt),
      location,
      version: weakEtag(user.version),
    },
  });
  return resource ?? {};
}

/**
 * `date.toISOString()`, about three times cheaper for the years stored timestamps have (1000–9999): V8's own
 * formats through the runtime, and with two per user it was the largest single cost of a page of 100 users. Other
 * years and invalid dates (toISOString throws) are left to toISOString.
 */
function isoTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  const ms = date.getUTCMilliseconds();
  const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
  return `${year}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}T${time}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}

/**
 * One element of `groups`: every membership is direct, as teams do not nest. `$ref` is the group's URL beside the
 * user's own `location` (`<tenant URL>/Users/<id>`); without a location there is none.
 */
function groupOf(group: ScimUserGroup, location: string): Json {
  const usersAt = location.lastIndexOf('/Users/');
  const $ref = usersAt < 0 ? undefined : `${location.slice(0, usersAt)}/Groups/${group.id}`;
  return { value: group.id, display: group.name, ...($ref === undefined ? {} : { $ref }), type: 'direct' };
}
