import type { Test } from 'supertest';
import { ScimCredentialsService } from '../../src/scim/auth/scim-credentials.service';
import { createTestApp, type TestApp } from './harness/test-app';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const body = (response: { text: string }) => JSON.parse(response.text);

describe('SCIM /Users', () => {
  let t: TestApp;
  let acme: ScimTenant;
  let globex: ScimTenant;

  beforeAll(async () => {
    t = await createTestApp('scim-users');
    acme = await createScimTenant(t, 'Acme');
    globex = await createScimTenant(t, 'Globex');
  });
  afterAll(() => t.close());

  const ann = (overrides: Record<string, unknown> = {}) => ({
    schemas: [USER, ENTERPRISE],
    externalId: 'ext-ann',
    userName: 'ann.lee@acme.test',
    active: true,
    displayName: 'Ann Lee',
    name: { formatted: 'Ann Lee', familyName: 'Lee', givenName: 'Ann' },
    title: 'Facilities Coordinator',
    emails: [{ primary: true, type: 'work', value: 'ann.lee@acme.test' }],
    phoneNumbers: [{ type: 'mobile', value: '+44 7700 900123' }],
    addresses: [{ type: 'work', locality: 'Springfield', country: 'GB', primary: true }],
    [ENTERPRISE]: { department: 'Facilities', employeeNumber: 'E-1', manager: { value: 'mgr-1' } },
    meta: { resourceType: 'User' },
    roles: [],
    ...overrides,
  });

  describe('authentication', () => {
    it('answers 401 with a SCIM error and WWW-Authenticate without a valid token', async () => {
      for (const authorization of [undefined, 'Bearer nope', `Bearer ${globex.token}`]) {
        const call = t.http().get(`${acme.base}/Users`);
        if (authorization) call.set('Authorization', authorization);
        const response = await call.expect(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
        expect(body(response)).toEqual({ schemas: [ERROR], status: '401', detail: expect.stringMatching(/token/) });
      }
    });

    it('stops accepting a token the moment it is rotated, and every token once SCIM is disabled', async () => {
      const rotating = await createScimTenant(t, 'Rotating');
      await rotating.get('/Users').expect(200);
      const credentials = t.app.get(ScimCredentialsService);
      const { token } = await credentials.rotateToken(rotating.organisation.id);
      await rotating.get('/Users').expect(401);
      await t.http().get(`${rotating.base}/Users`).auth(token, { type: 'bearer' }).expect(200);
      await credentials.disable(rotating.organisation.id);
      await t.http().get(`${rotating.base}/Users`).auth(token, { type: 'bearer' }).expect(401);
    });

    it('does not accept an admin API token', async () => {
      await t.http().get(`${acme.base}/Users`).auth(acme.adminToken, { type: 'bearer' }).expect(401);
    });
  });

  describe('create and read', () => {
    it('creates a user: 201, Location equal to meta.location, the full resource, managed by SCIM', async () => {
      const response = await acme.post('/Users', ann()).expect(201);
      const created = body(response);
      expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(response.headers.location).toBe(created.meta.location);
      expect(response.headers.etag).toBe(created.meta.version);
      expect(created).toEqual({
        schemas: [USER, ENTERPRISE],
        id: expect.any(String),
        externalId: 'ext-ann',
        userName: 'ann.lee@acme.test',
        name: { formatted: 'Ann Lee', familyName: 'Lee', givenName: 'Ann' },
        displayName: 'Ann Lee',
        title: 'Facilities Coordinator',
        active: true,
        emails: [{ value: 'ann.lee@acme.test', type: 'work', primary: true }],
        phoneNumbers: [{ value: '+44 7700 900123', type: 'mobile' }],
        addresses: [{ locality: 'Springfield', country: 'GB', type: 'work', primary: true }],
        [ENTERPRISE]: { department: 'Facilities', employeeNumber: 'E-1', manager: { value: 'mgr-1' } },
        meta: {
          resourceType: 'User',
          created: expect.any(String),
          lastModified: expect.any(String),
          location: `${t.config.publicBaseUrl}${acme.base}/Users/${created.id}`,
          version: 'W/"1"',
        },
      });
      expect(body(await acme.get(`/Users/${created.id}`).expect(200))).toEqual(created);

      const asAdmin = await t.http().get(`/api/users/${created.id}`).auth(acme.adminToken, { type: 'bearer' }).expect(200);
      expect(asAdmin.body).toMatchObject({
        id: created.id,
        managedBy: 'scim',
        email: 'ann.lee@acme.test',
        jobTitle: 'Facilities Coordinator',
        role: 'user',
      });
    });

    it('refuses a userName that differs only in case with 409 uniqueness, in this organisation only', async () => {
      await acme.post('/Users', ann({ userName: 'dup@acme.test', externalId: 'd1' })).expect(201);
      const clash = await acme.post('/Users', ann({ userName: 'DUP@Acme.Test', externalId: 'd2' })).expect(409);
      expect(body(clash)).toEqual({
        schemas: [ERROR],
        status: '409',
        scimType: 'uniqueness',
        detail: expect.stringContaining('DUP@Acme.Test'),
      });
      await globex.post('/Users', ann({ userName: 'dup@acme.test' })).expect(201);
    });

    it('gives exactly one 201 for concurrent creates of one userName', async () => {
      const responses = await Promise.all(Array.from({ length: 8 }, () => acme.post('/Users', ann({ userName: 'race@acme.test' }))));
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    });

    it.each([
      ['no userName', { name: { givenName: 'x' } }, 'invalidValue'],
      ['a number for userName', { userName: 7 }, 'invalidValue'],
      ['an over-long displayName', { userName: 'long@acme.test', displayName: 'x'.repeat(256) }, 'invalidValue'],
      ['a list body', [{ userName: 'x' }], 'invalidSyntax'],
    ])('refuses %s with 400 and creates nothing', async (_case, payload, scimType) => {
      const before = body(await acme.get('/Users?count=0').expect(200)).totalResults;
      const response = await acme.post('/Users', payload).expect(400);
      expect(body(response)).toMatchObject({ schemas: [ERROR], status: '400', scimType });
      expect(body(await acme.get('/Users?count=0').expect(200)).totalResults).toBe(before);
    });

    it("answers 404 for unknown ids and another organisation's users", async () => {
      const theirs = body(await globex.post('/Users', ann({ userName: 'theirs@globex.test' })).expect(201));
      for (const id of ['00000000-0000-4000-8000-000000000000', theirs.id]) {
        expect(body(await acme.get(`/Users/${id}`).expect(404))).toMatchObject({ status: '404' });
        await acme.put(`/Users/${id}`, ann({ userName: 'hijack@acme.test' })).expect(404);
        await acme.delete(`/Users/${id}`).expect(404);
      }
      expect(body(await globex.get(`/Users/${theirs.id}`).expect(200)).userName).toBe('theirs@globex.test');
    });

    it('shows users added in the app, with their email as a primary work email', async () => {
      const local = await t.createUser(acme.organisation.id, { email: 'local@acme.test', displayName: 'Local' });
      expect(body(await acme.get(`/Users/${local.id}`).expect(200))).toMatchObject({
        id: local.id,
        userName: 'local@acme.test',
        emails: [{ value: 'local@acme.test', type: 'work', primary: true }],
      });
    });
  });

  describe('replace (PUT) and delete', () => {
    it('replaces writable attributes, clears the omitted ones, keeps active and permissions when omitted', async () => {
      const created = body(await acme.post('/Users', ann({ userName: 'put@acme.test', externalId: 'p1' })).expect(201));
      await t.http().patch(`/api/users/${created.id}`).auth(acme.adminToken, { type: 'bearer' }).send({ role: 'admin' }).expect(200);
      const replaced = body(
        await acme
          .put(`/Users/${created.id}`, {
            schemas: [USER],
            id: created.id,
            userName: 'put@acme.test',
            name: { givenName: 'Ann', middleName: 'Q' },
            groups: [],
          })
          .expect(200),
      );
      expect(replaced).toMatchObject({
        id: created.id,
        userName: 'put@acme.test',
        name: { givenName: 'Ann', middleName: 'Q' },
        active: true,
        meta: { version: 'W/"3"' },
      }); // 1 created, 2 role change, 3 PUT
      for (const cleared of ['title', 'emails', 'externalId', ENTERPRISE, 'displayName']) expect(replaced).not.toHaveProperty(cleared);
      const asAdmin = await t.http().get(`/api/users/${created.id}`).auth(acme.adminToken, { type: 'bearer' }).expect(200);
      expect(asAdmin.body).toMatchObject({ role: 'admin', email: null });
    });

    it('honours If-Match: 412 when stale, and changes nothing', async () => {
      const created = body(await acme.post('/Users', ann({ userName: 'etag@acme.test' })).expect(201));
      const stale = await acme
        .put(`/Users/${created.id}`, ann({ userName: 'etag@acme.test', displayName: 'Changed' }))
        .set('If-Match', 'W/"7"')
        .expect(412);
      expect(body(stale)).toMatchObject({ status: '412' });
      expect(body(await acme.get(`/Users/${created.id}`).expect(200)).displayName).toBe('Ann Lee');
      await acme
        .put(`/Users/${created.id}`, ann({ userName: 'etag@acme.test', displayName: 'Changed' }))
        .set('If-Match', created.meta.version)
        .expect(200);
    });

    it('deactivating through PUT releases future bookings; DELETE is 204 then 404, and the userName is free again', async () => {
      const created = body(await acme.post('/Users', ann({ userName: 'leaver@acme.test' })).expect(201));
      const admin = (call: Test) => call.auth(acme.adminToken, { type: 'bearer' });
      const desk = await admin(t.http().post('/api/resources')).send({ name: 'Desk SCIM', type: 'desk' }).expect(201);
      const start = new Date(Date.now() + 2 * 86_400_000);
      const booking = await admin(t.http().post('/api/bookings'))
        .send({
          resourceId: desk.body.id,
          userId: created.id,
          start: start.toISOString(),
          end: new Date(start.getTime() + 3_600_000).toISOString(),
        })
        .expect(201);

      await acme.put(`/Users/${created.id}`, ann({ userName: 'leaver@acme.test', active: false })).expect(200);
      const released = await t.http().get(`/api/bookings/${booking.body.id}`).auth(acme.adminToken, { type: 'bearer' }).expect(200);
      expect(released.body).toMatchObject({ status: 'cancelled', cancelledReason: 'user_deactivated' });

      await acme.delete(`/Users/${created.id}`).set('If-Match', 'W/"1"').expect(412);
      await acme.delete(`/Users/${created.id}`).expect(204);
      await acme.get(`/Users/${created.id}`).expect(404);
      await t.http().get(`/api/users/${created.id}`).auth(acme.adminToken, { type: 'bearer' }).expect(404);
      await acme.post('/Users', ann({ userName: 'leaver@acme.test' })).expect(201);
    });
  });

  describe('list and filter', () => {
    // The organisation's admin plus eleven provisioned users.
    const TOTAL = 12;
    let paging: ScimTenant;
    beforeAll(async () => {
      paging = await createScimTenant(t, 'Paging');
      for (let i = 1; i <= 11; i++) {
        const n = String(i).padStart(2, '0');
        await paging
          .post('/Users', {
            userName: `user${n}@paging.test`,
            displayName: `User ${n}`,
            active: i % 3 !== 0,
            emails: [{ type: 'work', value: `user${n}@paging.test` }],
          })
          .expect(201);
      }
    });

    it('pages with startIndex and count, every user exactly once, in a stable order', async () => {
      const seen: string[] = [];
      for (const startIndex of [1, 5, 9]) {
        const page = body(await paging.get(`/Users?startIndex=${startIndex}&count=4`).expect(200));
        expect(page).toMatchObject({ schemas: [LIST], totalResults: TOTAL, startIndex });
        expect(page.itemsPerPage).toBe(page.Resources.length);
        seen.push(...page.Resources.map((user: { id: string }) => user.id));
      }
      expect(seen).toHaveLength(TOTAL);
      expect(new Set(seen).size).toBe(TOTAL);
    });

    it('answers count=0 with the total only, and an empty page past the end', async () => {
      expect(body(await paging.get('/Users?count=0').expect(200))).toEqual({
        schemas: [LIST],
        totalResults: TOTAL,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
      expect(body(await paging.get('/Users?startIndex=50').expect(200))).toMatchObject({
        totalResults: TOTAL,
        itemsPerPage: 0,
        Resources: [],
      });
    });

    it('gives the exact total whether the page ends short (no COUNT needed) or full (COUNT)', async () => {
      const total = async (query: string) => {
        const page = body(await paging.get(`/Users?${query}`).expect(200));
        expect(page.itemsPerPage).toBe(page.Resources.length);
        return [page.totalResults, page.itemsPerPage];
      };
      expect(await total('startIndex=10&count=4')).toEqual([TOTAL, TOTAL - 9]);
      expect(await total(`count=${TOTAL}`)).toEqual([TOTAL, TOTAL]);
      expect(await total(`count=${TOTAL + 5}`)).toEqual([TOTAL, TOTAL]);
      expect(await total(`startIndex=${TOTAL}&count=1`)).toEqual([TOTAL, 1]);
      expect(await total(`startIndex=${TOTAL + 1}&count=1`)).toEqual([TOTAL, 0]);
      const inactive = encodeURIComponent('active eq false');
      expect(await total(`filter=${inactive}&count=2`)).toEqual([3, 2]);
      expect(await total(`filter=${inactive}&startIndex=3&count=2`)).toEqual([3, 1]);
    });

    it('filters by userName case-insensitively, and finds nothing with 200 and an empty list', async () => {
      const found = body(await paging.get('/Users').query({ filter: 'userName eq "USER04@paging.test"' }).expect(200));
      expect(found).toMatchObject({ totalResults: 1, Resources: [{ userName: 'user04@paging.test' }] });
      const none = body(await paging.get('/Users').query({ filter: 'userName eq "0e0b7c6a-6f6b-4b5b-9d3c-5f1d1f0a7d21"' }).expect(200));
      expect(none).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    });

    it('returns inactive users, filters on active and on work email, and sorts', async () => {
      expect(body(await paging.get('/Users').query({ filter: 'active eq false' }).expect(200)).totalResults).toBe(3);
      expect(
        body(await paging.get('/Users').query({ filter: 'emails[type eq "work"].value eq "user09@paging.test"' }).expect(200)).Resources[0],
      ).toMatchObject({ userName: 'user09@paging.test', active: false });
      const sorted = body(await paging.get('/Users').query({ sortBy: 'userName', sortOrder: 'descending', count: '2' }).expect(200));
      expect(sorted.Resources.map((user: { userName: string }) => user.userName)).toEqual(['user11@paging.test', 'user10@paging.test']);
    });

    it('honours attributes and excludedAttributes', async () => {
      const narrow = body(await paging.get('/Users').query({ attributes: 'userName', count: '1' }).expect(200)).Resources[0];
      expect(Object.keys(narrow).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
      const wide = body(await paging.get('/Users').query({ excludedAttributes: 'emails,displayName', count: '1' }).expect(200))
        .Resources[0];
      expect(wide).not.toHaveProperty('emails');
      expect(wide).not.toHaveProperty('displayName');
      expect(wide).toHaveProperty('userName');
    });

    it('searches with POST /Users/.search', async () => {
      const response = await paging
        .post('/Users/.search', {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
          filter: 'displayName sw "User 1"',
          count: 10,
        })
        .expect(200);
      expect(body(response).totalResults).toBe(2);
    });

    it.each([
      ['bad syntax', { filter: 'userName eq' }],
      ['an unknown attribute', { filter: 'shoeSize eq "9"' }],
      ['a dangling and', { filter: 'userName eq "a" and' }],
      ['a too deep filter', { filter: `${'('.repeat(30)}userName eq "a"${')'.repeat(30)}` }],
    ])('answers %s with 400 invalidFilter', async (_case, query) => {
      const response = await paging.get('/Users').query(query).expect(400);
      expect(body(response)).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });
    });

    it('never lists another organisation', async () => {
      const all = body(await paging.get('/Users?count=200').expect(200));
      expect(all.totalResults).toBe(TOTAL);
      expect(all.Resources.every((user: { userName: string }) => user.userName.endsWith('@paging.test'))).toBe(true);
    });
  });

  describe('provisioning log', () => {
    it('records each authenticated call with its status and duration, never the token', async () => {
      const audited = await createScimTenant(t, 'Audited');
      const created = body(await audited.post('/Users', { userName: 'logged@audited.test' }).expect(201));
      await audited.get('/Users/00000000-0000-4000-8000-000000000000').expect(404);
      await audited.get('/Users').query({ filter: 'userName eq "logged@audited.test"' }).expect(200);
      // The log is written behind the responses, in batches (scim-request-log.service.ts): wait for the three rows.
      const logged = (): Promise<{ method: string; path: string; status: number; durationMs: number; resourceId: string | null }[]> =>
        t.dataSource.query(
          'SELECT method, path, status, durationMs, resourceId FROM scim_request_log WHERE organisationId = ? ORDER BY at',
          [audited.organisation.id],
        );
      const deadline = Date.now() + 5_000;
      let rows = await logged();
      while (rows.length < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        rows = await logged();
      }
      expect(rows.map(({ method, status, resourceId }) => ({ method, status, resourceId }))).toEqual([
        { method: 'POST', status: 201, resourceId: created.id },
        { method: 'GET', status: 404, resourceId: '00000000-0000-4000-8000-000000000000' },
        { method: 'GET', status: 200, resourceId: null },
      ]);
      expect(rows[2].path).toContain('/Users?filter=');
      expect(rows.every((row) => row.durationMs >= 0 && !row.path.includes(audited.token))).toBe(true);
      const [credentials] = await t.dataSource.query('SELECT lastActivityAt FROM scim_credentials WHERE organisationId = ?', [
        audited.organisation.id,
      ]);
      expect(credentials.lastActivityAt).not.toBeNull();
    });
  });

  describe('PATCH', () => {
    const patch = (id: string, operations: unknown[], ifMatch?: string) => {
      const call = t
        .http()
        .patch(`${acme.base}/Users/${id}`)
        .set('Authorization', `Bearer ${acme.token}`)
        .set('Content-Type', 'application/scim+json');
      if (ifMatch) call.set('If-Match', ifMatch);
      return call.send(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations }));
    };

    it('applies every operation or none: one bad operation leaves the user as it was', async () => {
      const created = body(await acme.post('/Users', ann({ userName: 'atomic@acme.test' })).expect(201));
      const response = await patch(created.id, [
        { op: 'replace', path: 'displayName', value: 'Changed' },
        { op: 'replace', path: 'shoeSize', value: '9' },
      ]).expect(400);
      expect(body(response)).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidPath' });
      expect(body(await acme.get(`/Users/${created.id}`).expect(200))).toEqual(created);
    });

    it('keeps lastModified and the version when nothing changes, and moves them when something does', async () => {
      const created = body(await acme.post('/Users', ann({ userName: 'same@acme.test' })).expect(201));
      const same = body(await patch(created.id, [{ op: 'replace', path: 'displayName', value: 'Ann Lee' }]).expect(200));
      expect(same.meta).toEqual(created.meta);
      const changed = body(
        await patch(created.id, [{ op: 'replace', path: 'displayName', value: 'Ann L.' }], created.meta.version).expect(200),
      );
      expect(changed.meta.version).toBe('W/"2"');
      await patch(created.id, [{ op: 'replace', path: 'displayName', value: 'Stale' }], created.meta.version).expect(412);
    });

    it.each([
      ['a prototype path', [{ op: 'add', path: '__proto__.admin', value: true }], 'invalidPath'],
      ['a new id', [{ op: 'replace', path: 'id', value: 'mine' }], 'mutability'],
      ['a wrong type', [{ op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue'],
      ['an unknown op', [{ op: 'merge', path: 'title', value: 'x' }], 'invalidValue'],
    ])('refuses %s with 400', async (_case, operations, scimType) => {
      const created = body(await acme.post('/Users', ann({ userName: `refused-${scimType}-${Math.random()}@acme.test` })).expect(201));
      expect(body(await patch(created.id, operations).expect(400))).toMatchObject({ status: '400', scimType });
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('answers 409 uniqueness when renaming onto a taken userName', async () => {
      await acme.post('/Users', ann({ userName: 'taken@acme.test' })).expect(201);
      const created = body(await acme.post('/Users', ann({ userName: 'renamer@acme.test' })).expect(201));
      const response = await patch(created.id, [{ op: 'replace', path: 'userName', value: 'TAKEN@acme.test' }]).expect(409);
      expect(body(response)).toMatchObject({ status: '409', scimType: 'uniqueness' });
    });

    it('answers 204 without a body when the client prefers a minimal return', async () => {
      const created = body(await acme.post('/Users', ann({ userName: 'minimal@acme.test' })).expect(201));
      const response = await patch(created.id, [{ op: 'replace', path: 'title', value: 'Quiet' }])
        .set('Prefer', 'return=minimal')
        .expect(204);
      expect(response.text).toBe('');
      expect(response.headers.etag).toBe('W/"2"');
      expect(body(await acme.get(`/Users/${created.id}`).expect(200)).title).toBe('Quiet');
    });

    it('answers 404 for an unknown user', async () => {
      await patch('00000000-0000-4000-8000-000000000000', [{ op: 'replace', path: 'active', value: false }]).expect(404);
    });

    it('takes over a user added in the app on its first write, keeping its permissions', async () => {
      const local = await t.createUser(acme.organisation.id, { email: 'adopted@acme.test', displayName: 'Adopted' });
      await t
        .http()
        .patch(`/api/users/${local.id}`)
        .auth(acme.adminToken, { type: 'bearer' })
        .send({ permissions: { canBookParking: true } })
        .expect(200);
      await patch(local.id, [{ op: 'replace', path: 'title', value: 'Engineer' }]).expect(200);
      const asAdmin = await t.http().get(`/api/users/${local.id}`).auth(acme.adminToken, { type: 'bearer' }).expect(200);
      expect(asAdmin.body).toMatchObject({ managedBy: 'scim', jobTitle: 'Engineer', permissions: { canBookParking: true } });
    });
  });

  describe('discovery', () => {
    it('describes what works: Users with the enterprise extension, Groups, and PATCH', async () => {
      const config = body(await acme.get('/ServiceProviderConfig').expect(200));
      expect(config).toMatchObject({
        patch: { supported: true },
        bulk: { supported: false },
        filter: { supported: true, maxResults: 200 },
        etag: { supported: true },
      });
      const types = body(await acme.get('/ResourceTypes').expect(200));
      expect(types.Resources.map((type: { id: string }) => type.id)).toEqual(['User', 'Group']);
      const schemas = body(await acme.get('/Schemas').expect(200));
      expect(schemas.Resources.map((schema: { id: string }) => schema.id).sort()).toEqual([GROUP, USER, ENTERPRISE]);
      expect(body(await acme.get(`/Schemas/${USER}`).expect(200)).id).toBe(USER);
      expect(body(await acme.get(`/Schemas/${GROUP}`).expect(200)).id).toBe(GROUP);
      await acme.get('/ResourceTypes/User').expect(200);
      await acme.get('/ResourceTypes/Group').expect(200);
    });
  });
});
