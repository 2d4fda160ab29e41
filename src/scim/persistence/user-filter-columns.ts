import { ENTERPRISE_USER_SCHEMA_URN, USER_RESOURCE_TYPE } from '../protocol/schema';
import { ChildTableDeclaration, ColumnDeclaration, defineFilterMap, nullableColumn, requiredColumn } from './filter-map';

/**
 * Where each filterable User attribute lives: the `users` row (src/users/user.entity.ts) and one child table per
 * multi-valued attribute (src/users/user-contact.entity.ts). Anything not listed here (`password`, `groups`,
 * `meta.version`, `emails.$ref`, …) is refused with 400 invalidFilter.
 */

/** Columns every contact element table shares. */
const elementColumns = {
  type: nullableColumn('type'),
  primary: requiredColumn('isPrimary'),
} satisfies Record<string, ColumnDeclaration>;

/** Every contact table keeps its user's organisation, and IX_user_emails_org_value starts with it. */
const childTable = (table: string, alias: string): ChildTableDeclaration => ({
  table,
  parentColumn: 'userId',
  alias,
  sharedColumn: 'organisationId',
});

const enterprise = (name: string): string => `${ENTERPRISE_USER_SCHEMA_URN}:${name}`;

export const USER_FILTER_MAP = defineFilterMap({
  resourceType: USER_RESOURCE_TYPE,
  idColumn: 'id',
  defaultSortBy: 'meta.created',
  attributes: {
    id: { kind: 'column', column: requiredColumn('id') },
    externalId: { kind: 'column', column: nullableColumn('externalId') },
    meta: {
      kind: 'complex',
      subAttributes: { created: requiredColumn('createdAt'), lastModified: requiredColumn('updatedAt') },
    },
    userName: { kind: 'column', column: requiredColumn('userName', { normalizedColumn: 'userNameNormalized' }) },
    name: {
      kind: 'complex',
      subAttributes: {
        formatted: nullableColumn('nameFormatted'),
        familyName: nullableColumn('familyName'),
        givenName: nullableColumn('givenName'),
        middleName: nullableColumn('middleName'),
        honorificPrefix: nullableColumn('honorificPrefix'),
        honorificSuffix: nullableColumn('honorificSuffix'),
      },
    },
    displayName: { kind: 'column', column: nullableColumn('displayName') },
    nickName: { kind: 'column', column: nullableColumn('nickName') },
    profileUrl: { kind: 'column', column: nullableColumn('profileUrl') },
    title: { kind: 'column', column: nullableColumn('jobTitle') },
    userType: { kind: 'column', column: nullableColumn('userType') },
    preferredLanguage: { kind: 'column', column: nullableColumn('preferredLanguage') },
    locale: { kind: 'column', column: nullableColumn('locale') },
    timezone: { kind: 'column', column: nullableColumn('timezone') },
    active: { kind: 'column', column: requiredColumn('active') },
    emails: {
      kind: 'multiValued',
      table: childTable('user_emails', 'email'),
      subAttributes: {
        value: requiredColumn('value', { normalizedColumn: 'valueNormalized' }),
        display: nullableColumn('display'),
        ...elementColumns,
      },
    },
    phoneNumbers: {
      kind: 'multiValued',
      table: childTable('user_phone_numbers', 'phone'),
      subAttributes: { value: requiredColumn('value'), display: nullableColumn('display'), ...elementColumns },
    },
    addresses: {
      kind: 'multiValued',
      table: childTable('user_addresses', 'address'),
      subAttributes: {
        formatted: nullableColumn('formatted'),
        streetAddress: nullableColumn('streetAddress'),
        locality: nullableColumn('locality'),
        region: nullableColumn('region'),
        postalCode: nullableColumn('postalCode'),
        country: nullableColumn('country'),
        ...elementColumns,
      },
    },
    [enterprise('employeeNumber')]: { kind: 'column', column: nullableColumn('employeeNumber') },
    [enterprise('costCenter')]: { kind: 'column', column: nullableColumn('costCenter') },
    [enterprise('organization')]: { kind: 'column', column: nullableColumn('organization') },
    [enterprise('division')]: { kind: 'column', column: nullableColumn('division') },
    [enterprise('department')]: { kind: 'column', column: nullableColumn('department') },
    // Only the id is stored; the manager's displayName is looked up, and $ref is derived from the id.
    [enterprise('manager')]: { kind: 'complex', subAttributes: { value: nullableColumn('managerId') } },
  },
});
