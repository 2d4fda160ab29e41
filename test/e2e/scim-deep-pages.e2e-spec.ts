import { randomUUID } from 'node:crypto';
import { rowsAdded } from '../../src/organisations/organisation-row-counts';
import { walksSettled } from '../../src/scim/persistence/paged-query';
import { Team } from '../../src/teams/team.entity';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import { bulkInsertUsers } from './harness/scim-statements';
import { createTestApp, type TestApp } from './harness/test-app';

interface Page {
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  Resources: { id: string; userName: string }[];
}

const body = (response: { text: string }): Page => JSON.parse(response.text);
const USERS = 1_250;
/** The keyset condition of a page continued after a remembered row (keyset-pagination.ts). */
const CONTINUED_AFTER_A_ROW = /createdAt\W* >= \?/;

/**
 * Pages from startIndex 1001 on are found on the index first and joined to their rows (paged-query.ts, DEEP_OFFSET),
 * and in the default order continue from a row remembered at a known position when there is one (position-anchors.ts).
 * They must hold exactly the users the plain query would, in the same order, ties on createdAt included, also once
 * users were created or deleted since a position was remembered.
 */
describe('SCIM deep startIndex pages', () => {
  let t: TestApp;
  let acme: ScimTenant;
  let globex: ScimTenant;
  let byCreation: string[];

  beforeAll(async () => {
    t = await createTestApp('scim-deep-pages');
    acme = await createScimTenant(t, 'Acme');
    globex = await createScimTenant(t, 'Globex');
    await bulkInsertUsers(t.dataSource, acme.organisation.id, 'deep', USERS);
    await bulkInsertUsers(t.dataSource, globex.organisation.id, 'other', 1_100);
    // 400 users created in the same millisecond: the id alone orders them.
    const [{ tie }] = await t.dataSource.query('SELECT MIN(createdAt) AS tie FROM users WHERE organisationId = ?', [acme.organisation.id]);
    const ids: { id: string }[] = await t.dataSource.query(
      'SELECT id FROM users WHERE organisationId = ? ORDER BY createdAt DESC, id LIMIT 400',
      [acme.organisation.id],
    );
    for (const { id } of ids) await t.dataSource.query('UPDATE users SET createdAt = ? WHERE id = ?', [tie, id]);
    const rows: { id: string }[] = await t.dataSource.query('SELECT id FROM users WHERE organisationId = ? ORDER BY createdAt, id', [
      acme.organisation.id,
    ]);
    byCreation = rows.map(({ id }) => id);
  }, 120_000);
  afterAll(() => t.close());

  const ids = (page: Page) => page.Resources.map((resource) => resource.id);
  /** The statements the list queries send, as the DataSource's logger is told of them (TypeORM's and read-rows.ts's). */
  function captureQueries(): { sql: string; parameters: unknown[] }[] {
    const captured: { sql: string; parameters: unknown[] }[] = [];
    jest.restoreAllMocks(); // a test that failed midway left its spy
    jest.spyOn(t.dataSource.logger, 'logQuery').mockImplementation((sql: string, parameters?: unknown[]) => {
      captured.push({ sql, parameters: parameters ?? [] });
    });
    return captured;
  }
  /** The bulk users and the tenant's own admin. */
  const total = () => byCreation.length;

  it('serves the page the plain ORDER BY … OFFSET serves, with the exact total', async () => {
    const statements = captureQueries();
    // The first deep page has nothing remembered before it (a shallow page remembers nothing, and this list is too
    // short to be walked) and steps over the index entries before it; the next ones continue from its last row.
    for (const [startIndex, via] of [
      [901, 'offset'],
      [1001, 'index'],
      [1101, 'anchor'],
      [1201, 'anchor'],
    ] as const) {
      statements.length = 0;
      const page = body(await acme.get(`/Users?startIndex=${startIndex}&count=100`).expect(200));
      const deferred = statements.some(({ sql }) => sql.includes('INNER JOIN (SELECT'));
      const anchored = statements.some(({ sql }) => CONTINUED_AFTER_A_ROW.test(sql));
      expect({ startIndex, deferred, anchored }).toEqual({ startIndex, deferred: via === 'index', anchored: via === 'anchor' });
      expect(ids(page)).toEqual(byCreation.slice(startIndex - 1, startIndex + 99));
      expect(page).toMatchObject({ totalResults: total(), startIndex, itemsPerPage: Math.min(100, total() - startIndex + 1) });
    }
    expect(body(await acme.get(`/Users?startIndex=${total() + 1}&count=100`).expect(200))).toMatchObject({
      totalResults: total(),
      itemsPerPage: 0,
    });
    jest.restoreAllMocks();
  });

  const onMariaDb = process.env.TEST_DATABASE_URL && !process.env.TEST_DATABASE_URL.startsWith('sqlite:') ? it : it.skip;

  onMariaDb('finds a deep page on the (organisationId, createdAt, id) index alone, then reads 100 rows by primary key', async () => {
    const captured = captureQueries();
    // Sorted by name, the same order as the default, but not continued from a remembered row: the index walk itself.
    await acme.get('/Users?startIndex=1101&count=100&sortBy=meta.created').expect(200);
    jest.restoreAllMocks();
    const deep = captured.find(({ sql }) => sql.includes('INNER JOIN (SELECT'));
    if (deep === undefined) throw new Error('no deferred-join statement was sent');
    const plan: { table: string; type: string; key: string | null; Extra: string | null }[] = await t.dataSource.query(
      `EXPLAIN ${deep.sql}`,
      deep.parameters,
    );
    const shown = plan.map((row) => `${row.table} ${row.type} ${row.key} ${row.Extra ?? ''}`);
    const inner = plan.find((row) => row.table === 'user' && row.key === 'IX_users_org_created');
    expect({ shown, inner: inner?.Extra ?? '' }).toEqual({ shown, inner: expect.stringContaining('Using index') });
    expect({ shown, innerSorts: (inner?.Extra ?? '').includes('filesort') }).toEqual({ shown, innerSorts: false });
    const outer = plan.find((row) => row.table === 'user' && row.key === 'PRIMARY');
    expect({ shown, outer: outer?.type }).toEqual({ shown, outer: 'eq_ref' });
  });

  it('keeps a filter and a sort in the deep page, as the cursor walk of the same list has them', async () => {
    const walk: string[] = [];
    let cursor = '';
    const query = 'filter=' + encodeURIComponent('userName sw "deep00"') + '&sortBy=userName&sortOrder=descending';
    for (;;) {
      const page = body(await acme.get(`/Users?${query}&count=200&cursor=${cursor}`).expect(200));
      walk.push(...ids(page));
      if (page.nextCursor === undefined) break;
      cursor = page.nextCursor;
    }
    expect(walk).toHaveLength(1_000); // deep00000 … deep00999
    const deep = body(await acme.get(`/Users?${query}&startIndex=951&count=40`).expect(200));
    expect(ids(deep)).toEqual(walk.slice(950, 990));
    expect(deep.totalResults).toBe(1_000);
    const deeper = body(await acme.get(`/Users?${query}&startIndex=1001&count=5`).expect(200));
    expect(deeper).toMatchObject({ totalResults: 1_000, itemsPerPage: 0 });
  });

  it('pages the whole list by startIndex without a gap or a repeat', async () => {
    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= total(); startIndex += 200) {
      seen.push(...ids(body(await acme.get(`/Users?startIndex=${startIndex}&count=200`).expect(200))));
    }
    expect(seen).toEqual(byCreation);
  });

  it('serves a deep page asked again from the row remembered just before it, stepping over no row', async () => {
    const statements = captureQueries();
    const first = body(await acme.get('/Users?startIndex=1151&count=50').expect(200));
    statements.length = 0;
    const again = body(await acme.get('/Users?startIndex=1151&count=50').expect(200));
    jest.restoreAllMocks();
    expect(ids(first)).toEqual(byCreation.slice(1150, 1200));
    expect(ids(again)).toEqual(ids(first));
    const page = statements.find(({ sql }) => sql.includes(' LIMIT '));
    expect(page?.sql).toMatch(CONTINUED_AFTER_A_ROW);
    expect(page?.sql).toMatch(/ LIMIT 50 OFFSET 0$/);
  });

  it('forgets remembered rows once users are created or deleted, and pages the list as it now is', async () => {
    body(await acme.get('/Users?startIndex=1101&count=100').expect(200));
    // Deleting one of the first users moves every later user up by one; a new user goes to the end.
    await acme.delete(`/Users/${byCreation[4]}`).expect(204);
    await acme
      .post('/Users')
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'zz-late@acme.test', active: true })
      .expect(201);
    const rows: { id: string }[] = await t.dataSource.query('SELECT id FROM users WHERE organisationId = ? ORDER BY createdAt, id', [
      acme.organisation.id,
    ]);
    byCreation = rows.map(({ id }) => id);
    for (const startIndex of [1101, 1151, 1201]) {
      const page = body(await acme.get(`/Users?startIndex=${startIndex}&count=100`).expect(200));
      expect({ startIndex, ids: ids(page) }).toEqual({ startIndex, ids: byCreation.slice(startIndex - 1, startIndex + 99) });
      expect(page.totalResults).toBe(total());
    }
  });

  it('walks a long list once a request has read its total, so a deep page asked first at any depth steps over fewer than 1,000 entries', async () => {
    const initech = await createScimTenant(t, 'Initech');
    await bulkInsertUsers(t.dataSource, initech.organisation.id, 'walk', 2_600);
    const inOrder = async () =>
      (
        (await t.dataSource.query('SELECT id FROM users WHERE organisationId = ? ORDER BY createdAt, id', [initech.organisation.id])) as {
          id: string;
        }[]
      ).map(({ id }) => id);
    let all = await inOrder();
    const statements = captureQueries();
    const deepPage = async (startIndex: number) => {
      statements.length = 0;
      const page = body(await initech.get(`/Users?startIndex=${startIndex}&count=100`).expect(200));
      expect({ startIndex, ids: ids(page), total: page.totalResults }).toEqual({
        startIndex,
        ids: all.slice(startIndex - 1, startIndex + 99),
        total: all.length,
      });
      return Math.max(...statements.flatMap(({ sql }) => [...sql.matchAll(/ OFFSET (\d+)/g)].map((match) => Number(match[1]))));
    };
    // How a client learns how deep the list goes: the total alone (or a first page).
    await initech.get('/Users?count=0').expect(200);
    await walksSettled(t.dataSource);
    for (const startIndex of [2451, 1234, 2002, 2401, 1777]) {
      const steppedOver = await deepPage(startIndex);
      expect({ startIndex, steppedOverFewerThan1000: steppedOver < 1_000 }).toEqual({ startIndex, steppedOverFewerThan1000: true });
    }

    // A delete moves every later user up: what the walk remembered is never used again, and the list is not walked
    // again within ten seconds, so a deep page steps from the top once more, and is still exact.
    await initech.delete(`/Users/${all[10]}`).expect(204);
    all = await inOrder();
    await initech.get('/Users?count=0').expect(200);
    await walksSettled(t.dataSource);
    expect(await deepPage(2301)).toBeGreaterThanOrEqual(2_000);
    jest.restoreAllMocks();
  });

  it('remembers positions per organisation', async () => {
    const rows: { id: string }[] = await t.dataSource.query('SELECT id FROM users WHERE organisationId = ? ORDER BY createdAt, id', [
      globex.organisation.id,
    ]);
    body(await acme.get('/Users?startIndex=1001&count=100').expect(200));
    const page = body(await globex.get('/Users?startIndex=1001&count=100').expect(200));
    expect({ ids: ids(page), total: page.totalResults }).toEqual({ ids: rows.map(({ id }) => id).slice(1000, 1100), total: rows.length });
  });

  it('continues deep pages of groups the same way, and forgets their positions once a group is deleted', async () => {
    const teams = Array.from({ length: 1_100 }, (_, index) =>
      t.dataSource.manager.create(Team, {
        id: randomUUID(),
        organisationId: globex.organisation.id,
        name: `Deep team ${index}`,
        nameNormalized: `deep team ${index}`,
        externalId: null,
        managedBy: 'scim',
      }),
    );
    await t.dataSource.transaction(async (em) => {
      for (let start = 0; start < teams.length; start += 200) await em.insert(Team, teams.slice(start, start + 200));
      await rowsAdded(em, 'teams', globex.organisation.id, teams.length);
    });
    const inOrder = async () =>
      (
        (await t.dataSource.query('SELECT id FROM teams WHERE organisationId = ? ORDER BY createdAt, id', [globex.organisation.id])) as {
          id: string;
        }[]
      ).map(({ id }) => id);
    const groupIds = (page: Page) => page.Resources.map((resource) => resource.id);
    const pageAt = async (startIndex: number) =>
      body(await globex.get(`/Groups?startIndex=${startIndex}&count=40&excludedAttributes=members`).expect(200));
    let expected = await inOrder();
    for (const startIndex of [1001, 1041, 1041])
      expect(groupIds(await pageAt(startIndex))).toEqual(expected.slice(startIndex - 1, startIndex + 39));
    await globex.delete(`/Groups/${expected[3]}`).expect(204);
    expected = await inOrder();
    for (const startIndex of [1041, 1061]) {
      const page = await pageAt(startIndex);
      expect({ startIndex, ids: groupIds(page), total: page.totalResults }).toEqual({
        startIndex,
        ids: expected.slice(startIndex - 1, startIndex + 39),
        total: expected.length,
      });
    }
  });
});
