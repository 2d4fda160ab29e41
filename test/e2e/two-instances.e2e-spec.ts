import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import {
  GROUP,
  body,
  duplicateCreateAfterRetry,
  newUser,
  patchOf,
  raceCreates,
  raceGroupMembers,
  raceIfMatch,
  racePatchesOfOneUser,
  scimClientOn,
  type RaceFigures,
  type ScimClient,
} from './harness/scim-races';
import { createTestApp, createTestAppOn, type TestApp } from './harness/test-app';

/**
 * Two full app instances on one database, the way an organisation scales out behind a load balancer. What keeps the
 * races safe across instances lives in the database (unique indexes, row locks, version columns), so every race from
 * scim-concurrency.e2e-spec.ts is run again with its requests dealt alternately to the two instances.
 *
 * MariaDB only. SQLite is the embedded single-instance mode. Two instances in one Jest process on one SQLite file do
 * pass these tests, but for the wrong reason: better-sqlite3 is synchronous, so one Node.js event loop runs each
 * transaction to its end before it reads the next request, whichever instance it belongs to. That proves nothing
 * about two processes, which would meet on SQLite's file lock instead (and which this product does not support).
 */
const onServerDatabase = !!process.env.TEST_DATABASE_URL && !process.env.TEST_DATABASE_URL.startsWith('sqlite:');
if (!onServerDatabase) {
  process.stdout.write(
    'two-instances: skipped on SQLite, the embedded single-instance mode (one event loop would serialise both instances and prove nothing); it runs when TEST_DATABASE_URL names a MariaDB\n',
  );
}

