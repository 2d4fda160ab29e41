import { randomUUID } from 'node:crypto';
import { normaliseKey } from '../../src/common/normalise';
import { rowsAdded } from '../../src/organisations/organisation-row-counts';
import { compileFilter } from '../../src/scim/persistence/compile-filter';
import { compileSort } from '../../src/scim/persistence/compile-sort';
import type { SqlDialect } from '../../src/scim/persistence/sql-dialect';
import { USER_FILTER_MAP } from '../../src/scim/persistence/user-filter-columns';
import { type AttributePath, evaluateFilter, parseFilter } from '../../src/scim/protocol/filter';
import { ENTERPRISE_USER_SCHEMA_URN, USER_RESOURCE_TYPE, USER_SCHEMA_URN } from '../../src/scim/protocol/schema';
import { UserAddress, UserEmail, UserPhoneNumber } from '../../src/users/user-contact.entity';
import { User } from '../../src/users/user.entity';
import { createTestApp, type TestApp } from './harness/test-app';

/**
 * The filter compiler against the in-memory evaluator: users with awkward data (mixed case, NULLs, empty and
 * whitespace-only strings, trailing spaces, LIKE and GLOB wildcards, backslashes, non-ASCII, several elements per
 * multi-valued attribute) are written straight into the tables, then every filter runs as SQL through TypeORM and
 * through evaluateFilter over the same users as SCIM JSON. Both must select the same users, in both organisations,
 * on whichever database the suite runs on. Each case also names the users it should match in Acme, so the two
 * cannot agree on a wrong answer unnoticed.
 */

type Org = 'acme' | 'globex';

interface SeedUser {
  readonly key: string;
  readonly org: Org;
  readonly fields: Partial<User> & { userName: string; createdAt: Date };
  readonly emails?: readonly { value: string; type?: string; primary?: boolean; display?: string }[];
  readonly phones?: readonly { value: string; type?: string; primary?: boolean; display?: string }[];
  readonly addresses?: readonly Partial<
    Pick<UserAddress, 'type' | 'isPrimary' | 'formatted' | 'streetAddress' | 'locality' | 'region' | 'postalCode' | 'country'>
  >[];
}

const at = (iso: string) => new Date(iso);

/** Ids are fixed before seeding so that managers can point at them. */
const ids = {
  ann: randomUUID(),
  ravi: randomUUID(),
};

