import { createTestApp, TEST_PASSWORD, type SeededOrganisation, type TestApp } from './harness/test-app';

describe('admin authentication', () => {
  let t: TestApp;
  let acme: SeededOrganisation;

  beforeAll(async () => {
    t = await createTestApp('auth');
    acme = await t.createOrganisation('Acme');
    await t.createUser(acme.organisation.id, { email: 'member@acme.test', password: TEST_PASSWORD });
  });
  afterAll(() => t.close());

  it('logs in with 200 (not 201) and an access token; the email is case-insensitive', async () => {
    const response = await t.http().post('/api/auth/login').send({ email: 'ADMIN@acme.test', password: TEST_PASSWORD }).expect(200);
    expect(response.body).toEqual({ accessToken: expect.any(String), expiresAt: expect.any(String) });
    expect(Buffer.from(response.body.accessToken, 'base64url')).toHaveLength(32);
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await t.http().post('/api/auth/login').send({ email: 'admin@acme.test', password: 'not the password' }).expect(401);
    const unknown = await t.http().post('/api/auth/login').send({ email: 'nobody@acme.test', password: TEST_PASSWORD }).expect(401);
    expect(wrong.body).toEqual({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'wrong email or password' });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a malformed login body with 400', async () => {
    const response = await t.http().post('/api/auth/login').send({ email: 42 }).expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('identifies the caller from the bearer token', async () => {
    const response = await t.http().get('/api/auth/me').auth(acme.adminToken, { type: 'bearer' }).expect(200);
    expect(response.body).toMatchObject({ id: acme.admin.id, role: 'admin', organisationId: acme.organisation.id });
  });

  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['another scheme', `Basic ${Buffer.from('admin@acme.test:x').toString('base64')}`],
  ])('answers 401 with WWW-Authenticate for %s', async (_case, authorization) => {
    const call = t.http().get('/api/users');
    if (authorization) call.set('Authorization', authorization);
    const response = await call.expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it('keeps non-admins out of admin routes with 403 but lets them use their own', async () => {
    const token = await t.login('member@acme.test', TEST_PASSWORD);
    const forbidden = await t.http().get('/api/users').auth(token, { type: 'bearer' }).expect(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    await t.http().get('/api/auth/me').auth(token, { type: 'bearer' }).expect(200);
  });

  it('stops inactive users from logging in and ends their open sessions', async () => {
    const user = await t.createUser(acme.organisation.id, { email: 'leaver@acme.test', password: TEST_PASSWORD });
    const token = await t.login('leaver@acme.test', TEST_PASSWORD);
    await t.http().patch(`/api/users/${user.id}`).auth(acme.adminToken, { type: 'bearer' }).send({ active: false }).expect(200);

    await t.http().get('/api/auth/me').auth(token, { type: 'bearer' }).expect(401);
    const login = await t.http().post('/api/auth/login').send({ email: 'leaver@acme.test', password: TEST_PASSWORD }).expect(401);
    expect(login.body.code).toBe('INVALID_CREDENTIALS');
  });

  it("signs out on the server: the token is refused from then on, and the user's other sessions go on", async () => {
    await t.createUser(acme.organisation.id, { email: 'two-tabs@acme.test', password: TEST_PASSWORD });
    const laptop = await t.login('two-tabs@acme.test', TEST_PASSWORD);
    const phone = await t.login('two-tabs@acme.test', TEST_PASSWORD);

    const logout = await t.http().post('/api/auth/logout').auth(laptop, { type: 'bearer' }).expect(204);
    expect(logout.text).toBe('');
    const refused = await t.http().get('/api/auth/me').auth(laptop, { type: 'bearer' }).expect(401);
    expect(refused.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    // Signing out twice is signing out of nothing: the token no longer opens a session.
    await t.http().post('/api/auth/logout').auth(laptop, { type: 'bearer' }).expect(401);

    await t.http().get('/api/auth/me').auth(phone, { type: 'bearer' }).expect(200);
    await t.http().get('/api/auth/me').auth(acme.adminToken, { type: 'bearer' }).expect(200);
  });

  it('answers 401 to a sign-out without a token', async () => {
    const response = await t.http().post('/api/auth/logout').expect(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it('does not let users without a password log in', async () => {
    await t.createUser(acme.organisation.id, { email: 'nopassword@acme.test' });
    await t.http().post('/api/auth/login').send({ email: 'nopassword@acme.test', password: TEST_PASSWORD }).expect(401);
  });

  it('asks for the organisation when one email and password open two organisations', async () => {
    const globex = await t.createOrganisation('Globex');
    const acmeShared = await t.createUser(acme.organisation.id, { email: 'shared@example.test', password: TEST_PASSWORD });
    await t.createUser(globex.organisation.id, { email: 'shared@example.test', password: TEST_PASSWORD });

    const ambiguous = await t.http().post('/api/auth/login').send({ email: 'shared@example.test', password: TEST_PASSWORD }).expect(401);
    expect(ambiguous.body.message).toMatch(/organisation/);
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'shared@example.test', password: TEST_PASSWORD, organisation: 'acme' })
      .expect(200);
    const me = await t.http().get('/api/auth/me').auth(login.body.accessToken, { type: 'bearer' }).expect(200);
    expect(me.body.id).toBe(acmeShared.id);
  });

  it('locks an email out after ten failed sign-ins, even with the right password, and tells when to retry', async () => {
    await t.createUser(acme.organisation.id, { email: 'target@acme.test', password: TEST_PASSWORD });
    for (let i = 0; i < 10; i++) {
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: 'target@acme.test', password: `guess ${i}` })
        .expect(401);
    }
    const locked = await t.http().post('/api/auth/login').send({ email: 'TARGET@acme.test', password: TEST_PASSWORD }).expect(429);
    expect(locked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_LOGIN_ATTEMPTS' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Other accounts sign in as usual.
    await t.http().post('/api/auth/login').send({ email: 'admin@acme.test', password: TEST_PASSWORD }).expect(200);
  });

  it('stores only a hash of access tokens', async () => {
    const token = await t.login('admin@acme.test', TEST_PASSWORD);
    const rows: { tokenHash: string }[] = await t.dataSource.query('SELECT tokenHash FROM admin_sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.tokenHash.includes(token))).toBe(false);
  });
});
