import request from 'supertest';
import { createTestApp, type SeededOrganisation, type TestApp } from './harness/test-app';

/**
 * The whole story an organisation's admin lives with, through the HTTP APIs only: the
 * integrations page turns SCIM on, Entra provisions and deprovisions, the admin keeps
 * permissions, bookings follow, and the provisioning log tells the story without secrets.
 */
describe('SCIM lifecycle through the integrations API', () => {
  let t: TestApp;
  let acme: SeededOrganisation;
  let scimBase: string;
  let token: string;

  const admin = {
    get: (path: string) => t.http().get(path).auth(acme.adminToken, { type: 'bearer' }),
    post: (path: string, body?: object) => t.http().post(path).auth(acme.adminToken, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http().patch(path).auth(acme.adminToken, { type: 'bearer' }).send(body),
    delete: (path: string) => t.http().delete(path).auth(acme.adminToken, { type: 'bearer' }),
  };
  const scim = (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object): request.Test => {
    const call = t.http()[method](`${scimBase}${path}`).set('Authorization', `Bearer ${token}`);
    return body === undefined ? call : call.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
  };
  const patchOp = (...operations: object[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations });
  const tomorrow = (hour: number) =>
    new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 86_400_000 + hour * 3_600_000).toISOString();

  beforeAll(async () => {
    t = await createTestApp('scim-lifecycle');
    acme = await t.createOrganisation('Acme');
  });
  afterAll(() => t.close());

  it('tells a disabled integration apart, and keeps the API to admins', async () => {
    expect((await admin.get('/api/integrations/scim').expect(200)).body).toEqual({
      enabled: false,
      tenantUrl: `${t.config.publicBaseUrl}/scim/v2/acme`,
      // The test server listens on loopback, which no identity provider in the cloud reaches (tenant-url-problem.spec.ts).
      tenantUrlProblem: expect.stringContaining(`points at this computer (${new URL(t.config.publicBaseUrl).host})`),
      tokenCreatedAt: null,
      lastActivityAt: null,
      managedUsers: 0,
      managedTeams: 0,
      errorsLast24h: 0,
    });
    const member = await t.createUser(acme.organisation.id, { email: 'member@acme.test', password: 'correct horse battery staple' });
    const memberToken = await t.login(member.email!, 'correct horse battery staple');
    await t.http().post('/api/integrations/scim/enable').auth(memberToken, { type: 'bearer' }).expect(403);
    await t.http().get('/api/integrations/scim/log').auth(memberToken, { type: 'bearer' }).expect(403);
  });

  it('runs the whole provisioning story', async () => {
    // The admin turns SCIM on; the token appears in this response only.
    const enabled = (await admin.post('/api/integrations/scim/enable').expect(200)).body;
    expect(enabled).toEqual({ tenantUrl: `${t.config.publicBaseUrl}/scim/v2/acme`, token: expect.any(String) });
    token = enabled.token;
    scimBase = new URL(enabled.tenantUrl).pathname;
    expect((await admin.post('/api/integrations/scim/enable').expect(409)).body.code).toBe('SCIM_ALREADY_ENABLED');

    // Entra creates a user; the admin keeps permissions but cannot touch identity.
    const ann = JSON.parse(
      (
        await scim('post', '/Users', {
          userName: 'ann@acme.test',
          displayName: 'Ann Lee',
          emails: [{ value: 'ann@acme.test', type: 'work', primary: true }],
        }).expect(201)
      ).text,
    );
    await admin.patch(`/api/users/${ann.id}`, { role: 'admin', permissions: { canBookParking: true } }).expect(200);
    expect((await admin.patch(`/api/users/${ann.id}`, { displayName: 'Annie' }).expect(409)).body.code).toBe('USER_MANAGED_BY_SCIM');

    // Entra updates the email; the app's email follows and permissions stay.
    await scim(
      'patch',
      `/Users/${ann.id}`,
      patchOp({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'ann.lee@acme.test' }),
    ).expect(200);
    expect((await admin.get(`/api/users/${ann.id}`).expect(200)).body).toMatchObject({ email: 'ann.lee@acme.test', role: 'admin' });

    // Ann books a desk for tomorrow; Entra soft-deletes her: booking released, new ones refused.
    const desk = (await admin.post('/api/resources', { name: 'Desk 1', type: 'desk' }).expect(201)).body;
    const booking = (
      await admin.post('/api/bookings', { resourceId: desk.id, userId: ann.id, start: tomorrow(9), end: tomorrow(17) }).expect(201)
    ).body;
    await scim('patch', `/Users/${ann.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })).expect(200);
    expect((await admin.get(`/api/bookings/${booking.id}`).expect(200)).body).toMatchObject({
      status: 'cancelled',
      cancelledReason: 'user_deactivated',
    });
    const refused = await admin
      .post('/api/bookings', { resourceId: desk.id, userId: ann.id, start: tomorrow(9), end: tomorrow(17) })
      .expect(409);
    expect(refused.body.code).toBe('USER_INACTIVE');

    // Reactivation restores access, not the released booking.
    await scim('patch', `/Users/${ann.id}`, patchOp({ op: 'replace', value: { active: true } })).expect(200);
    expect((await admin.get(`/api/bookings/${booking.id}`).expect(200)).body.status).toBe('cancelled');
    const past = (
      await admin.post('/api/bookings', { resourceId: desk.id, userId: ann.id, start: tomorrow(9), end: tomorrow(10) }).expect(201)
    ).body;

    // A manual user is matched by userName and adopted on the first write.
    const manual = await t.createUser(acme.organisation.id, { email: 'bob@acme.test', displayName: 'Bob' });
    const match = JSON.parse((await scim('get', '/Users').query({ filter: 'userName eq "BOB@acme.test"' }).expect(200)).text);
    expect(match.Resources.map((user: { id: string }) => user.id)).toEqual([manual.id]);
    await scim('patch', `/Users/${manual.id}`, patchOp({ op: 'add', path: 'title', value: 'Engineer' })).expect(200);
    expect((await admin.get(`/api/users/${manual.id}`).expect(200)).body.managedBy).toBe('scim');

    // A refused write is logged as rejected.
    await scim('post', '/Users', { userName: 'ANN@acme.test' }).expect(409);
    // Refusals are logged once the response has gone out; let that land before the next step.
    await new Promise((resolve) => setTimeout(resolve, 150));

    // Entra hard-deletes Ann: gone everywhere, future bookings released, history without her.
    await scim('delete', `/Users/${ann.id}`).expect(204);
    await admin.get(`/api/users/${ann.id}`).expect(404);
    await scim('get', `/Users/${ann.id}`).expect(404);
    expect((await admin.get(`/api/bookings/${past.id}`).expect(200)).body).toMatchObject({
      status: 'cancelled',
      cancelledReason: 'user_deleted',
      userId: null,
    });

    // The integrations page sees the state and the log, newest first, without the token.
    const status = (await admin.get('/api/integrations/scim').expect(200)).body;
    expect(status).toMatchObject({
      enabled: true,
      managedUsers: 1,
      errorsLast24h: 1,
      lastActivityAt: expect.any(String),
      tokenCreatedAt: expect.any(String),
    });
    const log = (await admin.get('/api/integrations/scim/log?limit=100').expect(200)).body.items as {
      operation: string;
      userId: string | null;
      outcome: string;
      httpStatus: number;
      summary: string;
    }[];
    expect(JSON.stringify(log)).not.toContain(token);
    expect(log.map((entry) => entry.operation).reverse()).toEqual([
      'create',
      'update',
      'deactivate',
      'bookings_released',
      'reactivate',
      'adopt',
      'update',
      'rejected',
      'delete',
      'bookings_released',
    ]);
    expect(log.find((entry) => entry.operation === 'rejected')).toMatchObject({ outcome: 'failure', httpStatus: 409 });
    expect(log.filter((entry) => entry.operation === 'update')[1].summary).toBe('changed emails');
    const annOnly = (await admin.get(`/api/integrations/scim/log?userId=${ann.id}&operation=bookings_released`).expect(200)).body.items;
    expect(annOnly).toHaveLength(2);
    expect((await admin.get('/api/integrations/scim/log?outcome=failure').expect(200)).body.items).toHaveLength(1);
  });

  it('pages and filters the log the way the integrations page asks for it', async () => {
    type LogEntry = { at: string; operation: string; userId: string | null; userName: string | null };
    const all = (await admin.get('/api/integrations/scim/log?limit=100').expect(200)).body as { items: LogEntry[]; total: number };
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThanOrEqual(10);

    // Numbered pages: consecutive offsets tile the full list exactly, and every page knows the total.
    const pages = [];
    for (let offset = 0; offset < all.total; offset += 3) {
      const page = (await admin.get(`/api/integrations/scim/log?limit=3&offset=${offset}`).expect(200)).body;
      expect(page.total).toBe(all.total);
      pages.push(...page.items);
    }
    expect(pages).toEqual(all.items);
    expect((await admin.get(`/api/integrations/scim/log?offset=${all.total}`).expect(200)).body).toEqual({ items: [], total: all.total });

    // `user` is what the filter box sends: part of a userName in any case, or an exact user id.
    const byName = (await admin.get('/api/integrations/scim/log?user=ANN@ACME').expect(200)).body;
    const expectedByName = all.items.filter((entry) => entry.userName?.toLowerCase().includes('ann@acme'));
    expect(expectedByName.length).toBeGreaterThanOrEqual(3);
    expect(byName).toEqual({ items: expectedByName, total: expectedByName.length });
    const someUserId = all.items.find((entry) => entry.operation === 'adopt')!.userId!;
    const byId = (await admin.get(`/api/integrations/scim/log?user=${someUserId}`).expect(200)).body;
    expect(byId.items.length).toBeGreaterThan(0);
    expect(byId.items.every((entry: LogEntry) => entry.userId === someUserId)).toBe(true);
    // LIKE wildcards in the filter box are literal characters, not "match everything".
    for (const wildcard of ['%', '_', '!']) {
      expect((await admin.get(`/api/integrations/scim/log?user=${encodeURIComponent(wildcard)}`).expect(200)).body).toEqual({
        items: [],
        total: 0,
      });
    }
    // Filters combine with paging: the total counts the filtered rows.
    const annUpdates = expectedByName.filter((entry) => entry.operation === 'update');
    expect(annUpdates.length).toBeGreaterThanOrEqual(1);
    const firstUpdate = (await admin.get('/api/integrations/scim/log?operation=update&user=ann&limit=1').expect(200)).body;
    expect(firstUpdate).toEqual({ items: annUpdates.slice(0, 1), total: annUpdates.length });

    // Another organisation's admin sees none of it, whatever the filter.
    const globex = await t.createOrganisation('Globex');
    const asGlobex = (path: string) => t.http().get(path).auth(globex.adminToken, { type: 'bearer' });
    expect((await asGlobex('/api/integrations/scim/log?user=ann').expect(200)).body).toEqual({ items: [], total: 0 });
    expect((await asGlobex(`/api/integrations/scim/log?user=${someUserId}`).expect(200)).body).toEqual({ items: [], total: 0 });
  });

  it('rotates and disables as the integrations page promises', async () => {
    const rotated = (await admin.post('/api/integrations/scim/rotate-token').expect(200)).body;
    expect(rotated.token).not.toBe(token);
    await scim('get', '/Users').expect(401);
    token = rotated.token;
    await scim('get', '/Users').expect(200);

    expect((await admin.post('/api/integrations/scim/disable').expect(200)).body).toEqual({ enabled: false });
    await scim('get', '/Users').expect(401);
    const status = (await admin.get('/api/integrations/scim').expect(200)).body;
    expect(status).toMatchObject({ enabled: false, tokenCreatedAt: null, managedUsers: 0 });
    expect((await admin.post('/api/integrations/scim/rotate-token').expect(409)).body.code).toBe('SCIM_NOT_ENABLED');
    const again = (await admin.post('/api/integrations/scim/enable').expect(200)).body;
    expect(again.token).not.toBe(rotated.token);
  });

  it.each([
    '?limit=0',
    '?limit=x',
    '?operation=explode',
    '?outcome=maybe',
    '?before=yesterday',
    '?offset=-1',
    '?offset=1e20',
    '?offset=two',
    `?user=${'x'.repeat(256)}`,
  ])('refuses a log query %s with 400', async (query) => {
    expect((await admin.get(`/api/integrations/scim/log${query}`).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });
});