function seedUsers(): SeedUser[] {
  return [
    {
      key: 'ann',
      org: 'acme',
      fields: {
        id: ids.ann,
        userName: 'Ann.Lee@Contoso-Test.example',
        displayName: 'Ann Lee',
        givenName: 'Ann',
        familyName: 'Lee',
        nameFormatted: 'Ann Lee',
        jobTitle: 'Desk Lead',
        externalId: 'ac115525-e73a-47b9-8437-3ba2bd2ac4cf',
        department: 'Facilities',
        employeeNumber: 'E-10442',
        costCenter: 'CC-1',
        organization: 'Contoso',
        division: 'Ops',
        managerId: ids.ravi,
        userType: 'Employee',
        preferredLanguage: 'en-GB',
        locale: 'en-GB',
        timezone: 'Europe/London',
        profileUrl: 'https://profiles.example/ann',
        createdAt: at('2025-01-02T08:00:00.000Z'),
        updatedAt: at('2025-03-04T09:15:27.123Z'),
      },
      emails: [
        { value: 'ann.lee@contoso-test.example', type: 'work', primary: true },
        { value: 'Ann@Home.example', type: 'home' },
      ],
      phones: [
        { value: '+44 20 7946 0001', type: 'work', primary: true },
        { value: '+44 7700 900001', type: 'mobile' },
      ],
      addresses: [
        {
          type: 'work',
          isPrimary: true,
          formatted: '12 Harbour Road\nSpringfield',
          streetAddress: '12 Harbour Road',
          locality: 'Springfield',
          region: 'Kent',
          postalCode: '40101',
          country: 'GB',
        },
      ],
    },
    {
      key: 'ravi',
      org: 'acme',
      fields: {
        id: ids.ravi,
        userName: 'ravi.patel@contoso-test.example',
        displayName: 'Ravi Patel',
        givenName: 'Ravi',
        familyName: 'Patel',
        jobTitle: 'desk lead',
        externalId: 'AC115525-E73A-47B9-8437-3BA2BD2AC4CF',
        department: 'facilities',
        createdAt: at('2025-02-10T12:30:00.000Z'),
      },
      emails: [
        { value: 'RAVI.PATEL@contoso-test.example', type: 'work' },
        { value: 'ravi@personal.example', type: 'other', primary: true },
      ],
      addresses: [
        { type: 'home', locality: 'Shelbyville', country: 'GB' },
        { type: 'work', postalCode: '40102' },
      ],
    },
    {
      key: 'chloe',
      org: 'acme',
      fields: {
        userName: 'chloe@contoso-test.example',
        displayName: 'CONTOSO\\chloe',
        givenName: 'Chloé',
        familyName: 'Dubois',
        active: false,
        createdAt: at('2025-03-04T09:15:27.000Z'),
      },
      emails: [{ value: 'chloe@contoso-test.example', display: 'Chloé D.' }],
    },
    {
      key: 'dan',
      org: 'acme',
      fields: {
        userName: 'dan@contoso-test.example',
        displayName: '   ',
        jobTitle: '',
        nickName: 'Dan ',
        givenName: 'Dan',
        managerId: ids.ann.toUpperCase(),
        createdAt: at('2025-04-01T00:00:00.000Z'),
      },
      emails: [
        { value: 'dan@contoso-test.example', type: 'work', primary: true },
        { value: 'dan_100%@example.com', type: 'other' },
      ],
      phones: [{ value: '555-0100', type: 'fax' }],
    },
    {
      key: 'eve',
      org: 'acme',
      fields: {
        userName: 'Eve!50%_off@contoso-test.example',
        displayName: '50% off_sale!',
        jobTitle: 'Facilities Coordinator',
        employeeNumber: 'E-2',
        managerId: ids.ann,
        createdAt: at('2025-05-05T05:05:05.555Z'),
      },
      emails: [{ value: 'eve@contoso-test.example', type: 'work', primary: true, display: 'Eve' }],
      addresses: [
        { type: 'work', isPrimary: true, locality: 'Springfield', country: 'US' },
        { type: 'home', locality: 'Capital City', country: 'US' },
      ],
    },
    {
      key: 'frank',
      org: 'acme',
      fields: {
        userName: 'frank@contoso-test.example',
        displayName: "x' OR 1=1 --",
        jobTitle: 'Desk Lead',
        active: false,
        externalId: 'frank-ext',
        createdAt: at('2025-06-30T23:59:59.999Z'),
      },
      phones: [
        { value: '+1 555 0101', type: 'work', primary: true },
        { value: '+1 555 0102', type: 'mobile', display: 'Mobile' },
      ],
    },
    {
      key: 'grace',
      org: 'acme',
      fields: {
        userName: 'ÉLODIE.Grace@contoso-test.example',
        displayName: 'Élodie Grace',
        givenName: 'Élodie',
        honorificPrefix: 'Dr.',
        jobTitle: 'Engineer',
        userType: 'Contractor',
        createdAt: at('2025-01-02T08:00:00.000Z'),
      },
      emails: [{ value: 'Élodie@Contoso-Test.example', type: 'work', primary: true }],
    },
    {
      key: 'hiro',
      org: 'acme',
      fields: {
        userName: 'hiro@contoso-test.example',
        displayName: 'Hiro Tanaka ',
        jobTitle: 'Engineer',
        employeeNumber: 'E-10443',
        costCenter: 'CC-2',
        createdAt: at('2025-07-01T00:00:00.000Z'),
      },
      emails: [{ value: 'hiro@contoso-test.example', type: 'WORK', primary: true }],
    },
    { key: 'ivy', org: 'acme', fields: { userName: 'ivy@contoso-test.example', createdAt: at('2025-08-01T00:00:00.000Z') } },
    {
      key: 'jon',
      org: 'acme',
      fields: {
        userName: 'jon@contoso-test.example',
        externalId: 'ext-[*?]',
        displayName: 'Jon [Ops]*?',
        jobTitle: 'Desk lead ',
        createdAt: at('2025-09-01T00:00:00.000Z'),
      },
      emails: [{ value: 'jon@contoso-test.example', type: 'home' }],
      addresses: [{ locality: 'springfield', country: 'gb' }],
    },
    // Globex holds near-copies of Acme's users: nothing of it may ever show up in Acme's results.
    {
      key: 'g-ann',
      org: 'globex',
      fields: {
        userName: 'ann.lee@contoso-test.example',
        displayName: 'Ann Lee',
        externalId: 'ac115525-e73a-47b9-8437-3ba2bd2ac4cf',
        department: 'Facilities',
        createdAt: at('2025-01-02T08:00:00.000Z'),
      },
      emails: [{ value: 'ann.lee@contoso-test.example', type: 'work', primary: true }],
    },
    {
      key: 'g-kim',
      org: 'globex',
      fields: {
        userName: 'kim@globex.example',
        displayName: 'Kim',
        jobTitle: 'Desk Lead',
        active: false,
        managerId: ids.ann,
        createdAt: at('2025-02-01T00:00:00Z'),
      },
      emails: [{ value: 'kim@globex.example', type: 'work', primary: true }],
    },
    {
      key: 'g-lou',
      org: 'globex',
      fields: { userName: 'lou@globex.example', createdAt: at('2025-03-04T09:15:27.000Z') },
      addresses: [{ type: 'work', locality: 'Springfield' }],
    },
    {
      key: 'g-max',
      org: 'globex',
      fields: { userName: 'max@globex.example', displayName: 'Max', createdAt: at('2025-04-01T00:00:00Z') },
      phones: [{ value: '+44 20 7946 0001', type: 'work' }],
    },
    { key: 'g-ned', org: 'globex', fields: { userName: 'ned@globex.example', displayName: 'Ned', createdAt: at('2025-05-01T00:00:00Z') } },
  ];
}

