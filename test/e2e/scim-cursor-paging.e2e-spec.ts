import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import { createTestApp, type TestApp } from './harness/test-app';

/**
 * RFC 9865 cursor paging over HTTP on a real database: every resource exactly once and in order, with filters,
 * sorting, backwards, while other requests insert, and never across organisations.
 */

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SEEDED_USERS = 260;
const SEEDED_GROUPS = 40;

interface Page {
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: { id: string; userName?: string; displayName?: string; members?: unknown[]; meta: { created: string } }[];
}

const body = (response: { text: string }) => JSON.parse(response.text);
const query = (parameters: Record<string, string | number>) =>
  `?${new URLSearchParams(Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, String(value)])))}`;

describe('SCIM cursor paging (RFC 9865)', () => {
  let t: TestApp;
  let acme: ScimTenant;
  let globex: ScimTenant;
  const globexUserIds: string[] = [];

  /** Every page of a cursor walk, following nextCursor from an empty cursor. */
  async function walk(
    tenant: ScimTenant,
    resource: 'Users' | 'Groups',
    parameters: Record<string, string | number>,
    between?: () => Promise<void>,
  ) {
    const pages: Page[] = [];
    let cursor = '';
    for (;;) {
      const page: Page = body(await tenant.get(`/${resource}${query({ ...parameters, cursor })}`).expect(200));
      pages.push(page);
      if (page.nextCursor === undefined) return pages;
      expect(pages.length).toBeLessThan(1000); // a cursor that does not move on would loop for ever
      cursor = page.nextCursor;
      if (between) await between();
    }
  }

  /** The same list by startIndex, the order the server has always served. */
  async function byIndex(tenant: ScimTenant, resource: 'Users' | 'Groups', parameters: Record<string, string | number> = {}) {
    const ids: string[] = [];
    for (let startIndex = 1; ; startIndex += 200) {
      const page: Page = body(await tenant.get(`/${resource}${query({ ...parameters, startIndex, count: 200 })}`).expect(200));
      ids.push(...page.Resources.map((resource) => resource.id));
      if (startIndex + 200 > page.totalResults) return ids;
    }
  }

  const idsOf = (pages: Page[]) => pages.flatMap((page) => page.Resources.map((resource) => resource.id));

  async function createUsers(tenant: ScimTenant, prefix: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 10) {
      const batch = Array.from({ length: Math.min(10, count - start) }, (_, offset) => start + offset);
      const created = await Promise.all(
        batch.map((index) =>
          tenant
            .post('/Users', {
              userName: `${prefix}${String(index).padStart(4, '0')}@${tenant.organisation.slug}.test`,
              displayName: `${prefix} ${index}`,
            })
            .expect(201),
        ),
      );
      ids.push(...created.map((response) => body(response).id as string));
    }
    return ids;
  }

  beforeAll(async () => {
    t = await createTestApp('scim-cursor-paging');
    acme = await createScimTenant(t, 'Acme');
    globex = await createScimTenant(t, 'Globex');
    await createUsers(acme, 'user', SEEDED_USERS);
    globexUserIds.push(...(await createUsers(globex, 'gil', 5)));
    for (let index = 0; index < SEEDED_GROUPS; index++) {
      await acme.post('/Groups', { schemas: [GROUP], displayName: `Floor ${index}` }).expect(201);
    }
    await globex.post('/Groups', { schemas: [GROUP], displayName: 'Globex floor' }).expect(201);
  }, 180_000);
  afterAll(() => t.close());

  it('is advertised in ServiceProviderConfig, with index paging staying the default', async () => {
    const config = body(await acme.get('/ServiceProviderConfig').expect(200));
    expect(config.pagination).toEqual({
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: 100,
      maxPageSize: 200,
      cursorTimeout: 86400,
    });
  });

  it('walks every user exactly once, in the startIndex order, 17 at a time', async () => {
    const expected = await byIndex(acme, 'Users');
    expect(expected.length).toBeGreaterThanOrEqual(SEEDED_USERS);
    const pages = await walk(acme, 'Users', { count: 17 });
    expect(pages).toHaveLength(Math.ceil(expected.length / 17));
    for (const page of pages) {
      expect(page.totalResults).toBe(expected.length);
      expect(page.itemsPerPage).toBe(page.Resources.length);
      expect(page.Resources.length).toBeLessThanOrEqual(17);
      expect(page).not.toHaveProperty('startIndex');
      expect(page.nextCursor ?? '').toMatch(/^[A-Za-z0-9_-]*$/);
    }
    expect(pages.slice(0, -1).every((page) => page.Resources.length === 17)).toBe(true);
    expect(pages[0]).not.toHaveProperty('previousCursor');
    expect(pages.slice(1).every((page) => typeof page.previousCursor === 'string')).toBe(true);
    const seen = idsOf(pages);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
    // The order is the documented one: creation time, then id.
    const created = pages.flatMap((page) => page.Resources.map((resource) => `${resource.meta.created} ${resource.id}`));
    expect(created).toEqual([...created].sort());
  });

  it('walks back from the last page by previousCursor to the first, every page as it was', async () => {
    const forward = await walk(acme, 'Users', { count: 17 });
    const backward: Page[] = [forward[forward.length - 1]];
    while (backward[0].previousCursor !== undefined) {
      backward.unshift(body(await acme.get(`/Users${query({ count: 17, cursor: backward[0].previousCursor })}`).expect(200)));
    }
    expect(backward.map((page) => page.Resources.map((resource) => resource.id))).toEqual(
      forward.map((page) => page.Resources.map((resource) => resource.id)),
    );
    expect(backward[1].previousCursor).toBeDefined();
  });

  it('pages a filter, and a sort in both directions, as startIndex does', async () => {
    const filter = 'userName sw "user01"';
    const filtered = await walk(acme, 'Users', { count: 7, filter });
    expect(idsOf(filtered)).toEqual(await byIndex(acme, 'Users', { filter }));
    expect(idsOf(filtered)).toHaveLength(100);
    expect(filtered[0].totalResults).toBe(100);
    // One page holding every match tells its total without a COUNT; a later page of the same walk counts.
    const whole: Page = body(await acme.get(`/Users${query({ count: 200, filter, cursor: '' })}`).expect(200));
    expect(whole).toMatchObject({ totalResults: 100, itemsPerPage: 100 });
    expect(whole).not.toHaveProperty('nextCursor');
    expect(filtered.every((page) => page.totalResults === 100)).toBe(true);

    for (const sortOrder of ['ascending', 'descending']) {
      const sort = { sortBy: 'userName', sortOrder };
      const sorted = await walk(acme, 'Users', { count: 23, ...sort });
      expect(idsOf(sorted)).toEqual(await byIndex(acme, 'Users', sort));
    }
  });

  it('pages POST /.search with the cursor in the body', async () => {
    const first = body(
      await acme
        .post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], cursor: '', count: 50 })
        .expect(200),
    );
    expect(first.Resources).toHaveLength(50);
    const second = body(await acme.post('/Users/.search', { cursor: first.nextCursor, count: 50 }).expect(200));
    const expected = await byIndex(acme, 'Users');
    expect([...first.Resources, ...second.Resources].map((resource: { id: string }) => resource.id)).toEqual(expected.slice(0, 100));
  });

  it('neither skips nor repeats a user while others are created during the walk', async () => {
    const before = await byIndex(acme, 'Users');
    let round = 0;
    // Each creation runs while the walk fetches its next page, not in between.
    const creations: Promise<string[]>[] = [];
    const pages = await walk(acme, 'Users', { count: 17 }, async () => {
      round++;
      creations.push(createUsers(acme, `late${round}-`, 3));
    });
    const createdDuring = (await Promise.all(creations)).flat();
    const seen = idsOf(pages);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);
    // Users created during the walk sort after every earlier one: they may be reached, never interleaved.
    expect(seen.slice(0, before.length)).toEqual(before);
    expect(seen.slice(before.length).every((id) => createdDuring.includes(id))).toBe(true);
    expect(createdDuring).toHaveLength(round * 3);
  });

  it('refuses a tampered, foreign or malformed cursor with 400 invalidCursor', async () => {
    const first: Page = body(await acme.get('/Users?cursor=&count=5').expect(200));
    const cursor = first.nextCursor ?? '';
    const middle = Math.floor(cursor.length / 2);
    const tampered = `${cursor.slice(0, middle)}${cursor[middle] === 'A' ? 'B' : 'A'}${cursor.slice(middle + 1)}`;
    for (const path of [
      `/Users${query({ cursor: tampered, count: 5 })}`,
      `/Users${query({ cursor: cursor.slice(0, -2), count: 5 })}`,
      `/Users${query({ cursor: 'not a cursor', count: 5 })}`,
      `/Users${query({ cursor, count: 5, filter: 'userName sw "user"' })}`,
      `/Groups${query({ cursor, count: 5 })}`,
    ]) {
      const response = await acme.get(path).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/scim\+json/);
      expect(body(response)).toEqual({
        schemas: [ERROR],
        status: '400',
        scimType: 'invalidCursor',
        detail: expect.stringMatching(/cursor/),
      });
    }
  });

  it('refuses cursor with startIndex, a count below 1, and a sort it cannot continue', async () => {
    expect(body(await acme.get('/Users?cursor=&startIndex=1').expect(400))).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(body(await acme.get('/Users?cursor=&count=0').expect(400))).toMatchObject({ status: '400', scimType: 'invalidCount' });
    expect(body(await acme.get('/Users?cursor=&sortBy=displayName').expect(400))).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
      detail: expect.stringMatching(/cursor paging/),
    });
  });

  it('takes a bare ?cursor, as in the RFC 9865 examples, for the first page', async () => {
    const bare: Page = body(await acme.get('/Users?cursor&count=5').expect(200));
    const empty: Page = body(await acme.get('/Users?cursor=&count=5').expect(200));
    expect(bare.Resources.map((user) => user.id)).toEqual(empty.Resources.map((user) => user.id));
    expect(bare.nextCursor).toBe(empty.nextCursor);
  });

  it('lowers a count above the maximum to it, as index paging does', async () => {
    const page: Page = body(await acme.get('/Users?cursor=&count=100000').expect(200));
    expect(page.itemsPerPage).toBe(200);
    expect(page.nextCursor).toBeDefined();
  });

  it("never shows one organisation's users to another, whatever cursor it sends", async () => {
    const acmePage: Page = body(await acme.get('/Users?cursor=&count=3').expect(200));
    const refused = await globex.get(`/Users${query({ cursor: acmePage.nextCursor ?? '', count: 3 })}`).expect(400);
    expect(body(refused)).toMatchObject({ scimType: 'invalidCursor' });
    expect(refused.text).not.toContain(acmePage.Resources[0].id);

    const globexPages = await walk(globex, 'Users', { count: 2 });
    const globexIds = idsOf(globexPages);
    expect(globexIds).toEqual(await byIndex(globex, 'Users'));
    expect(globexIds).toEqual(expect.arrayContaining(globexUserIds));
    const acmeIds = new Set(await byIndex(acme, 'Users'));
    expect(globexIds.filter((id) => acmeIds.has(id))).toEqual([]);
  });

  it('walks groups too, with and without members, and only the organisation’s own', async () => {
    const expected = await byIndex(acme, 'Groups');
    expect(expected).toHaveLength(SEEDED_GROUPS);
    const withoutMembers = await walk(acme, 'Groups', { count: 7, excludedAttributes: 'members' });
    expect(idsOf(withoutMembers)).toEqual(expected);
    expect(withoutMembers.flatMap((page) => page.Resources).every((group) => group.members === undefined)).toBe(true);
    expect(idsOf(await walk(acme, 'Groups', { count: 9 }))).toEqual(expected);
    expect(idsOf(await walk(acme, 'Groups', { count: 5, filter: 'displayName sw "Floor 1"' }))).toEqual(
      await byIndex(acme, 'Groups', { filter: 'displayName sw "Floor 1"' }),
    );

    const acmeCursor = withoutMembers[0].nextCursor ?? '';
    expect(
      body(await globex.get(`/Groups${query({ cursor: acmeCursor, count: 7, excludedAttributes: 'members' })}`).expect(400)),
    ).toMatchObject({
      scimType: 'invalidCursor',
    });
    const globexGroups: Page = body(await globex.get('/Groups?cursor=&count=50').expect(200));
    expect(globexGroups.Resources.map((group) => group.displayName)).toEqual(['Globex floor']);
    expect(globexGroups).not.toHaveProperty('nextCursor');
  });

  it('keeps startIndex paging exactly as it was', async () => {
    const page: Page = body(await acme.get('/Users?startIndex=3&count=4').expect(200));
    expect(page).toMatchObject({ schemas: [LIST], startIndex: 3, itemsPerPage: 4 });
    expect(page).not.toHaveProperty('nextCursor');
  });
});