(onServerDatabase ? describe : describe.skip)('two app instances sharing one MariaDB database', () => {
  let first: TestApp;
  let second: TestApp;
  let acme: ScimTenant;
  let globex: ScimTenant;
  /** Acme's SCIM client on each instance: requests alternate between them. */
  let acmeOnBoth: ScimClient[];
  let globexOnBoth: ScimClient[];
  const seen: RaceFigures[] = [];

  beforeAll(async () => {
    first = await createTestApp('two-instances');
    second = await createTestAppOn(first.database);
    acme = await createScimTenant(first, 'Acme');
    globex = await createScimTenant(second, 'Globex');
    acmeOnBoth = [scimClientOn(first, acme), scimClientOn(second, acme)];
    globexOnBoth = [scimClientOn(first, globex), scimClientOn(second, globex)];
  });
  afterAll(async () => {
    await second?.app.close(); // only the app: the database is the first instance's, dropped by its close()
    await first?.close();
    process.stdout.write(`two-instances: ${JSON.stringify(seen)}\n`);
  });

  it('gives exactly one 201 for 24 concurrent creates of one userName split across both instances, in any case', async () => {
    seen.push(await raceCreates(first, acme, acmeOnBoth, 'same userName across instances', 24, () => 'race@acme.test'));
    const spellings = ['Case.Race@acme.test', 'case.race@ACME.test'];
    seen.push(await raceCreates(first, acme, acmeOnBoth, 'mixed case across instances', 24, (index) => spellings[index % 2]));
  });

  it('answers a create retried on the other instance with a clean 409, and both instances find the user', async () => {
    await duplicateCreateAfterRetry(first, acme, acmeOnBoth, 'retried@acme.test');
  });

  it('never loses a PATCH answered 2xx when 20 PATCHes of one user are split across both instances', async () => {
    for (let round = 0; round < 2; round++) {
      seen.push(await racePatchesOfOneUser(acmeOnBoth, `user patch across instances ${round}`, `patched-${round}@acme.test`));
    }
  });

  it('never loses a group member change answered 2xx when adds and removes are split across both instances', async () => {
    seen.push(await raceGroupMembers(acmeOnBoth, 'group members across instances'));
  });

  it('lets exactly one of 10 PATCHes with the same If-Match win across both instances', async () => {
    seen.push(await raceIfMatch(acmeOnBoth, 'if-match across instances'));
  });

  it('shares sessions and SCIM tokens: a token rotated on one instance stops working on the other at once', async () => {
    // Admin sessions are database rows: a token signed in on one instance works on the other.
    await second.http().get('/api/users').auth(acme.adminToken, { type: 'bearer' }).expect(200);
    const initech = await createScimTenant(first, 'Initech');
    await second.http().get(`${initech.base}/Users`).auth(initech.token, { type: 'bearer' }).expect(200);
    const rotated = await first.http().post('/api/integrations/scim/rotate-token').auth(initech.adminToken, { type: 'bearer' }).expect(200);
    await second.http().get(`${initech.base}/Users`).auth(initech.token, { type: 'bearer' }).expect(401);
    await second.http().get(`${initech.base}/Users`).auth(rotated.body.token, { type: 'bearer' }).expect(200);
  });

  describe('tenant isolation across the instances', () => {
    let globexUser: Record<string, unknown> & { id: string };
    let globexGroup: Record<string, unknown> & { id: string };

    beforeAll(async () => {
      globexUser = body(await globexOnBoth[1].post('/Users', newUser('only.globex@globex.test')).expect(201)) as typeof globexUser;
      globexGroup = body(
        await globexOnBoth[1].post('/Groups', { schemas: [GROUP], displayName: 'Globex only' }).expect(201),
      ) as typeof globexGroup;
    });

    it("refuses one organisation's token at the other's tenant URL on either instance (401)", async () => {
      for (const instance of [first, second]) {
        await instance.http().get(`${globex.base}/Users`).auth(acme.token, { type: 'bearer' }).expect(401);
        await instance.http().get(`${acme.base}/Users`).auth(globex.token, { type: 'bearer' }).expect(401);
      }
    });

    it("answers 404 for the other organisation's ids on either instance, and changes nothing", async () => {
      for (const client of acmeOnBoth) {
        await client.get(`/Users/${globexUser.id}`).expect(404);
        await client.get(`/Groups/${globexGroup.id}`).expect(404);
        await client.patch(`/Users/${globexUser.id}`, patchOf({ op: 'replace', path: 'title', value: 'hijacked' })).expect(404);
        await client.patch(`/Groups/${globexGroup.id}`, patchOf({ op: 'replace', path: 'displayName', value: 'hijacked' })).expect(404);
      }
      // Another organisation's user cannot become a member of one's own group either.
      const acmeGroup = body(await acmeOnBoth[0].post('/Groups', { schemas: [GROUP], displayName: 'Acme isolation' }).expect(201));
      await acmeOnBoth[1]
        .patch(`/Groups/${acmeGroup.id}`, patchOf({ op: 'add', path: 'members', value: [{ value: globexUser.id }] }))
        .expect(400);
      expect(body(await globexOnBoth[0].get(`/Users/${globexUser.id}`).expect(200))).toEqual(globexUser);
      expect(body(await globexOnBoth[0].get(`/Groups/${globexGroup.id}`).expect(200))).toMatchObject({ displayName: 'Globex only' });
      expect(body(await acmeOnBoth[0].get(`/Groups/${acmeGroup.id}`).expect(200)).members ?? []).toEqual([]);
    });

    /** Every id a client's list shows, page by page, with the total each page reported. */
    async function listedIds(client: ScimClient, resource: 'Users' | 'Groups'): Promise<{ ids: string[]; totals: number[] }> {
      const ids: string[] = [];
      const totals: number[] = [];
      for (let startIndex = 1; ;) {
        const page = body(await client.get(`/${resource}?startIndex=${startIndex}&count=50&attributes=id`).expect(200));
        totals.push(page.totalResults);
        ids.push(...page.Resources.map((item: { id: string }) => item.id));
        startIndex += page.Resources.length;
        if (page.Resources.length === 0 || startIndex > page.totalResults) return { ids: ids.sort(), totals };
      }
    }

    it('never lets lists, filters or totals cross organisations, on either instance', async () => {
      for (const resource of ['Users', 'Groups'] as const) {
        const [acmeOnFirst, acmeOnSecond, globexOnFirst, globexOnSecond] = await Promise.all(
          [...acmeOnBoth, ...globexOnBoth].map((client) => listedIds(client, resource)),
        );
        // Each instance shows an organisation the same list, and its total is the number of items listed.
        expect(acmeOnSecond).toEqual(acmeOnFirst);
        expect(globexOnSecond).toEqual(globexOnFirst);
        for (const { ids, totals } of [acmeOnFirst, globexOnFirst]) for (const total of totals) expect(total).toBe(ids.length);
        // And the two organisations' lists share nothing.
        expect(acmeOnFirst.ids.filter((id) => globexOnFirst.ids.includes(id))).toEqual([]);
        expect(globexOnFirst.ids).toContain(resource === 'Users' ? globexUser.id : globexGroup.id);
        expect(acmeOnFirst.ids.length).toBeGreaterThan(0);
      }
      for (const client of acmeOnBoth) {
        const filtered = body(await client.get(`/Users?filter=${encodeURIComponent('userName eq "only.globex@globex.test"')}`).expect(200));
        expect(filtered.totalResults).toBe(0);
        const byGroupName = body(await client.get(`/Groups?filter=${encodeURIComponent('displayName eq "Globex only"')}`).expect(200));
        expect(byGroupName.totalResults).toBe(0);
      }
    });
  });
});