interface FilterCase {
  readonly filter: string;
  /** Acme users the filter selects; `admin` is the administrator createOrganisation makes. */
  readonly acme: readonly string[];
  /**
   * The filter the evaluator gets instead, where it knowingly differs from the compiler: it does not turn
   * "True"/"False" into booleans for boolean attributes (guide Q2), so it is given the booleans.
   */
  readonly evaluatorFilter?: string;
}

const ALL_ACME = ['admin', 'ann', 'chloe', 'dan', 'eve', 'frank', 'grace', 'hiro', 'ivy', 'jon', 'ravi'];
const except = (...keys: string[]) => ALL_ACME.filter((key) => !keys.includes(key));
const ENTERPRISE = ENTERPRISE_USER_SCHEMA_URN;

function filterCases(): FilterCase[] {
  return [
    // userName: case-insensitive through the normalised column, also for non-ASCII (Q17, T12)
    { filter: 'userName eq "ANN.LEE@contoso-test.example"', acme: ['ann'] },
    { filter: 'UserName EQ "ravi.patel@CONTOSO-TEST.example"', acme: ['ravi'] },
    { filter: `${USER_SCHEMA_URN}:userName eq "chloe@contoso-test.example"`, acme: ['chloe'] },
    { filter: 'userName eq "élodie.grace@contoso-test.example"', acme: ['grace'] },
    { filter: 'userName eq "7889f347-f660-4132-ac38-401c5fd3def4"', acme: [] },
    { filter: 'userName sw "eve!50%_off"', acme: ['eve'] },
    // injection attempts stay values
    { filter: 'userName eq "x\' OR 1=1 --"', acme: [] },
    { filter: 'displayName eq "x\' OR 1=1 --"', acme: ['frank'] },
    // ids and externalId are case-exact
    { filter: 'externalId eq "ac115525-e73a-47b9-8437-3ba2bd2ac4cf"', acme: ['ann'] },
    { filter: 'externalId eq "AC115525-E73A-47B9-8437-3BA2BD2AC4CF" and active eq true', acme: ['ravi'] },
    { filter: `id eq "${ids.ann}"`, acme: ['ann'] },
    { filter: `id eq "${ids.ann.toUpperCase()}"`, acme: [] },
    { filter: 'externalId sw "AC115525"', acme: ['ravi'] },
    { filter: 'externalId ew "-3ba2bd2ac4cf"', acme: ['ann'] },
    { filter: 'externalId co "[*?]"', acme: ['jon'] },
    // LIKE wildcards and backslashes are literal (T1, T14)
    { filter: 'displayName co "_"', acme: ['eve'] },
    { filter: 'displayName co "50%_"', acme: [] },
    { filter: 'displayName co "off_sale!"', acme: ['eve'] },
    { filter: 'displayName co "]*?"', acme: ['jon'] },
    { filter: 'displayName eq "CONTOSO\\\\chloe"', acme: ['chloe'] },
    { filter: 'displayName co "\\\\"', acme: ['chloe'] },
    { filter: 'emails.value co "%"', acme: ['dan'] },
    // trailing spaces, blanks and empty strings count (MariaDB's PAD SPACE collation must not hide them)
    { filter: 'displayName eq "hiro tanaka"', acme: [] },
    { filter: 'displayName eq "Hiro Tanaka "', acme: ['hiro'] },
    { filter: 'displayName eq ""', acme: [] },
    { filter: 'displayName eq "   "', acme: ['dan'] },
    { filter: 'title eq ""', acme: ['dan'] },
    { filter: 'nickName eq "dan"', acme: [] },
    { filter: 'nickName sw "dan"', acme: ['dan'] },
    // presence, null and negation (T16)
    { filter: 'displayName pr', acme: except('ivy') },
    { filter: 'displayName eq null', acme: ['ivy'] },
    { filter: 'displayName ne null', acme: except('ivy') },
    { filter: 'title pr', acme: ['ann', 'eve', 'frank', 'grace', 'hiro', 'jon', 'ravi'] },
    { filter: 'not (title pr)', acme: ['admin', 'chloe', 'dan', 'ivy'] },
    { filter: 'title eq "desk lead"', acme: ['ann', 'frank', 'ravi'] },
    { filter: 'title ne "desk lead"', acme: except('ann', 'frank', 'ravi') },
    { filter: 'not (title eq "Desk Lead")', acme: except('ann', 'frank', 'ravi') },
    // precedence and grouping (T2, T4)
    { filter: 'title eq "engineer" or title eq "desk lead" and active eq false', acme: ['frank', 'grace', 'hiro'] },
    { filter: '(title eq "engineer" or title eq "desk lead") and active eq false', acme: ['frank'] },
    {
      filter:
        'title eq "engineer" or (department eq "facilities" and not (externalId eq "ac115525-e73a-47b9-8437-3ba2bd2ac4cf")) or emails.value eq "jon@contoso-test.example"',
      acme: ['grace', 'hiro', 'jon', 'ravi'],
    },
    { filter: 'not (not (active eq true) or title pr)', acme: ['admin', 'dan', 'ivy'] },
    // booleans, with Entra's string forms (Q2)
    { filter: 'active eq "False"', acme: ['chloe', 'frank'], evaluatorFilter: 'active eq false' },
    { filter: 'active ne true', acme: ['chloe', 'frank'] },
    { filter: 'Active Eq "TRUE" and active pr', acme: except('chloe', 'frank'), evaluatorFilter: 'active eq true and active pr' },
    // dateTime as instants (T17)
    { filter: 'meta.created gt "2025-03-04T09:15:27Z"', acme: ['admin', 'dan', 'eve', 'frank', 'hiro', 'ivy', 'jon'] },
    { filter: 'meta.created eq "2025-03-04T10:15:27+01:00"', acme: ['chloe'] },
    { filter: 'meta.created ge "2025-03-04T10:15:27+01:00" and meta.created lt "2025-06-30T23:59:59.999Z"', acme: ['chloe', 'dan', 'eve'] },
    { filter: 'meta.lastModified le "2025-02-10T12:30:00Z"', acme: ['grace', 'ravi'] },
    { filter: 'meta.lastModified eq "2025-03-04T09:15:27.123Z"', acme: ['ann'] },
    // ordering of strings, case-insensitively
    { filter: 'displayName gt "r"', acme: ['frank', 'grace', 'ravi'] },
    { filter: 'title lt "E"', acme: ['ann', 'dan', 'frank', 'jon', 'ravi'] },
    // complex single-valued attributes
    { filter: 'name.givenName sw "a"', acme: ['ann'] },
    { filter: 'name.givenName eq "CHLOÉ"', acme: ['chloe'] },
    { filter: 'name.familyName pr', acme: ['ann', 'chloe', 'ravi'] },
    { filter: 'name pr', acme: ['ann', 'chloe', 'dan', 'grace', 'ravi'] },
    { filter: 'name.honorificPrefix pr or userType eq "contractor"', acme: ['grace'] },
    { filter: 'name[givenName eq "dan" and familyName eq null]', acme: ['dan'] },
    { filter: 'not (name[familyName ne "Lee"])', acme: ['admin', 'ann', 'eve', 'frank', 'hiro', 'ivy', 'jon'] },
    // enterprise extension, qualified or not, in any case
    { filter: `${ENTERPRISE}:department eq "Facilities"`, acme: ['ann', 'ravi'] },
    { filter: 'department eq "facilities"', acme: ['ann', 'ravi'] },
    { filter: `${ENTERPRISE.toUpperCase()}:employeeNumber sw "E-1044"`, acme: ['ann', 'hiro'] },
    { filter: 'organization eq "contoso" and division eq "OPS" and costCenter eq "cc-1"', acme: ['ann'] },
    { filter: `manager eq "${ids.ann}"`, acme: ['eve'] },
    { filter: `${ENTERPRISE}:manager.value eq "${ids.ann.toUpperCase()}"`, acme: ['dan'] },
    { filter: 'manager pr', acme: ['ann', 'dan', 'eve'] },
    // other core strings
    { filter: 'profileUrl co "profiles.example"', acme: ['ann'] },
    { filter: 'preferredLanguage eq "EN-gb" and locale pr and timezone ew "london"', acme: ['ann'] },
    // emails: any element, the same element inside brackets (Q18, T2)
    { filter: 'emails[type eq "work"].value eq "ann.lee@CONTOSO-test.example"', acme: ['ann'] },
    { filter: 'emails[type eq "work"].value eq "ravi@personal.example"', acme: [] },
    { filter: 'emails[type eq "work" and value co "@contoso"]', acme: ['ann', 'dan', 'eve', 'grace', 'hiro', 'ravi'] },
    { filter: 'emails co "@HOME.example"', acme: ['ann'] },
    { filter: 'emails pr', acme: except('frank', 'ivy') },
    { filter: 'not (emails[type eq "work"])', acme: ['chloe', 'frank', 'ivy', 'jon'] },
    { filter: 'emails[not (type eq "work")]', acme: ['ann', 'chloe', 'dan', 'jon', 'ravi'] },
    { filter: 'emails.type ne "work"', acme: ['ann', 'chloe', 'dan', 'frank', 'ivy', 'jon', 'ravi'] },
    { filter: 'emails[primary eq true and type eq "other"]', acme: ['ravi'] },
    {
      filter: 'emails[primary eq "True"]',
      acme: ['admin', 'ann', 'dan', 'eve', 'grace', 'hiro', 'ravi'],
      evaluatorFilter: 'emails[primary eq true]',
    },
    { filter: 'emails.display pr', acme: ['chloe', 'eve'] },
    { filter: 'emails[value ew ".example" and not (primary eq true)]', acme: ['ann', 'chloe', 'jon', 'ravi'] },
    {
      filter: 'emails[type eq "work"] and not (emails[type eq "home"]) and active eq true',
      acme: ['admin', 'dan', 'eve', 'grace', 'hiro', 'ravi'],
    },
    // phone numbers and addresses
    { filter: 'phoneNumbers[type eq "work"].value eq "+44 20 7946 0001"', acme: ['ann'] },
    { filter: 'phoneNumbers.value sw "+1 555"', acme: ['frank'] },
    { filter: 'phoneNumbers[type eq "mobile" and display pr]', acme: ['frank'] },
    { filter: 'addresses[type eq "work" and locality eq "springfield"]', acme: ['ann', 'eve'] },
    { filter: 'addresses.locality ne "Shelbyville"', acme: except('ravi') },
    { filter: 'addresses[locality ne "Shelbyville"]', acme: ['ann', 'eve', 'jon', 'ravi'] },
    { filter: 'addresses.postalCode pr and addresses.country eq "GB"', acme: ['ann', 'ravi'] },
    { filter: 'addresses[postalCode pr and country eq "GB"]', acme: ['ann'] },
    { filter: 'addresses[streetAddress co "harbour" and formatted sw "12 "] or addresses.region eq "kent"', acme: ['ann'] },
  ];
}

