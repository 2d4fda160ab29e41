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

/**
 * Pages from startIndex 1001 on are found on the index first and joined to their rows (paged-query.ts, DEEP_OFFSET).
 * They must hold exactly the users the plain query would, in the same order, ties on createdAt included.
 */
describe('SCIM deep startIndex pages', () => {
  let t: TestApp;
  let acme: ScimTenant;
  let byCreation: string[];

  beforeAll(async () => {
    t = await createTestApp('scim-deep-pages');
    acme = await createScimTenant(t, 'Acme');
    const other = await createScimTenant(t, 'Globex');
    await bulkInsertUsers(t.dataSource, acme.organisation.id, 'deep', USERS);
    await bulkInsertUsers(t.dataSource, other.organisation.id, 'other', 300);
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
  /** The statements the list queries send (through the DataSource's manager, as select-entities.ts does). */
  function captureQueries(): { sql: string; parameters: unknown[] }[] {
    const captured: { sql: string; parameters: unknown[] }[] = [];
    const query = t.dataSource.manager.query.bind(t.dataSource.manager);
    jest.spyOn(t.dataSource.manager, 'query').mockImplementation((sql: string, parameters?: unknown[]) => {
      captured.push({ sql, parameters: parameters ?? [] });
      return query(sql, parameters);
    });
    return captured;
  }
  /** The bulk users and the tenant's own admin. */
  const total = () => byCreation.length;

  it('serves the page the plain ORDER BY … OFFSET serves, with the exact total', async () => {
    const statements = captureQueries();
    for (const startIndex of [901, 1001, 1101, 1201]) {
      statements.length = 0;
      const page = body(await acme.get(`/Users?startIndex=${startIndex}&count=100`).expect(200));
      const deferred = statements.some(({ sql }) => sql.includes('INNER JOIN (SELECT'));
      expect({ startIndex, deferred }).toEqual({ startIndex, deferred: startIndex > 1000 });
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
    await acme.get('/Users?startIndex=1101&count=100').expect(200);
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
});
