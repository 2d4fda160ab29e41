import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { Team, TeamMember } from '../../src/teams/team.entity';
import { User } from '../../src/users/user.entity';
import type { UserView } from '../../src/users/user.view';
import { createTestApp, TEST_PASSWORD, type SeededOrganisation, type TestApp } from './harness/test-app';

// /api/teams over real HTTP: admin-only, one organisation's teams invisible to another, and
// memberships that follow users and teams when either is deleted.

describe('teams', () => {
  let t: TestApp;
  let acme: SeededOrganisation;
  let globex: SeededOrganisation;
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp('teams');
    acme = await t.createOrganisation('Acme');
    globex = await t.createOrganisation('Globex');
  });
  afterAll(() => t.close());

  // --- helpers ---------------------------------------------------------------------------------

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const get = (token: string, path: string) => t.http().get(path).set(bearer(token));
  const post = (token: string, path: string, body: object) => t.http().post(path).set(bearer(token)).send(body);
  const put = (token: string, path: string) => t.http().put(path).set(bearer(token));
  const del = (token: string, path: string) => t.http().delete(path).set(bearer(token));

  async function createTeam(org: SeededOrganisation, name = `Team ${++counter}`): Promise<TeamBody> {
    const response = await post(org.adminToken, '/api/teams', { name });
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 201 });
    return response.body;
  }

  /** `userName` decides the order of a team's member list. */
  function createMember(org: SeededOrganisation, name = `member${++counter}`): Promise<UserView> {
    return t.createUser(org.organisation.id, { email: `${name}@${org.organisation.slug}.test`, displayName: `${name} (display)` });
  }

  const addMember = async (org: SeededOrganisation, teamId: string, userId: string) => {
    const response = await put(org.adminToken, `/api/teams/${teamId}/members/${userId}`);
    expect({ status: response.status, body: response.body }).toEqual({ status: 204, body: {} });
  };

  const teamOf = async (org: SeededOrganisation, id: string): Promise<TeamWithMembersBody> =>
    (await get(org.adminToken, `/api/teams/${id}`).expect(200)).body;
  const teamsOf = async (org: SeededOrganisation): Promise<TeamBody[]> => (await get(org.adminToken, '/api/teams').expect(200)).body.items;
  const memberRows = (teamId: string) => t.dataSource.getRepository(TeamMember).find({ where: { teamId }, order: { userId: 'ASC' } });

  /** Everything a teams request could change; a refused request must leave all of it as it was. */
  async function databaseState() {
    return {
      teams: await t.dataSource.getRepository(Team).find({ order: { id: 'ASC' } }),
      members: await t.dataSource.getRepository(TeamMember).find({ order: { teamId: 'ASC', userId: 'ASC' } }),
      users: await t.dataSource.getRepository(User).find({ order: { id: 'ASC' } }),
    };
  }

  function expectError(response: Response, status: number, code: string): void {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.body.statusCode).toBe(status);
    expect(typeof response.body.message).toBe('string');
  }

  /** Sends a request that must fail with `status`/`code` and change nothing; returns the error body. */
  async function refused(request: PromiseLike<Response>, status: number, code: string) {
    const before = await databaseState();
    const response = await request;
    expectError(response, status, code);
    expect(await databaseState()).toEqual(before);
    return response.body as { statusCode: number; code: string; message: string; details?: Record<string, unknown> };
  }

  // --- creating and listing --------------------------------------------------------------------

  describe('POST /api/teams', () => {
    it('creates a team (201), trimming the name', async () => {
      const response = await post(acme.adminToken, '/api/teams', { name: '  Platform Engineering  ' }).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        name: 'Platform Engineering',
        externalId: null,
        managedBy: null,
        memberCount: 0,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await teamOf(acme, response.body.id)).toEqual({ ...response.body, members: [] });
      expect(await t.dataSource.getRepository(Team).findOneBy({ id: response.body.id })).toMatchObject({
        organisationId: acme.organisation.id,
        name: 'Platform Engineering',
        nameNormalized: 'platform engineering',
      });
    });

    it('refuses a duplicate name, ignoring case and surrounding spaces, with 409 TEAM_NAME_TAKEN', async () => {
      const original = await createTeam(acme, 'Finance');
      const error = await refused(post(acme.adminToken, '/api/teams', { name: 'FINANCE' }), 409, 'TEAM_NAME_TAKEN');
      expect(error.details).toEqual({ fields: ['name'] });
      await refused(post(acme.adminToken, '/api/teams', { name: ' finance ' }), 409, 'TEAM_NAME_TAKEN');
      expect((await teamsOf(acme)).filter((team) => team.name.toLowerCase() === 'finance')).toEqual([original]);
    });

    it('allows the same name in another organisation', async () => {
      await createTeam(acme, 'Legal');
      expect((await createTeam(globex, 'LEGAL')).name).toBe('LEGAL');
    });

    it.each([
      ['a blank name', { name: '   ' }, 'name'],
      ['an empty name', { name: '' }, 'name'],
      ['a missing name', {}, 'name'],
      ['a non-string name', { name: ['Ops'] }, 'name'],
      ['a name over 255 characters', { name: 'x'.repeat(256) }, 'name'],
      ['an unknown field', { name: 'Ops', externalId: 'abc' }, 'externalId'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_case, body, field) => {
      const error = await refused(post(acme.adminToken, '/api/teams', body), 400, 'VALIDATION_FAILED');
      expect(error.details?.fields).toContain(field);
    });

    it('accepts a name of exactly 255 characters', async () => {
      const name = `T${'x'.repeat(254)}`;
      expect((await createTeam(acme, name)).name).toBe(name);
    });
  });

  describe('GET /api/teams', () => {
    it("lists the organisation's teams by name with their member counts", async () => {
      const org = await t.createOrganisation('Listing Co');
      const zeta = await createTeam(org, 'zeta');
      const alpha = await createTeam(org, 'Alpha');
      const empty = await createTeam(org, 'Mid');
      const [ann, ben, cat] = [await createMember(org), await createMember(org), await createMember(org)];
      for (const user of [ann, ben, cat]) await addMember(org, zeta.id, user.id);
      await addMember(org, alpha.id, ann.id);

      const items = await teamsOf(org);
      expect(items.map((team) => [team.name, team.memberCount])).toEqual([
        ['Alpha', 1],
        ['Mid', 0],
        ['zeta', 3],
      ]);
      expect(items[1]).toEqual({ ...empty, updatedAt: expect.any(String) });
      expect(items.map((team) => team.id)).toEqual([alpha.id, empty.id, zeta.id]);
    });

    it("never shows another organisation's teams", async () => {
      const theirs = await createTeam(globex);
      expect((await teamsOf(acme)).map((team) => team.id)).not.toContain(theirs.id);
      expect((await teamsOf(globex)).map((team) => team.id)).toContain(theirs.id);
    });
  });

  // --- members ---------------------------------------------------------------------------------

  describe('members', () => {
    it('adds a member with PUT (204), idempotently', async () => {
      const team = await createTeam(acme);
      const user = await createMember(acme);
      await addMember(acme, team.id, user.id);
      const [row] = await memberRows(team.id);
      await addMember(acme, team.id, user.id);
      await addMember(acme, team.id, user.id);

      expect(await memberRows(team.id)).toEqual([row]);
      expect((await teamOf(acme, team.id)).memberCount).toBe(1);
      expect((await teamsOf(acme)).find((listed) => listed.id === team.id)?.memberCount).toBe(1);
    });

    it('stays idempotent when the same member is added concurrently', async () => {
      // A few rounds: a race that is lost only now and then must still fail this test.
      for (let round = 0; round < 5; round++) {
        const team = await createTeam(acme);
        const user = await createMember(acme);
        const responses = await Promise.all(
          Array.from({ length: 10 }, () => put(acme.adminToken, `/api/teams/${team.id}/members/${user.id}`).then((r) => r)),
        );
        expect(responses.map((r) => `${r.status} ${r.body.code ?? ''}`.trim())).toEqual(Array(10).fill('204'));
        expect((await memberRows(team.id)).map((row) => row.userId)).toEqual([user.id]);
      }
    });

    it('lists members by userName in GET /api/teams/:id', async () => {
      const team = await createTeam(acme);
      const zed = await createMember(acme, `zed${++counter}`);
      const amy = await createMember(acme, `Amy${++counter}`);
      const bob = await createMember(acme, `bob${++counter}`);
      for (const user of [zed, amy, bob]) await addMember(acme, team.id, user.id);

      const body = await teamOf(acme, team.id);
      expect(body).toEqual({ ...team, updatedAt: expect.any(String), memberCount: 3, members: expect.any(Array) });
      expect(body.members).toEqual(
        [amy, bob, zed].map((user) => ({ userId: user.id, displayName: user.displayName, userName: user.userName })),
      );
    });

    it('removes a member with DELETE (204); removing again is 404 USER_NOT_FOUND', async () => {
      const team = await createTeam(acme);
      const [stays, goes] = [await createMember(acme), await createMember(acme)];
      await addMember(acme, team.id, stays.id);
      await addMember(acme, team.id, goes.id);

      const response = await del(acme.adminToken, `/api/teams/${team.id}/members/${goes.id}`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect((await teamOf(acme, team.id)).members.map((member) => member.userId)).toEqual([stays.id]);
      // The user themself is untouched.
      expect((await get(acme.adminToken, `/api/users/${goes.id}`).expect(200)).body.active).toBe(true);

      await refused(del(acme.adminToken, `/api/teams/${team.id}/members/${goes.id}`), 404, 'USER_NOT_FOUND');
      await refused(del(acme.adminToken, `/api/teams/${team.id}/members/${randomUUID()}`), 404, 'USER_NOT_FOUND');
      expect((await teamOf(acme, team.id)).memberCount).toBe(1);
    });

    it('answers 404 for an unknown team or user', async () => {
      const team = await createTeam(acme);
      const user = await createMember(acme);
      await refused(put(acme.adminToken, `/api/teams/${randomUUID()}/members/${user.id}`), 404, 'TEAM_NOT_FOUND');
      await refused(put(acme.adminToken, `/api/teams/${team.id}/members/${randomUUID()}`), 404, 'USER_NOT_FOUND');
      await refused(del(acme.adminToken, `/api/teams/${randomUUID()}/members/${user.id}`), 404, 'TEAM_NOT_FOUND');
      await refused(get(acme.adminToken, `/api/teams/${randomUUID()}`), 404, 'TEAM_NOT_FOUND');
    });

    it('drops the memberships of a deleted user, and only theirs', async () => {
      const [first, second] = [await createTeam(acme), await createTeam(acme)];
      const [leaver, stayer] = [await createMember(acme), await createMember(acme)];
      for (const team of [first, second]) {
        await addMember(acme, team.id, leaver.id);
        await addMember(acme, team.id, stayer.id);
      }

      await del(acme.adminToken, `/api/users/${leaver.id}`).expect(204);

      for (const team of [first, second]) {
        const body = await teamOf(acme, team.id);
        expect({ count: body.memberCount, members: body.members.map((member) => member.userId) }).toEqual({
          count: 1,
          members: [stayer.id],
        });
        expect((await teamsOf(acme)).find((listed) => listed.id === team.id)?.memberCount).toBe(1);
      }
      expect(await t.dataSource.getRepository(TeamMember).findBy({ userId: leaver.id })).toEqual([]);
    });
  });

  // --- organisations and roles -----------------------------------------------------------------

  describe('isolation between organisations', () => {
    let theirTeam: TeamBody;
    let theirUser: UserView;
    let ourTeam: TeamBody;
    let ourUser: UserView;

    beforeAll(async () => {
      theirTeam = await createTeam(globex);
      theirUser = await createMember(globex);
      await addMember(globex, theirTeam.id, theirUser.id);
      ourTeam = await createTeam(acme);
      ourUser = await createMember(acme);
    });

    it("treats another organisation's team as unknown (404 TEAM_NOT_FOUND) for every operation", async () => {
      const before = await teamOf(globex, theirTeam.id);
      await refused(get(acme.adminToken, `/api/teams/${theirTeam.id}`), 404, 'TEAM_NOT_FOUND');
      await refused(put(acme.adminToken, `/api/teams/${theirTeam.id}/members/${ourUser.id}`), 404, 'TEAM_NOT_FOUND');
      await refused(del(acme.adminToken, `/api/teams/${theirTeam.id}/members/${theirUser.id}`), 404, 'TEAM_NOT_FOUND');
      await refused(del(acme.adminToken, `/api/teams/${theirTeam.id}`), 404, 'TEAM_NOT_FOUND');
      expect(await teamOf(globex, theirTeam.id)).toEqual(before);
    });

    it("treats another organisation's user as unknown (404 USER_NOT_FOUND)", async () => {
      await refused(put(acme.adminToken, `/api/teams/${ourTeam.id}/members/${theirUser.id}`), 404, 'USER_NOT_FOUND');
      expect((await teamOf(acme, ourTeam.id)).members).toEqual([]);
    });
  });

  describe('access', () => {
    let userToken: string;
    let team: TeamBody;
    let user: UserView;

    beforeAll(async () => {
      team = await createTeam(acme);
      const email = `plain${++counter}@${acme.organisation.slug}.test`;
      user = await t.createUser(acme.organisation.id, { email, password: TEST_PASSWORD });
      userToken = await t.login(email, TEST_PASSWORD);
    });

    it('refuses non-admins with 403 FORBIDDEN on every endpoint, changing nothing', async () => {
      await refused(post(userToken, '/api/teams', { name: 'Shadow team' }), 403, 'FORBIDDEN');
      await refused(get(userToken, '/api/teams'), 403, 'FORBIDDEN');
      await refused(get(userToken, `/api/teams/${team.id}`), 403, 'FORBIDDEN');
      await refused(put(userToken, `/api/teams/${team.id}/members/${user.id}`), 403, 'FORBIDDEN');
      await refused(del(userToken, `/api/teams/${team.id}/members/${user.id}`), 403, 'FORBIDDEN');
      await refused(del(userToken, `/api/teams/${team.id}`), 403, 'FORBIDDEN');
      expect((await teamsOf(acme)).map((listed) => listed.name)).not.toContain('Shadow team');
      expect(await teamOf(acme, team.id)).toMatchObject({ id: team.id, members: [] });
    });

    it('refuses requests without a valid token with 401 UNAUTHENTICATED', async () => {
      await refused(t.http().get('/api/teams'), 401, 'UNAUTHENTICATED');
      await refused(t.http().post('/api/teams').send({ name: 'Anonymous team' }), 401, 'UNAUTHENTICATED');
      await refused(del('not-a-token', `/api/teams/${team.id}`), 401, 'UNAUTHENTICATED');
    });
  });

  // --- deleting --------------------------------------------------------------------------------

  describe('DELETE /api/teams/:id', () => {
    it('deletes the team (204) with its memberships but not its members; then 404', async () => {
      const team = await createTeam(acme, 'Short-lived');
      const other = await createTeam(acme);
      const user = await createMember(acme);
      await addMember(acme, team.id, user.id);
      await addMember(acme, other.id, user.id);

      const response = await del(acme.adminToken, `/api/teams/${team.id}`);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');

      await refused(get(acme.adminToken, `/api/teams/${team.id}`), 404, 'TEAM_NOT_FOUND');
      await refused(del(acme.adminToken, `/api/teams/${team.id}`), 404, 'TEAM_NOT_FOUND');
      await refused(put(acme.adminToken, `/api/teams/${team.id}/members/${user.id}`), 404, 'TEAM_NOT_FOUND');
      expect((await teamsOf(acme)).map((listed) => listed.id)).not.toContain(team.id);
      expect(await memberRows(team.id)).toEqual([]);
      expect((await get(acme.adminToken, `/api/users/${user.id}`).expect(200)).body.id).toBe(user.id);
      expect((await teamOf(acme, other.id)).members.map((member) => member.userId)).toEqual([user.id]);

      // The name is free again.
      expect((await createTeam(acme, 'short-lived')).name).toBe('short-lived');
    });
  });
});

interface TeamBody {
  id: string;
  name: string;
  externalId: string | null;
  managedBy: 'scim' | null;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

interface TeamWithMembersBody extends TeamBody {
  members: { userId: string; displayName: string | null; userName: string }[];
}
