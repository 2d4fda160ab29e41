import { benchUser, CORE_USER_SCHEMA, ENTERPRISE_SCHEMA } from '../../bench/lib/entra-users';
import { seedScimUsers } from '../../bench/seed-users';
import { ScimError } from '../../src/scim/protocol/errors/scim-error';
import { createTestApp, type TestApp } from './harness/test-app';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';

const body = (response: { text: string }) => JSON.parse(response.text);

/** What differs between two users created from one body: their id, when, and the URL built from the id. */
function withoutIdentity(user: Record<string, unknown>): Record<string, unknown> {
  const { id, meta, ...rest } = user;
  const { created, lastModified, location, ...stableMeta } = meta as Record<string, unknown>;
  expect([id, created, lastModified, location]).toEqual([expect.any(String), expect.any(String), expect.any(String), expect.any(String)]);
  return { ...rest, meta: stableMeta };
}

/**
 * The benchmark seeds 100k users by bulk insert (bench/seed-users.ts). Its figures mean something only if those users are
 * what the API itself would have stored, so each seeded user must read back exactly like the same body POSTed.
 */
describe('benchmark seeder', () => {
  let t: TestApp;
  let seeded: ScimTenant;
  let posted: ScimTenant;

  // The bench's own users, and bodies that take the mapper's less common paths: every contact list, a manager,
  // an inactive user, Entra's string booleans and legacy nulls (guide Q2, Q14), attribute names in odd case.
  const bodies: Record<string, unknown>[] = [
    benchUser(0).body,
    benchUser(41, 'member').body,
    {
      schemas: [CORE_USER_SCHEMA, ENTERPRISE_SCHEMA],
      userName: 'Élodie.Martin@Bench.Example',
      externalId: 'ext-elodie',
      active: 'False',
      DisplayName: 'Élodie Martin',
      name: { givenName: 'Élodie', familyName: 'Martin', middleName: null, honorificPrefix: 'Dr' },
      nickName: 'Lo',
      title: 'Architect',
      preferredLanguage: 'fr-FR',
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
      userType: 'Employee',
      emails: [
        { type: 'home', value: 'lo@home.example' },
        { primary: 'True', type: 'work', value: 'Elodie.Martin@Bench.Example' },
      ],
      phoneNumbers: [
        { type: 'mobile', value: '+33 6 00 00 00 01', primary: true },
        { type: 'work', value: '+33 1 00 00 00 02' },
      ],
      addresses: [{ type: 'work', streetAddress: '1 Rue Exemple', locality: 'Paris', postalCode: '75001', country: 'FR', primary: true }],
      [ENTERPRISE_SCHEMA]: {
        department: 'Design',
        costCenter: 'CC-9',
        organization: 'Bench',
        division: 'R&D',
        manager: { value: 'mgr-7' },
      },
    },
  ];

  beforeAll(async () => {
    t = await createTestApp('bench-seed');
    seeded = await createScimTenant(t, 'Seeded');
    posted = await createScimTenant(t, 'Posted');
  });
  afterAll(() => t.close());

  it('stores each body exactly as a SCIM POST of the same body does', async () => {
    const ids = await seedScimUsers(t.dataSource, seeded.organisation.id, bodies);
    expect(ids).toHaveLength(bodies.length);
    for (const [index, input] of bodies.entries()) {
      const created = body(await posted.post('/Users', input).expect(201));
      const fromApi = body(await posted.get(`/Users/${created.id}`).expect(200));
      const fromSeeder = body(await seeded.get(`/Users/${ids[index]}`).expect(200));
      expect(withoutIdentity(fromSeeder)).toEqual(withoutIdentity(fromApi));
      expect(fromSeeder.meta.location).toMatch(new RegExp(`${seeded.base}/Users/${ids[index]}$`));
    }
  });

  it('makes seeded users findable the way Entra looks for them: userName eq (any case) and externalId eq', async () => {
    const [ann] = await seedScimUsers(t.dataSource, seeded.organisation.id, [benchUser(7).body]);
    const queries = [
      `userName eq "${benchUser(7).userName}"`,
      `userName eq "${benchUser(7).userName.toUpperCase()}"`,
      `externalId eq "${benchUser(7).externalId}"`,
    ];
    for (const filter of queries) {
      const list = body(await seeded.get(`/Users?filter=${encodeURIComponent(filter)}`).expect(200));
      expect({ filter, total: list.totalResults, ids: list.Resources.map((user: { id: string }) => user.id) }).toEqual({
        filter,
        total: 1,
        ids: [ann],
      });
    }
    const missing = body(await seeded.get(`/Users?filter=${encodeURIComponent('userName eq "nobody@bench.example"')}`).expect(200));
    expect(missing.totalResults).toBe(0);
  });

  it('refuses what the API refuses, with the same SCIM error, and inserts nothing of that batch', async () => {
    const tooLong = { schemas: [CORE_USER_SCHEMA], userName: 'x'.repeat(300) };
    const apiError = body(await posted.post('/Users', tooLong).expect(400));
    let seederError: unknown;
    try {
      await seedScimUsers(t.dataSource, seeded.organisation.id, [benchUser(8).body, tooLong]);
    } catch (error) {
      seederError = error;
    }
    expect(seederError).toBeInstanceOf(ScimError);
    expect((seederError as ScimError).message).toBe(apiError.detail);
    const list = body(await seeded.get(`/Users?filter=${encodeURIComponent(`userName eq "${benchUser(8).userName}"`)}`).expect(200));
    expect(list.totalResults).toBe(0);
  });

  it('keeps userName unique per organisation, as the API does', async () => {
    await expect(seedScimUsers(t.dataSource, seeded.organisation.id, [benchUser(0).body])).rejects.toThrow();
  });
});
