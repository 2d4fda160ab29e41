/**
 * The users every benchmark works with, in the shape Microsoft Entra ID sends them on create
 * (test/fixtures/idp/entra/03-create-user.json: core + enterprise schemas, a work email marked
 * primary, `name`, an empty `roles`). Deterministic from the index, so our server and the scimmy
 * peer can be seeded with exactly the same people without passing them around.
 */
export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const GIVEN_NAMES = ['Ann', 'Bilal', 'Chen', 'Dara', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kofi', 'Lena'];
const FAMILY_NAMES = ['Lee', 'Okafor', 'Novak', 'Haddad', 'Silva', 'Berg', 'Tanaka', 'Moreau', 'Kowalski', 'Singh', 'Fischer'];
const DEPARTMENTS = ['Facilities', 'Finance', 'Engineering', 'Sales', 'People', 'Legal'];

export interface BenchUser {
  userName: string;
  externalId: string;
  body: Record<string, unknown>;
}

/** `prefix` keeps sets apart (e.g. members vs. joiners); the domain is reserved for examples. */
export function benchUserName(index: number, prefix = 'user'): string {
  return `${prefix}${index}@bench.example`;
}

/** A stable UUID-shaped externalId, as Entra sends the object id of the person. */
export function benchExternalId(index: number, prefix = 'user'): string {
  const tag = [...prefix].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 0xffff, 7);
  return `00000000-${tag.toString(16).padStart(4, '0')}-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function benchUser(index: number, prefix = 'user'): BenchUser {
  const userName = benchUserName(index, prefix);
  const externalId = benchExternalId(index, prefix);
  const givenName = GIVEN_NAMES[index % GIVEN_NAMES.length];
  const familyName = FAMILY_NAMES[Math.floor(index / GIVEN_NAMES.length) % FAMILY_NAMES.length];
  return {
    userName,
    externalId,
    body: {
      schemas: [CORE_USER_SCHEMA, ENTERPRISE_SCHEMA],
      externalId,
      userName,
      active: true,
      displayName: `${givenName} ${familyName} ${index}`,
      emails: [{ primary: true, type: 'work', value: userName }],
      meta: { resourceType: 'User' },
      name: { formatted: `${givenName} ${familyName}`, familyName, givenName },
      title: 'Consultant',
      roles: [],
      [ENTERPRISE_SCHEMA]: { department: DEPARTMENTS[index % DEPARTMENTS.length], employeeNumber: `E-${index}` },
    },
  };
}

export function benchUsers(count: number, prefix = 'user', from = 0): BenchUser[] {
  return Array.from({ length: count }, (_, offset) => benchUser(from + offset, prefix));
}
