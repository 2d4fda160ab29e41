import { createTestApp, type SeededOrganisation, type TestApp } from './harness/test-app';

describe('admin API: users', () => {
  let t: TestApp;
  let acme: SeededOrganisation;
  let globex: SeededOrganisation;

  const asAcme = () => ({
    get: (path: string) => t.http().get(path).auth(acme.adminToken, { type: 'bearer' }),
    post: (path: string) => t.http().post(path).auth(acme.adminToken, { type: 'bearer' }),
    patch: (path: string) => t.http().patch(path).auth(acme.adminToken, { type: 'bearer' }),
    delete: (path: string) => t.http().delete(path).auth(acme.adminToken, { type: 'bearer' }),
  });

  beforeAll(async () => {
    t = await createTestApp('users');
    acme = await t.createOrganisation('Acme');
    globex = await t.createOrganisation('Globex');
  });
  afterAll(() => t.close());

  describe('create', () => {
    it('creates a user with defaults: userName is the email, role user, app-managed', async () => {
      const response = await asAcme()
        .post('/api/users')
        .send({ email: 'Grace.Hopper@acme.test', displayName: 'Grace Hopper', givenName: 'Grace', familyName: 'Hopper' })
        .expect(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        organisationId: acme.organisation.id,
        email: 'Grace.Hopper@acme.test',
        userName: 'Grace.Hopper@acme.test',
        displayName: 'Grace Hopper',
        givenName: 'Grace',
        familyName: 'Hopper',
        jobTitle: null,
        department: null,
        phone: null,
        externalId: null,
        active: true,
        role: 'user',
        permissions: { canBookDesks: true, canBookRooms: true, canBookParking: false, canBookOnBehalf: false },
        managedBy: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const fetched = await asAcme().get(`/api/users/${response.body.id}`).expect(200);
      expect(fetched.body).toEqual(response.body);
    });

    it('refuses a userName that differs only in case with 409, in the same organisation only', async () => {
      await asAcme().post('/api/users').send({ email: 'alan@acme.test', displayName: 'Alan', userName: 'alan.turing' }).expect(201);
      const clash = await asAcme()
        .post('/api/users')
        .send({ email: 'other@acme.test', displayName: 'Other', userName: 'ALAN.Turing' })
        .expect(409);
      expect(clash.body).toMatchObject({ statusCode: 409, code: 'USER_NAME_TAKEN' });
      await t
        .http()
        .post('/api/users')
        .auth(globex.adminToken, { type: 'bearer' })
        .send({ email: 'alan@globex.test', displayName: 'Alan', userName: 'alan.turing' })
        .expect(201);
    });

    it('compares userNames by exact letters apart from case: accents are different names on every database', async () => {
      await asAcme().post('/api/users').send({ email: 'jose1@acme.test', displayName: 'José', userName: 'José' }).expect(201);
      await asAcme().post('/api/users').send({ email: 'jose2@acme.test', displayName: 'Jose', userName: 'jose' }).expect(201);
      await asAcme().post('/api/users').send({ email: 'jose3@acme.test', displayName: 'JOSÉ', userName: 'JOSÉ' }).expect(409);
    });

    it.each([
      ['a missing email', { displayName: 'X' }, 'email'],
      ['an invalid email', { email: 'not-an-email', displayName: 'X' }, 'email'],
      ['a number for displayName', { email: 'n@acme.test', displayName: 42 }, 'displayName'],
      ['an unknown field', { email: 'n@acme.test', displayName: 'X', isRoot: true }, 'isRoot'],
      ['an unknown role', { email: 'n@acme.test', displayName: 'X', role: 'owner' }, 'role'],
      ['an over-long displayName', { email: 'n@acme.test', displayName: 'x'.repeat(256) }, 'displayName'],
      ['an over-long email', { email: `${'x'.repeat(320)}@acme.test`, displayName: 'X' }, 'email'],
      ['a short password', { email: 'n@acme.test', displayName: 'X', password: 'short' }, 'password'],
      ['a string permission', { email: 'n@acme.test', displayName: 'X', permissions: { canBookDesks: 'yes' } }, 'permissions'],
      ['an unknown permission', { email: 'n@acme.test', displayName: 'X', permissions: { canFly: true } }, 'permissions'],
    ])('answers 400 VALIDATION_FAILED naming the field for %s, and creates nothing', async (_case, body, field) => {
      const before = (await asAcme().get('/api/users').expect(200)).body.total;
      const response = await asAcme().post('/api/users').send(body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: { fields: [field] } });
      expect(response.body.message).toContain(field);
      expect((await asAcme().get('/api/users').expect(200)).body.total).toBe(before);
    });

    it.each([
      ['malformed JSON', '{"email": "x@acme.test", ', 'application/json', 400, 'MALFORMED_JSON'],
      ['a JSON array', '[1,2]', 'application/json', 400, 'VALIDATION_FAILED'],
      ['a JSON string', '"hello"', 'application/json', 400, 'MALFORMED_JSON'],
      ['an empty body', '', 'application/json', 400, 'VALIDATION_FAILED'],
      ['a form body', 'email=x@acme.test&displayName=X', 'text/plain', 400, 'VALIDATION_FAILED'],
    ])('answers %s with a clear 4xx, never 500', async (_case, raw, type, status, code) => {
      const response = await asAcme().post('/api/users').set('Content-Type', type).send(raw).expect(status);
      expect(response.body).toMatchObject({ statusCode: status, code });
    });

    it('refuses a body over 1 MB with 413', async () => {
      const response = await asAcme()
        .post('/api/users')
        .send({ email: 'big@acme.test', displayName: 'x'.repeat(1_100_000) })
        .expect(413);
      expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });
  });

  describe('list', () => {
    let org: SeededOrganisation;
    beforeAll(async () => {
      org = await t.createOrganisation('Listing');
      for (const name of ['ada', 'bob', 'cy', 'dee', 'eve_50%']) {
        await t.createUser(org.organisation.id, { email: `${name}@listing.test`, displayName: name.toUpperCase() });
      }
    });
    const list = (query: string) => t.http().get(`/api/users${query}`).auth(org.adminToken, { type: 'bearer' });

    it('pages with a stable order and a total', async () => {
      const first = await list('?limit=2&offset=0').expect(200);
      const second = await list('?limit=2&offset=2').expect(200);
      const rest = await list('?limit=10&offset=4').expect(200);
      expect(first.body.total).toBe(6);
      expect(first.body.items).toHaveLength(2);
      const ids = [...first.body.items, ...second.body.items, ...rest.body.items].map((user: { id: string }) => user.id);
      expect(new Set(ids).size).toBe(6);
    });

    it('searches userName, email and displayName case-insensitively, with LIKE wildcards taken literally', async () => {
      expect((await list('?q=BOB').expect(200)).body.items.map((u: { userName: string }) => u.userName)).toEqual(['bob@listing.test']);
      expect((await list(`?q=${encodeURIComponent('50%')}`).expect(200)).body.total).toBe(1);
      expect((await list('?q=_').expect(200)).body.total).toBe(1);
      expect((await list('?q=%25').expect(200)).body.total).toBe(1);
    });

    it.each(['?limit=0', '?limit=201', '?limit=abc', '?offset=-1', '?sort=name'])('refuses %s with 400', async (query) => {
      const response = await list(query).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });

    it('never lists another organisation', async () => {
      const response = await list('?limit=200').expect(200);
      expect(response.body.items.every((user: { organisationId: string }) => user.organisationId === org.organisation.id)).toBe(true);
    });
  });

  describe('update and delete', () => {
    it('updates identity and permission fields and keeps the rest', async () => {
      const created = await asAcme().post('/api/users').send({ email: 'lin@acme.test', displayName: 'Lin', givenName: 'Lin' }).expect(201);
      const response = await asAcme()
        .patch(`/api/users/${created.body.id}`)
        .send({ displayName: 'Lin Wei', role: 'admin', permissions: { canBookParking: true }, givenName: null })
        .expect(200);
      expect(response.body).toMatchObject({
        displayName: 'Lin Wei',
        role: 'admin',
        givenName: null,
        email: 'lin@acme.test',
        permissions: { canBookDesks: true, canBookParking: true, canBookOnBehalf: false },
      });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
    });

    it('keeps the email as the primary work email that identity providers match on', async () => {
      const created = await asAcme().post('/api/users').send({ email: 'Kim@acme.test', displayName: 'Kim' }).expect(201);
      const emails = () =>
        t.dataSource.query('SELECT value, valueNormalized, type, isPrimary FROM user_emails WHERE userId = ? ORDER BY position', [
          created.body.id,
        ]);
      expect(await emails()).toEqual([{ value: 'Kim@acme.test', valueNormalized: 'kim@acme.test', type: 'work', isPrimary: 1 }]);
      await asAcme().patch(`/api/users/${created.body.id}`).send({ email: 'kim.lee@acme.test' }).expect(200);
      expect(await emails()).toEqual([{ value: 'kim.lee@acme.test', valueNormalized: 'kim.lee@acme.test', type: 'work', isPrimary: 1 }]);
    });

    it('refuses null for a required field and leaves the user as it was', async () => {
      const created = await asAcme().post('/api/users').send({ email: 'mo@acme.test', displayName: 'Mo' }).expect(201);
      await asAcme().patch(`/api/users/${created.body.id}`).send({ displayName: null }).expect(400);
      await asAcme().patch(`/api/users/${created.body.id}`).send({ active: 'false' }).expect(400);
      const after = await asAcme().get(`/api/users/${created.body.id}`).expect(200);
      expect(after.body).toEqual(created.body);
    });

    it('refuses to rename onto another userName, case-insensitively', async () => {
      const a = await asAcme().post('/api/users').send({ email: 'pat@acme.test', displayName: 'Pat' }).expect(201);
      await asAcme().post('/api/users').send({ email: 'sam@acme.test', displayName: 'Sam' }).expect(201);
      const response = await asAcme().patch(`/api/users/${a.body.id}`).send({ userName: 'SAM@acme.test' }).expect(409);
      expect(response.body.code).toBe('USER_NAME_TAKEN');
      expect((await asAcme().get(`/api/users/${a.body.id}`).expect(200)).body.userName).toBe('pat@acme.test');
    });

    it('does not let an admin deactivate, demote or delete themselves', async () => {
      for (const body of [{ active: false }, { role: 'user' }]) {
        const response = await asAcme().patch(`/api/users/${acme.admin.id}`).send(body).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
      await asAcme().delete(`/api/users/${acme.admin.id}`).expect(403);
    });

    it('deletes a user: 204, then 404 everywhere', async () => {
      const created = await asAcme().post('/api/users').send({ email: 'gone@acme.test', displayName: 'Gone' }).expect(201);
      await asAcme().delete(`/api/users/${created.body.id}`).expect(204);
      const response = await asAcme().get(`/api/users/${created.body.id}`).expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'USER_NOT_FOUND' });
      await asAcme().delete(`/api/users/${created.body.id}`).expect(404);
      await asAcme().patch(`/api/users/${created.body.id}`).send({ displayName: 'Back' }).expect(404);
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 for another organisation's user on every route and changes nothing", async () => {
      const outsider = await t.createUser(globex.organisation.id, { email: 'outsider@globex.test', displayName: 'Outsider' });
      for (const call of [
        asAcme().get(`/api/users/${outsider.id}`),
        asAcme().patch(`/api/users/${outsider.id}`).send({ displayName: 'Hijacked' }),
        asAcme().delete(`/api/users/${outsider.id}`),
      ]) {
        const response = await call.expect(404);
        expect(response.body.code).toBe('USER_NOT_FOUND');
      }
      const own = await t.http().get(`/api/users/${outsider.id}`).auth(globex.adminToken, { type: 'bearer' }).expect(200);
      expect(own.body.displayName).toBe('Outsider');
    });

    it('answers 404 for ids that are not ids at all', async () => {
      for (const id of ['nope', '%2e%2e', 'x'.repeat(300)]) {
        await asAcme().get(`/api/users/${id}`).expect(404);
      }
    });
  });
});
