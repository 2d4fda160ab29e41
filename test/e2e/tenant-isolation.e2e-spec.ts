import { HttpAdapterHost } from '@nestjs/core';
import type { Response } from 'supertest';
import { createTestApp, TEST_PASSWORD, type TestApp } from './harness/test-app';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** Tables holding an organisation's data; B's rows in them must be identical before and after. */
const TABLES = [
  'organisations',
  'users',
  'user_emails',
  'user_phone_numbers',
  'user_addresses',
  'teams',
  'team_members',
  'resources',
  'bookings',
  'scim_credentials',
];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Org {
  tenant: ScimTenant;
  users: { id: string; userName: string }[];
  groupId: string;
  groupName: string;
  appTeamId: string;
  resourceId: string;
  bookingId: string;
}

const body = (response: { text: string }) => JSON.parse(response.text);

/**
 * Tenant isolation on every registered route: the test lists the routes Express actually serves
 * and fails if one is not classified here, so a new endpoint cannot ship without a cross-tenant
 * check. For each: another organisation's SCIM token is 401, another organisation's ids are 404
 * (never 403, never its data), and lists, filters, totals and group members stay in the caller's
 * organisation. Afterwards B's rows are byte-for-byte what they were.
 */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: Org;
  let b: Org;

  const seed = async (name: string): Promise<Org> => {
    const tenant = await createScimTenant(t, name);
    const slug = tenant.organisation.slug;
    const users = [];
    for (const person of ['ann', 'bo']) {
      const userName = `${person}@${slug}.test`;
      const created = body(await tenant.post('/Users', { schemas: [USER], userName, displayName: `${person} ${name}` }).expect(201));
      users.push({ id: created.id as string, userName });
    }
    const groupName = `${name} Floor`;
    const groupId = body(
      await tenant.post('/Groups', { schemas: [GROUP], displayName: groupName, members: [{ value: users[0].id }] }).expect(201),
    ).id;
    const asAdmin = (method: Method, path: string) => t.http()[method](path).auth(tenant.adminToken, { type: 'bearer' });
    const appTeamId = (
      await asAdmin('post', '/api/teams')
        .send({ name: `${name} App Team` })
        .expect(201)
    ).body.id;
    const resourceId = (
      await asAdmin('post', '/api/resources')
        .send({ name: `${name} Desk 1`, type: 'desk' })
        .expect(201)
    ).body.id;
    const bookingId = (
      await asAdmin('post', '/api/bookings').send({ resourceId, start: '2031-01-02T09:00:00Z', end: '2031-01-02T10:00:00Z' }).expect(201)
    ).body.id;
    return { tenant, users, groupId, groupName, appTeamId, resourceId, bookingId };
  };

  beforeAll(async () => {
    t = await createTestApp('tenant-isolation');
    a = await seed('Alpha');
    b = await seed('Beta');
  });
  afterAll(() => t.close());

  /** Every id and name of B that must never appear in an answer to A. */
  const secretsOf = (org: Org) => [
    org.tenant.organisation.id,
    org.tenant.admin.id,
    org.tenant.admin.email,
    ...org.users.flatMap((user) => [user.id, user.userName]),
    org.groupId,
    org.groupName,
    org.appTeamId,
    org.resourceId,
    org.bookingId,
  ];
  const expectNoLeak = (response: Response) => {
    for (const secret of secretsOf(b)) expect(response.text).not.toContain(secret);
  };
  /** An error may echo the id the caller sent (that reveals nothing), but nothing else of B's. */
  const expectNoLeakInError = (response: Response) => {
    for (const secret of [b.tenant.organisation.id, b.tenant.organisation.name, b.tenant.admin.email, b.groupName])
      expect(response.text).not.toContain(secret);
  };

  /** B's rows, found by B's ids, with last-used bookkeeping columns left out. */
  const snapshotOf = async (org: Org): Promise<string> => {
    const ids = new Set([
      org.tenant.organisation.id,
      org.tenant.admin.id,
      ...org.users.map((u) => u.id),
      org.groupId,
      org.appTeamId,
      org.resourceId,
      org.bookingId,
    ]);
    const parts: string[] = [];
    for (const table of TABLES) {
      const rows: Record<string, unknown>[] = await t.dataSource.query(`SELECT * FROM ${table}`);
      const mine = rows
        .filter((row) => Object.values(row).some((value) => typeof value === 'string' && ids.has(value)))
        .map((row) =>
          JSON.stringify(
            Object.keys(row)
              .filter((key) => !/^last/i.test(key))
              .sort()
              .map((key) => [key, row[key]]),
          ),
        )
        .sort();
      parts.push(`${table}:\n${mine.join('\n')}`);
    }
    return parts.join('\n\n');
  };

  const scim = (org: Org, method: Method, path: string, payload?: unknown, options: { token?: string } = {}) => {
    const call = t
      .http()
      [method](`${org.tenant.base}${path}`)
      .set('Authorization', `Bearer ${options.token ?? org.tenant.token}`);
    return payload === undefined ? call : call.set('Content-Type', 'application/scim+json').send(JSON.stringify(payload));
  };
  const admin = (org: Org, method: Method, path: string, payload?: unknown) => {
    const call = t.http()[method](path).auth(org.tenant.adminToken, { type: 'bearer' });
    return payload === undefined ? call : call.send(payload as object);
  };
  const expectScimStatus = (response: Response, status: number) => {
    expect({ status: response.status, text: response.text.slice(0, 200) }).toEqual({ status, text: expect.any(String) });
    expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(body(response)).toMatchObject({ schemas: [ERROR], status: String(status) });
    expectNoLeakInError(response);
  };
  const expectAdminStatus = (response: Response, status: number) => {
    expect({ status: response.status, text: response.text.slice(0, 200) }).toEqual({ status, text: expect.any(String) });
    expect(response.body).toMatchObject({ statusCode: status, code: expect.any(String), message: expect.any(String) });
    expectNoLeakInError(response);
  };
  const expectList = (response: Response, total?: number) => {
    expect(response.status).toBe(200);
    const list = body(response);
    expect(list.schemas).toEqual([LIST]);
    if (total !== undefined) expect(list.totalResults).toBe(total);
    expectNoLeak(response);
    return list as { totalResults: number; Resources: { id: string; members?: { value: string }[] }[] };
  };

  /** Both directions of the token check: B's token at A's URL and A's token at B's URL. */
  const crossTokens = async (method: Method, path: (org: Org) => string, payload?: unknown) => {
    expectScimStatus(await scim(a, method, path(a), payload, { token: b.tenant.token }), 401);
    expectScimStatus(await scim(b, method, path(b), payload, { token: a.tenant.token }), 401);
    expectScimStatus(await scim(a, method, path(a), payload, { token: 'not-a-token' }), 401);
  };

  const patchBody = (operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });
  let attempts = 0;

  /** Each registered route, by method and Express path, and what crossing tenants on it must do. */
  const routes: Record<string, { last?: boolean; attempt: () => Promise<void> }> = {
    // Public: no tenant in the request.
    'GET /health': { attempt: async () => expect((await t.http().get('/health')).status).toBeLessThan(500) },
    'GET /health/live': { attempt: async () => expect((await t.http().get('/health/live')).status).toBe(200) },
    'POST /api/auth/login': {
      attempt: async () => {
        // Credentials pick the organisation; a wrong password for B's admin is the same 401 as an unknown email.
        const wrong = await t.http().post('/api/auth/login').send({ email: b.tenant.admin.email, password: 'wrong password here' });
        const unknown = await t.http().post('/api/auth/login').send({ email: 'nobody@nowhere.test', password: 'wrong password here' });
        expectAdminStatus(wrong, 401);
        expect(unknown.body).toEqual(wrong.body);
      },
    },
    'POST /api/auth/logout': {
      attempt: async () => {
        // Signing out ends the caller's own session only: A's other sessions and B's admin stay signed in.
        const session = await t.login(a.tenant.admin.email!, TEST_PASSWORD);
        await t.http().post('/api/auth/logout').auth(session, { type: 'bearer' }).expect(204);
        expectAdminStatus(await t.http().get('/api/auth/me').auth(session, { type: 'bearer' }), 401);
        await admin(a, 'get', '/api/auth/me').expect(200);
        await admin(b, 'get', '/api/auth/me').expect(200);
      },
    },
    'GET /api/auth/me': {
      attempt: async () => {
        const me = await admin(a, 'get', '/api/auth/me').expect(200);
        expect(me.text).toContain(a.tenant.admin.id);
        expectNoLeak(me);
      },
    },

    // SCIM discovery: only the token check applies; the documents are the same for everyone.
    'GET /scim/v2/:organisation/ServiceProviderConfig': { attempt: () => crossTokens('get', () => '/ServiceProviderConfig') },
    'GET /scim/v2/:organisation/Schemas': { attempt: () => crossTokens('get', () => '/Schemas') },
    'GET /scim/v2/:organisation/Schemas/:id': { attempt: () => crossTokens('get', () => `/Schemas/${USER}`) },
    'GET /scim/v2/:organisation/ResourceTypes': { attempt: () => crossTokens('get', () => '/ResourceTypes') },
    'GET /scim/v2/:organisation/ResourceTypes/:id': { attempt: () => crossTokens('get', () => '/ResourceTypes/User') },

    // SCIM Users.
    'GET /scim/v2/:organisation/Users': {
      attempt: async () => {
        await crossTokens('get', () => '/Users');
        const all = expectList(await scim(a, 'get', '/Users?startIndex=1&count=1000'));
        const ownIds = (await t.dataSource.query('SELECT id FROM users WHERE organisationId = ?', [a.tenant.organisation.id])).map(
          (row: { id: string }) => row.id,
        );
        expect(all.totalResults).toBe(ownIds.length);
        expect(all.Resources.map((resource) => resource.id).sort()).toEqual([...ownIds].sort());
        expectList(await scim(a, 'get', `/Users?filter=${encodeURIComponent(`userName eq "${b.users[0].userName}"`)}`), 0);
        expectList(await scim(a, 'get', `/Users?filter=${encodeURIComponent(`id eq "${b.users[0].id}"`)}`), 0);
        expectList(await scim(a, 'get', `/Users?filter=${encodeURIComponent(`userName ew "@${b.tenant.organisation.slug}.test"`)}`), 0);
        // Filtering on groups may be unsupported (400); if it is answered, it finds nobody of A in B's group.
        const byGroup = await scim(a, 'get', `/Users?filter=${encodeURIComponent(`groups.value eq "${b.groupId}"`)}`);
        if (byGroup.status === 200) expectList(byGroup, 0);
        else expectScimStatus(byGroup, 400);
        // Paging past A's users finds nothing more, and totals stay A's.
        expectList(await scim(a, 'get', `/Users?startIndex=${ownIds.length + 1}&count=10`), ownIds.length);
      },
    },
    'POST /scim/v2/:organisation/Users/.search': {
      attempt: async () => {
        await crossTokens('post', () => '/Users/.search', { schemas: [SEARCH] });
        expectList(await scim(a, 'post', '/Users/.search', { schemas: [SEARCH], filter: `userName eq "${b.users[1].userName}"` }), 0);
        expectList(
          await scim(a, 'post', '/Users/.search', {
            schemas: [SEARCH],
            filter: `id eq "${b.users[1].id}" or id eq "${b.tenant.admin.id}"`,
          }),
          0,
        );
        const all = expectList(await scim(a, 'post', '/Users/.search', { schemas: [SEARCH], startIndex: 1, count: 1000 }));
        expect(all.Resources.every((resource) => !secretsOf(b).includes(resource.id))).toBe(true);
      },
    },
    'GET /scim/v2/:organisation/Users/:id': {
      attempt: async () => {
        await crossTokens('get', (org) => `/Users/${org.users[0].id}`);
        for (const id of [b.users[0].id, b.tenant.admin.id, b.groupId]) expectScimStatus(await scim(a, 'get', `/Users/${id}`), 404);
      },
    },
    'POST /scim/v2/:organisation/Users': {
      attempt: async () => {
        await crossTokens('post', () => `/Users`, { schemas: [USER], userName: 'cross@token.test' });
        // B's userName is free in A (names are unique per organisation), and an id in the body is ignored.
        const created = await scim(a, 'post', '/Users', { schemas: [USER], id: b.users[1].id, userName: b.users[1].userName });
        expect(created.status).toBe(201);
        expect(body(created).id).not.toBe(b.users[1].id);
        await scim(a, 'delete', `/Users/${body(created).id}`).expect(204);
      },
    },
    'PUT /scim/v2/:organisation/Users/:id': {
      attempt: async () => {
        await crossTokens('put', (org) => `/Users/${org.users[1].id}`, { schemas: [USER], userName: 'cross@token.test' });
        expectScimStatus(
          await scim(a, 'put', `/Users/${b.users[1].id}`, { schemas: [USER], userName: 'taken@over.test', active: false }),
          404,
        );
      },
    },
    'PATCH /scim/v2/:organisation/Users/:id': {
      attempt: async () => {
        const disable = patchBody([{ op: 'replace', path: 'active', value: false }]);
        await crossTokens('patch', (org) => `/Users/${org.users[1].id}`, disable);
        expectScimStatus(await scim(a, 'patch', `/Users/${b.users[1].id}`, disable), 404);
        expectScimStatus(await scim(a, 'patch', `/Users/${b.tenant.admin.id}`, disable), 404);
      },
    },
    'DELETE /scim/v2/:organisation/Users/:id': {
      attempt: async () => {
        await crossTokens('delete', (org) => `/Users/${org.users[1].id}`);
        expectScimStatus(await scim(a, 'delete', `/Users/${b.users[1].id}`), 404);
      },
    },

    // SCIM Groups.
    'GET /scim/v2/:organisation/Groups': {
      attempt: async () => {
        await crossTokens('get', () => '/Groups');
        const all = expectList(await scim(a, 'get', '/Groups?count=1000'));
        const own = await t.dataSource.query('SELECT id FROM teams WHERE organisationId = ?', [a.tenant.organisation.id]);
        expect(all.totalResults).toBe(own.length);
        for (const group of all.Resources)
          for (const member of group.members ?? []) expect(a.users.map((u) => u.id)).toContain(member.value);
        expectList(await scim(a, 'get', `/Groups?filter=${encodeURIComponent(`displayName eq "${b.groupName}"`)}`), 0);
        expectList(await scim(a, 'get', `/Groups?filter=${encodeURIComponent(`members.value eq "${b.users[0].id}"`)}`), 0);
        expectList(await scim(a, 'get', `/Groups?filter=${encodeURIComponent(`id eq "${b.groupId}"`)}`), 0);
      },
    },
    'POST /scim/v2/:organisation/Groups/.search': {
      attempt: async () => {
        await crossTokens('post', () => '/Groups/.search', { schemas: [SEARCH] });
        expectList(await scim(a, 'post', '/Groups/.search', { schemas: [SEARCH], filter: `displayName eq "${b.groupName}"` }), 0);
        expectList(await scim(a, 'post', '/Groups/.search', { schemas: [SEARCH], filter: `members.value eq "${b.users[0].id}"` }), 0);
      },
    },
    'GET /scim/v2/:organisation/Groups/:id': {
      attempt: async () => {
        await crossTokens('get', (org) => `/Groups/${org.groupId}`);
        for (const id of [b.groupId, b.appTeamId, b.users[0].id]) expectScimStatus(await scim(a, 'get', `/Groups/${id}`), 404);
      },
    },
    'POST /scim/v2/:organisation/Groups': {
      attempt: async () => {
        await crossTokens('post', () => '/Groups', { schemas: [GROUP], displayName: 'Cross' });
        const refused = await scim(a, 'post', '/Groups', { schemas: [GROUP], displayName: 'With B', members: [{ value: b.users[0].id }] });
        expectScimStatus(refused, 400);
        expect(body(refused).scimType).toBe('invalidValue');
        const sameName = await scim(a, 'post', '/Groups', { schemas: [GROUP], id: b.groupId, displayName: b.groupName });
        expect(sameName.status).toBe(201);
        expect(body(sameName).id).not.toBe(b.groupId);
        await scim(a, 'delete', `/Groups/${body(sameName).id}`).expect(204);
      },
    },
    'PUT /scim/v2/:organisation/Groups/:id': {
      attempt: async () => {
        await crossTokens('put', (org) => `/Groups/${org.groupId}`, { schemas: [GROUP], displayName: 'Cross' });
        expectScimStatus(await scim(a, 'put', `/Groups/${b.groupId}`, { schemas: [GROUP], displayName: 'Taken', members: [] }), 404);
        const refused = await scim(a, 'put', `/Groups/${a.groupId}`, {
          schemas: [GROUP],
          displayName: a.groupName,
          members: [{ value: b.users[1].id }],
        });
        expectScimStatus(refused, 400);
        expect(body(refused).scimType).toBe('invalidValue');
      },
    },
    'PATCH /scim/v2/:organisation/Groups/:id': {
      attempt: async () => {
        const addA = patchBody([{ op: 'add', path: 'members', value: [{ value: a.users[1].id }] }]);
        await crossTokens('patch', (org) => `/Groups/${org.groupId}`, addA);
        // B's group by id: 404, whatever the operation.
        expectScimStatus(await scim(a, 'patch', `/Groups/${b.groupId}`, addA), 404);
        expectScimStatus(await scim(a, 'patch', `/Groups/${b.groupId}`, patchBody([{ op: 'remove', path: 'members' }])), 404);
        // B's user as a member of A's group: 400 invalidValue, by add, replace and filter.
        for (const operation of [
          { op: 'add', path: 'members', value: [{ value: b.users[1].id }] },
          { op: 'replace', path: 'members', value: [{ value: b.users[1].id }] },
          { op: 'add', value: { members: [{ value: b.users[1].id }] } },
        ]) {
          const refused = await scim(a, 'patch', `/Groups/${a.groupId}`, patchBody([operation]));
          expectScimStatus(refused, 400);
          expect(body(refused).scimType).toBe('invalidValue');
        }
        // Removing B's user from A's group by filter matches nothing in A (and touches nothing in B).
        const removal = await scim(
          a,
          'patch',
          `/Groups/${a.groupId}`,
          patchBody([{ op: 'remove', path: `members[value eq "${b.users[0].id}"]` }]),
        );
        expect(removal.status).toBeLessThan(500);
        expectNoLeak(removal);
        const members = (body(await scim(a, 'get', `/Groups/${a.groupId}`).expect(200)).members ?? []) as { value: string }[];
        expect(members.map((member) => member.value)).toEqual([a.users[0].id]);
      },
    },
    'DELETE /scim/v2/:organisation/Groups/:id': {
      attempt: async () => {
        await crossTokens('delete', (org) => `/Groups/${org.groupId}`);
        expectScimStatus(await scim(a, 'delete', `/Groups/${b.groupId}`), 404);
      },
    },

    // Admin API: users.
    'GET /api/users': {
      attempt: async () => {
        const all = await admin(a, 'get', '/api/users?limit=200').expect(200);
        expectNoLeak(all);
        const own = await t.dataSource.query('SELECT id FROM users WHERE organisationId = ?', [a.tenant.organisation.id]);
        expect(all.body.total).toBe(own.length);
        const searched = await admin(a, 'get', `/api/users?q=${encodeURIComponent(b.users[0].userName)}`).expect(200);
        expect(searched.body.total).toBe(0);
      },
    },
    'GET /api/users/:id': { attempt: async () => expectAdminStatus(await admin(a, 'get', `/api/users/${b.users[0].id}`), 404) },
    'POST /api/users': {
      attempt: async () => {
        const created = await admin(a, 'post', '/api/users', { email: b.users[0].userName, displayName: 'Same email, other org' }).expect(
          201,
        );
        expect(created.body.organisationId).toBe(a.tenant.organisation.id);
        await admin(a, 'delete', `/api/users/${created.body.id}`).expect(204);
      },
    },
    'PATCH /api/users/:id': {
      attempt: async () => {
        expectAdminStatus(await admin(a, 'patch', `/api/users/${b.tenant.admin.id}`, { role: 'user', displayName: 'Taken over' }), 404);
        expectAdminStatus(await admin(a, 'patch', `/api/users/${b.users[0].id}`, { active: false }), 404);
      },
    },
    'DELETE /api/users/:id': {
      attempt: async () => {
        expectAdminStatus(await admin(a, 'delete', `/api/users/${b.users[1].id}`), 404);
        expectAdminStatus(await admin(a, 'delete', `/api/users/${b.tenant.admin.id}`), 404);
      },
    },

    // Admin API: teams.
    'POST /api/teams': {
      attempt: async () => {
        const created = await admin(a, 'post', '/api/teams', { name: b.groupName }).expect(201);
        expect(created.body.id).not.toBe(b.groupId);
        await admin(a, 'delete', `/api/teams/${created.body.id}`).expect(204);
      },
    },
    'GET /api/teams': { attempt: async () => expectNoLeak(await admin(a, 'get', '/api/teams').expect(200)) },
    'GET /api/teams/:id': {
      attempt: async () => {
        expectAdminStatus(await admin(a, 'get', `/api/teams/${b.groupId}`), 404);
        expectAdminStatus(await admin(a, 'get', `/api/teams/${b.appTeamId}`), 404);
      },
    },
    'PUT /api/teams/:id/members/:userId': {
      attempt: async () => {
        expectAdminStatus(await admin(a, 'put', `/api/teams/${a.appTeamId}/members/${b.users[0].id}`), 404);
        expectAdminStatus(await admin(a, 'put', `/api/teams/${b.appTeamId}/members/${a.users[0].id}`), 404);
        expectAdminStatus(await admin(a, 'put', `/api/teams/${b.appTeamId}/members/${b.users[0].id}`), 404);
      },
    },
    'DELETE /api/teams/:id/members/:userId': {
      attempt: async () => {
        expectAdminStatus(await admin(a, 'delete', `/api/teams/${a.appTeamId}/members/${b.users[0].id}`), 404);
        expectAdminStatus(await admin(a, 'delete', `/api/teams/${b.appTeamId}/members/${b.users[0].id}`), 404);
        expectAdminStatus(await admin(a, 'delete', `/api/teams/${b.groupId}/members/${b.users[0].id}`), 404);
      },
    },
    'DELETE /api/teams/:id': {
      attempt: async () => {
        expectAdminStatus(await admin(a, 'delete', `/api/teams/${b.appTeamId}`), 404);
        expectAdminStatus(await admin(a, 'delete', `/api/teams/${b.groupId}`), 404);
      },
    },

    // Admin API: resources and bookings.
    'POST /api/resources': {
      attempt: async () => {
        // Resources cannot be deleted, so this one stays in A: B's resource name is free there.
        const created = await admin(a, 'post', '/api/resources', { name: `Beta Desk 1`, type: 'desk' }).expect(201);
        expect(created.body.id).not.toBe(b.resourceId);
      },
    },
    'GET /api/resources': { attempt: async () => expectNoLeak(await admin(a, 'get', '/api/resources').expect(200)) },
    'GET /api/resources/:id': { attempt: async () => expectAdminStatus(await admin(a, 'get', `/api/resources/${b.resourceId}`), 404) },
    'POST /api/bookings': {
      attempt: async () => {
        const slot = { start: '2031-02-03T09:00:00Z', end: '2031-02-03T10:00:00Z' };
        expectAdminStatus(await admin(a, 'post', '/api/bookings', { resourceId: b.resourceId, ...slot }), 404);
        expectAdminStatus(await admin(a, 'post', '/api/bookings', { resourceId: a.resourceId, userId: b.users[0].id, ...slot }), 404);
      },
    },
    'GET /api/bookings': {
      attempt: async () => {
        expectNoLeak(await admin(a, 'get', '/api/bookings').expect(200));
        for (const query of [`userId=${b.tenant.admin.id}`, `resourceId=${b.resourceId}`]) {
          const response = await admin(a, 'get', `/api/bookings?${query}`);
          expect(response.status).toBeLessThan(500);
          if (response.status === 200) expect(response.body.items).toEqual([]);
          else expectAdminStatus(response, 404);
        }
      },
    },
    'GET /api/bookings/:id': { attempt: async () => expectAdminStatus(await admin(a, 'get', `/api/bookings/${b.bookingId}`), 404) },
    'DELETE /api/bookings/:id': { attempt: async () => expectAdminStatus(await admin(a, 'delete', `/api/bookings/${b.bookingId}`), 404) },

    // Admin API: the SCIM integration acts on the caller's organisation only, never on B's.
    'GET /api/integrations/scim': { attempt: async () => expectNoLeak(await admin(a, 'get', '/api/integrations/scim').expect(200)) },
    'GET /api/integrations/scim/log': {
      attempt: async () => {
        // A's log records A's own refused attempts, which quote the ids A sent; nothing else of B's.
        expectNoLeakInError(await admin(a, 'get', '/api/integrations/scim/log?limit=500').expect(200));
        const filtered = await admin(a, 'get', `/api/integrations/scim/log?userId=${b.users[0].id}`).expect(200);
        expect(filtered.body.items).toEqual([]);
      },
    },
    'POST /api/integrations/scim/enable': {
      attempt: async () => expectAdminStatus(await admin(a, 'post', '/api/integrations/scim/enable'), 409),
    },
    'POST /api/integrations/scim/rotate-token': {
      last: true,
      attempt: async () => {
        const rotated = await admin(a, 'post', '/api/integrations/scim/rotate-token').expect(200);
        expectNoLeak(rotated);
        expect(rotated.text).not.toContain(b.tenant.token);
        await scim(b, 'get', '/Users?count=1').expect(200); // B's token still works
        expectScimStatus(await scim(a, 'get', '/Users?count=1'), 401); // A's old one does not
        expectScimStatus(await scim(b, 'get', '/Users?count=1', undefined, { token: rotated.body.token }), 401);
      },
    },
    'POST /api/integrations/scim/disable': {
      last: true,
      attempt: async () => {
        await admin(a, 'post', '/api/integrations/scim/disable').expect(200);
        await scim(b, 'get', '/Users?count=1').expect(200); // B stays enabled
      },
    },
  };

  const registeredRoutes = (): string[] => {
    const express = t.app.get(HttpAdapterHost).httpAdapter.getInstance();
    const stack = (express.router ?? express._router).stack as { route?: { path: string; methods: Record<string, boolean> } }[];
    return stack
      .filter((layer) => layer.route)
      .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`));
  };

  it('classifies every registered route (a new route must be added here with its cross-tenant check)', () => {
    const registered = registeredRoutes();
    expect(registered.length).toBeGreaterThan(30);
    expect(registered.filter((route) => !(route in routes))).toEqual([]);
    expect(Object.keys(routes).filter((route) => !registered.includes(route))).toEqual([]);
  });

  it('refuses every cross-tenant attempt on every route, and leaves B exactly as it was', async () => {
    const before = await snapshotOf(b);
    const ordered = registeredRoutes().sort((x, y) => Number(!!routes[x]?.last) - Number(!!routes[y]?.last));
    for (const route of ordered) {
      try {
        await routes[route].attempt();
        attempts += 1;
      } catch (error) {
        throw new Error(`${route}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(await snapshotOf(b)).toBe(before);
    // And B sees its own data as before.
    const own = body(await scim(b, 'get', `/Groups/${b.groupId}`).expect(200));
    expect(own.members.map((member: { value: string }) => member.value)).toEqual([b.users[0].id]);
    console.log(`tenant-isolation: ${attempts} routes tried across tenants`);
  });
});