/** Sorts checked against the RFC's order computed in JavaScript. */
const SORTS: readonly { sortBy: string; sortOrder?: string }[] = [
  { sortBy: 'displayName' },
  { sortBy: 'displayName', sortOrder: 'descending' },
  { sortBy: 'title' },
  { sortBy: 'userName', sortOrder: 'Descending' },
  { sortBy: 'meta.created' },
  { sortBy: 'active', sortOrder: 'descending' },
  { sortBy: 'externalId' },
  { sortBy: 'manager' },
  { sortBy: 'name.givenName' },
];

describe('SCIM filters compiled to SQL agree with the in-memory evaluator', () => {
  let t: TestApp;
  let dialect: SqlDialect;
  const orgIds: Record<Org, string> = { acme: '', globex: '' };
  const keyById = new Map<string, string>();
  const resources: Record<Org, Map<string, Record<string, unknown>>> = { acme: new Map(), globex: new Map() };

  beforeAll(async () => {
    t = await createTestApp('scim-filter-sql');
    dialect = { kind: t.database.kind, escape: (name) => t.dataSource.driver.escape(name) };
    for (const org of ['acme', 'globex'] as const) {
      const seeded = await t.createOrganisation(org === 'acme' ? 'Acme' : 'Globex');
      orgIds[org] = seeded.organisation.id;
      keyById.set(seeded.admin.id, org === 'acme' ? 'admin' : 'g-admin');
    }
    for (const seed of seedUsers()) await insertUser(seed);
    for (const org of ['acme', 'globex'] as const) resources[org] = await loadScimUsers(orgIds[org]);
  });
  afterAll(() => t.close());

  async function insertUser(seed: SeedUser): Promise<void> {
    const id = seed.fields.id ?? randomUUID();
    const organisationId = orgIds[seed.org];
    keyById.set(id, seed.key);
    await t.dataSource.getRepository(User).insert({
      active: true,
      updatedAt: seed.fields.createdAt,
      ...seed.fields,
      id,
      organisationId,
      userNameNormalized: normaliseKey(seed.fields.userName),
      managedBy: 'scim',
    });
    await rowsAdded(t.dataSource.manager, 'users', organisationId);
    const element = (position: number, type: string | undefined, primary: boolean | undefined) => ({
      id: randomUUID(),
      organisationId,
      userId: id,
      position,
      type: type ?? null,
      isPrimary: primary ?? false,
    });
    for (const [position, email] of (seed.emails ?? []).entries()) {
      await t.dataSource.getRepository(UserEmail).insert({
        ...element(position, email.type, email.primary),
        value: email.value,
        valueNormalized: normaliseKey(email.value),
        display: email.display ?? null,
      });
    }
    for (const [position, phone] of (seed.phones ?? []).entries()) {
      await t.dataSource.getRepository(UserPhoneNumber).insert({
        ...element(position, phone.type, phone.primary),
        value: phone.value,
        display: phone.display ?? null,
      });
    }
    for (const [position, address] of (seed.addresses ?? []).entries()) {
      const { type, isPrimary, ...parts } = address;
      await t.dataSource.getRepository(UserAddress).insert({ ...element(position, type ?? undefined, isPrimary), ...parts });
    }
  }

  /**
   * Reads the users back and writes them as SCIM JSON: absent for NULL, values exactly as stored, and `primary`
   * as stored too, false included (a stored false is a value the SQL compares, so `emails[primary eq false]`
   * matches non-primary elements).
   */
  async function loadScimUsers(organisationId: string): Promise<Map<string, Record<string, unknown>>> {
    const users = await t.dataSource.getRepository(User).find({ where: { organisationId } });
    const byUser =
      <T extends { userId: string; position: number }>(rows: T[]) =>
      (userId: string) =>
        rows.filter((row) => row.userId === userId).sort((a, b) => a.position - b.position);
    const emails = byUser(await t.dataSource.getRepository(UserEmail).find({ where: { organisationId } }));
    const phones = byUser(await t.dataSource.getRepository(UserPhoneNumber).find({ where: { organisationId } }));
    const addresses = byUser(await t.dataSource.getRepository(UserAddress).find({ where: { organisationId } }));
    const element = (row: UserEmail | UserPhoneNumber | UserAddress, parts: Record<string, unknown>) =>
      compact({ ...parts, type: row.type, primary: row.isPrimary });
    return new Map(
      users.map((user) => [
        user.id,
        compact({
          schemas: [USER_SCHEMA_URN, ENTERPRISE_USER_SCHEMA_URN],
          id: user.id,
          externalId: user.externalId,
          userName: user.userName,
          name: compactOrOmit({
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
          emails: emails(user.id).map((row) => element(row, { value: row.value, display: row.display })),
          phoneNumbers: phones(user.id).map((row) => element(row, { value: row.value, display: row.display })),
          addresses: addresses(user.id).map((row) =>
            element(row, {
              formatted: row.formatted,
              streetAddress: row.streetAddress,
              locality: row.locality,
              region: row.region,
              postalCode: row.postalCode,
              country: row.country,
            }),
          ),
          [ENTERPRISE_USER_SCHEMA_URN]: compactOrOmit({
            employeeNumber: user.employeeNumber,
            costCenter: user.costCenter,
            organization: user.organization,
            division: user.division,
            department: user.department,
            manager: user.managerId === null ? undefined : { value: user.managerId },
          }),
          meta: { resourceType: 'User', created: user.createdAt.toISOString(), lastModified: user.updatedAt.toISOString() },
        }),
      ]),
    );
  }

  /**
   * The users the compiled filter selects. Element subqueries come out scoped to the organisation (`id IN (SELECT
   * …)`) as the SCIM lists compile them, or, with `correlated`, as the `EXISTS` a caller without the organisation
   * gets: both must agree with the evaluator.
   */
  async function sqlMatches(org: Org, filter: string, correlated = false): Promise<string[]> {
    const compiled = compileFilter(parseFilter(filter), USER_FILTER_MAP, dialect, 'users', correlated ? undefined : orgIds[org]);
    const rows = await t.dataSource
      .createQueryBuilder(User, 'users')
      .select('users.id', 'id')
      .where('users.organisationId = :org', { org: orgIds[org] })
      .andWhere(compiled.where, compiled.parameters)
      .getRawMany<{ id: string }>();
    return keys(rows.map((row) => row.id));
  }

  function evaluatorMatches(org: Org, filter: string): string[] {
    const ast = parseFilter(filter);
    return keys([...resources[org]].filter(([, resource]) => evaluateFilter(ast, resource, { isCaseExact })).map(([id]) => id));
  }

  function keys(userIds: string[]): string[] {
    return userIds.map((id) => keyById.get(id) ?? id).sort();
  }

  it('seeds the users it means to', () => {
    expect(resources.acme.size).toBe(11);
    expect(resources.globex.size).toBe(6);
  });

  describe.each(['acme', 'globex'] as const)('in %s', (org) => {
    it.each(filterCases().map((filterCase) => [filterCase.filter, filterCase] as const))('%s', async (_filter, filterCase) => {
      const evaluated = evaluatorMatches(org, filterCase.evaluatorFilter ?? filterCase.filter);
      expect(await sqlMatches(org, filterCase.filter)).toEqual(evaluated);
      expect(await sqlMatches(org, filterCase.filter, true)).toEqual(evaluated);
      if (org === 'acme') expect(evaluated).toEqual([...filterCase.acme].sort());
    });
  });

  // SQLite's built-in LOWER() folds ASCII letters only; the app registers a Unicode LOWER on SQLite
  // (src/database/data-source.ts), so attributes without a normalised column agree on both databases too.
  it.each([
    ['displayName sw "élodie"', ['grace']],
    ['name.givenName eq "ÉLODIE"', ['grace']],
  ])('folds non-ASCII case on every database: %s', async (filter, expected) => {
    expect(evaluatorMatches('acme', filter)).toEqual(expected);
    expect(await sqlMatches('acme', filter)).toEqual(expected);
  });

  describe('sorting', () => {
    it.each(SORTS.map((sort) => [`${sort.sortBy} ${sort.sortOrder ?? ''}`, sort] as const))('%s', async (_name, sort) => {
      const terms = compileSort(sort, USER_FILTER_MAP, dialect, 'users');
      const builder = t.dataSource
        .createQueryBuilder(User, 'users')
        .select('users.id', 'id')
        .where('users.organisationId = :org', { org: orgIds.acme });
      for (const term of terms) builder.addOrderBy(term.expression, term.order);
      const rows = await builder.getRawMany<{ id: string }>();
      expect(rows.map((row) => keyById.get(row.id))).toEqual(
        sortInMemory([...resources.acme.values()], sort).map((resource) => keyById.get(String(resource.id))),
      );
    });
  });

  it('declares only columns that exist, with their real nullability', () => {
    const checked: string[] = [];
    for (const attribute of USER_FILTER_MAP.attributes.values()) {
      const table = attribute.kind === 'multiValued' ? attribute.table.table : 'users';
      const metadata = t.dataSource.getMetadata(table);
      const columns = attribute.kind === 'column' ? [attribute.column] : [...attribute.subAttributes.values()];
      for (const column of columns) {
        for (const name of [column.column, column.normalizedColumn].filter((name): name is string => name !== undefined)) {
          const found = metadata.findColumnWithDatabaseName(name);
          expect({ path: column.path, name, nullable: found?.isNullable }).toEqual({ path: column.path, name, nullable: column.nullable });
          checked.push(name);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(30);
  });
});

/** The caseExact of what a comparison looks at: `manager eq "…"` compares `manager.value`, which is case-exact. */
function isCaseExact(path: AttributePath | string): boolean {
  const resolved = USER_RESOURCE_TYPE.resolve(path);
  if (resolved === undefined) return false;
  const value = resolved.definition.subAttributes?.find((sub) => sub.name === 'value');
  return (value ?? resolved.definition).caseExact;
}

function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)),
  );
}

function compactOrOmit(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const compacted = compact(object);
  return Object.keys(compacted).length === 0 ? undefined : compacted;
}

/**
 * RFC 7644 §3.4.2.3 in JavaScript: values compared by the attribute's caseExact, resources without a value last
 * (first when descending), then the id; descending is the exact reverse.
 */
function sortInMemory(resources: Record<string, unknown>[], sort: { sortBy: string; sortOrder?: string }): Record<string, unknown>[] {
  const resolved = USER_RESOURCE_TYPE.resolve(sort.sortBy);
  if (resolved === undefined) throw new Error(`unknown sortBy ${sort.sortBy}`);
  const caseExact = isCaseExact(sort.sortBy);
  const read = (resource: Record<string, unknown>): unknown => {
    const container = resolved.origin === 'extension' ? field(resource, resolved.schema) : resource;
    const value = field(container, resolved.attribute.name);
    return field(value, resolved.subAttribute?.name ?? 'value') ?? value;
  };
  const key = (value: unknown): string | number | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (resolved.definition.type === 'dateTime') return Date.parse(String(value));
    return caseExact ? String(value) : normaliseKey(String(value));
  };
  const compare = (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    const left = key(read(a));
    const right = key(read(b));
    if (left === undefined || right === undefined) {
      if (left !== right) return left === undefined ? 1 : -1;
    } else if (left !== right) {
      return left < right ? -1 : 1;
    }
    return String(a.id) < String(b.id) ? -1 : 1;
  };
  const ascending = [...resources].sort(compare);
  return sort.sortOrder?.toLowerCase() === 'descending' ? ascending.reverse() : ascending;
}

function field(object: unknown, name: string): unknown {
  return typeof object === 'object' && object !== null && !Array.isArray(object)
    ? Object.entries(object).find(([key]) => key === name)?.[1]
    : undefined;
}
