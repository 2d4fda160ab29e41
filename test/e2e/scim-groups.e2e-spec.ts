import { createTestApp, type TestApp } from './harness/test-app';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const body = (response: { text: string }) => JSON.parse(response.text);

describe('SCIM /Groups', () => {
  let t: TestApp;
  let acme: ScimTenant;
  let globex: ScimTenant;
  /** Users provisioned in Acme, by short name. */
  const people: Record<string, string> = {};
  let globexUser: string;

  beforeAll(async () => {
    t = await createTestApp('scim-groups');
    acme = await createScimTenant(t, 'Acme');
    globex = await createScimTenant(t, 'Globex');
    for (const name of ['ann', 'ravi', 'lena', 'omar', 'kenji']) {
      const created = await acme
        .post('/Users', { userName: `${name}@acme.test`, displayName: `${name[0].toUpperCase()}${name.slice(1)}` })
        .expect(201);
      people[name] = body(created).id;
    }
    globexUser = body(await globex.post('/Users', { userName: 'gil@globex.test', displayName: 'Gil' }).expect(201)).id;
  });
  afterAll(() => t.close());

  const patch = (tenant: ScimTenant, id: string, operations: unknown[], options: { ifMatch?: string; query?: string } = {}) => {
    const call = t
      .http()
      .patch(`${tenant.base}/Groups/${id}${options.query ?? ''}`)
      .set('Authorization', `Bearer ${tenant.token}`)
      .set('Content-Type', 'application/scim+json');
    if (options.ifMatch) call.set('If-Match', options.ifMatch);
    return call.send(JSON.stringify({ schemas: [PATCH_OP], Operations: operations }));
  };
  const createGroup = async (displayName: string, members: string[] = [], extra: Record<string, unknown> = {}) =>
    body(await acme.post('/Groups', { schemas: [GROUP], displayName, members: members.map((value) => ({ value })), ...extra }).expect(201));
  const memberIds = async (id: string): Promise<string[]> =>
    ((body(await acme.get(`/Groups/${id}`).expect(200)).members ?? []) as { value: string }[]).map((member) => member.value).sort();
  const sorted = (...ids: string[]) => [...ids].sort();

  describe('create and read', () => {
    it('creates a group: 201, Location and ETag, members with display, $ref and type, managed by SCIM in the app', async () => {
      const response = await acme
        .post('/Groups', {
          schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
          externalId: 'ext-floor-3',
          displayName: 'Floor 3',
          members: [{ value: people.ann }, { value: people.ravi, display: 'ignored' }],
          meta: { resourceType: 'Group' },
        })
        .expect(201);
      const created = body(response);
      expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(response.headers.location).toBe(created.meta.location);
      expect(response.headers.etag).toBe('W/"1"');
      const tenantUrl = `${t.config.publicBaseUrl}${acme.base}`;
      expect(created).toEqual({
        schemas: [GROUP],
        id: expect.any(String),
        externalId: 'ext-floor-3',
        displayName: 'Floor 3',
        members: expect.arrayContaining([
          { value: people.ann, display: 'Ann', $ref: `${tenantUrl}/Users/${people.ann}`, type: 'User' },
          { value: people.ravi, display: 'Ravi', $ref: `${tenantUrl}/Users/${people.ravi}`, type: 'User' },
        ]),
        meta: {
          resourceType: 'Group',
          created: expect.any(String),
          lastModified: expect.any(String),
          location: `${tenantUrl}/Groups/${created.id}`,
          version: 'W/"1"',
        },
      });
      expect(created.members).toHaveLength(2);
      expect(body(await acme.get(`/Groups/${created.id}`).expect(200))).toEqual(created);
      const asAdmin = await t.http().get(`/api/teams/${created.id}`).auth(acme.adminToken, { type: 'bearer' }).expect(200);
      expect(asAdmin.body).toMatchObject({ id: created.id, name: 'Floor 3', externalId: 'ext-floor-3', managedBy: 'scim', memberCount: 2 });
    });

    it('leaves members out entirely with excludedAttributes=members, on reads and lists', async () => {
      const group = await createGroup('Excluded', [people.ann]);
      const single = body(await acme.get(`/Groups/${group.id}`).query({ excludedAttributes: 'members' }).expect(200));
      expect(single).not.toHaveProperty('members');
      expect(single).toMatchObject({ id: group.id, displayName: 'Excluded' });
      const listed = body(
        await acme.get('/Groups').query({ excludedAttributes: 'members', filter: 'displayName eq "excluded"' }).expect(200),
      );
      expect(listed.totalResults).toBe(1);
      expect(listed.Resources[0]).not.toHaveProperty('members');
      const narrow = body(await acme.get(`/Groups/${group.id}`).query({ attributes: 'displayName' }).expect(200));
      expect(Object.keys(narrow).sort()).toEqual(['displayName', 'id', 'meta', 'schemas']);
      const onlyIds = body(await acme.get(`/Groups/${group.id}`).query({ attributes: 'members.value' }).expect(200));
      expect(onlyIds.members).toEqual([{ value: people.ann }]);
    });

    it('refuses a displayName that differs only in case with 409 uniqueness, in this organisation only', async () => {
      await createGroup('Unique Team');
      const clash = await acme.post('/Groups', { schemas: [GROUP], displayName: 'UNIQUE team' }).expect(409);
      expect(body(clash)).toEqual({
        schemas: [ERROR],
        status: '409',
        scimType: 'uniqueness',
        detail: expect.stringContaining('UNIQUE team'),
      });
      await globex.post('/Groups', { schemas: [GROUP], displayName: 'Unique Team' }).expect(201);
    });

    it('gives exactly one 201 for concurrent creates of one displayName', async () => {
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, index) => acme.post('/Groups', { schemas: [GROUP], displayName: index % 2 ? 'RACE' : 'race' })),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      const found = body(await acme.get('/Groups').query({ filter: 'displayName eq "Race"' }).expect(200));
      expect(found.totalResults).toBe(1);
    });

    it.each([
      ['an unknown member id', () => [{ value: people.ann }, { value: UNKNOWN_ID }]],
      ["another organisation's user", () => [{ value: globexUser }]],
    ])('refuses %s in POST with 400 invalidValue and creates nothing', async (_case, members) => {
      const response = await acme.post('/Groups', { schemas: [GROUP], displayName: 'Never Created', members: members() }).expect(400);
      expect(body(response)).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
      const found = body(await acme.get('/Groups').query({ filter: 'displayName eq "Never Created"' }).expect(200));
      expect(found.totalResults).toBe(0);
    });

    it.each([
      ['no displayName', { schemas: [GROUP], externalId: 'x' }, 'invalidValue'],
      ['a number for displayName', { displayName: 7 }, 'invalidValue'],
      ['a member without a value', { displayName: 'No Value', members: [{ display: 'Ann' }] }, 'invalidValue'],
      ['a list body', [{ displayName: 'x' }], 'invalidSyntax'],
    ])('refuses %s with 400', async (_case, payload, scimType) => {
      expect(body(await acme.post('/Groups', payload).expect(400))).toMatchObject({ status: '400', scimType });
    });
  });

  describe('PATCH', () => {
    it("removes exactly the listed member with Entra's remove-with-value (3 members, remove 1), answering 204 with the ETag", async () => {
      const group = await createGroup('Remove One', [people.ann, people.ravi, people.lena]);
      const response = await patch(acme, group.id, [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: people.ravi }] }]).expect(
        204,
      );
      expect(response.text).toBe('');
      expect(response.headers.etag).toBe('W/"2"');
      expect(await memberIds(group.id)).toEqual(sorted(people.ann, people.lena));
    });

    it('adds members by row inserts: re-adding is a no-op that keeps the version, removing a non-member too', async () => {
      const group = await createGroup('Adds', [people.ann]);
      await patch(acme, group.id, [{ op: 'Add', path: 'members', value: [{ value: people.ann }, { value: people.ravi }] }]).expect(204);
      expect(await memberIds(group.id)).toEqual(sorted(people.ann, people.ravi));
      const again = await patch(acme, group.id, [
        { op: 'add', path: 'members', value: [{ value: people.ravi, display: 'Someone else' }] },
        { op: 'remove', path: `members[value eq "${people.omar}"]` },
      ]).expect(204);
      expect(again.headers.etag).toBe('W/"2"');
      expect(body(await acme.get(`/Groups/${group.id}`).expect(200)).meta.version).toBe('W/"2"');
    });

    it('answers 200 with the group when attributes are requested', async () => {
      const group = await createGroup('Echo');
      const response = await patch(acme, group.id, [{ op: 'add', path: 'members', value: [{ value: people.kenji }] }], {
        query: '?attributes=members,displayName',
      }).expect(200);
      expect(body(response)).toEqual({
        schemas: [GROUP],
        id: group.id,
        displayName: 'Echo',
        members: [expect.objectContaining({ value: people.kenji, display: 'Kenji', type: 'User' })],
        meta: { resourceType: 'Group' },
      });
      expect(body(await acme.get(`/Groups/${group.id}`).expect(200)).meta.version).toBe('W/"2"');
    });

    it.each([
      ['an unknown id', () => UNKNOWN_ID],
      ["another organisation's user", () => globexUser],
    ])('refuses to add %s with 400 invalidValue, applying none of the request', async (_case, stranger) => {
      const group = await createGroup(`Strict ${Math.random()}`, [people.ann]);
      const response = await patch(acme, group.id, [
        { op: 'replace', path: 'displayName', value: 'Renamed Strict' },
        { op: 'remove', path: `members[value eq "${people.ann}"]` },
        { op: 'add', path: 'members', value: [{ value: people.ravi }, { value: stranger() }] },
      ]).expect(400);
      expect(body(response)).toMatchObject({ status: '400', scimType: 'invalidValue', detail: expect.stringContaining(stranger()) });
      expect(body(await acme.get(`/Groups/${group.id}`).expect(200))).toEqual(group);
    });

    it("replaces the member list (Okta's push), and empties it with []", async () => {
      const group = await createGroup('Push', [people.ann, people.ravi]);
      await patch(acme, group.id, [{ op: 'replace', path: 'members', value: [{ value: people.ravi }, { value: people.lena }] }]).expect(
        204,
      );
      expect(await memberIds(group.id)).toEqual(sorted(people.ravi, people.lena));
      await patch(acme, group.id, [{ op: 'replace', path: 'members', value: [] }]).expect(204);
      expect(body(await acme.get(`/Groups/${group.id}`).expect(200))).not.toHaveProperty('members');
    });

    it('renames (also path-less with its own id), answering 409 on a taken name and 400 on another id', async () => {
      await createGroup('Taken Name');
      const group = await createGroup('Old Name', [people.ann]);
      await patch(acme, group.id, [{ op: 'replace', value: { id: group.id, displayName: 'New Name', externalId: 'e-1' } }]).expect(204);
      expect(body(await acme.get(`/Groups/${group.id}`).expect(200))).toMatchObject({ displayName: 'New Name', externalId: 'e-1' });
      const clash = await patch(acme, group.id, [{ op: 'replace', path: 'displayName', value: 'taken name' }]).expect(409);
      expect(body(clash)).toMatchObject({ status: '409', scimType: 'uniqueness' });
      const otherId = await patch(acme, group.id, [{ op: 'replace', value: { id: 'not-mine', displayName: 'X' } }]).expect(400);
      expect(body(otherId)).toMatchObject({ scimType: 'mutability' });
      expect(await memberIds(group.id)).toEqual([people.ann]);
    });

    it('honours If-Match with 412, and answers 404 for unknown groups', async () => {
      const group = await createGroup('Versioned');
      await patch(acme, group.id, [{ op: 'replace', path: 'displayName', value: 'Stale' }], { ifMatch: 'W/"9"' }).expect(412);
      await patch(acme, group.id, [{ op: 'replace', path: 'displayName', value: 'Fresh' }], { ifMatch: group.meta.version }).expect(204);
      await patch(acme, UNKNOWN_ID, [{ op: 'replace', path: 'displayName', value: 'X' }]).expect(404);
    });

    it('refuses a bad request with 400 before touching anything', async () => {
      const group = await createGroup('Bad Requests', [people.ann]);
      for (const [operations, scimType] of [
        [[{ op: 'remove' }], 'noTarget'],
        [[{ op: 'add', path: 'owners', value: 'x' }], 'invalidPath'],
        [[{ op: 'remove', path: 'displayName' }], 'mutability'],
        [[{ op: 'add', path: 'members', value: [{ display: 'No id' }] }], 'invalidValue'],
      ] as const) {
        expect(body(await patch(acme, group.id, [...operations]).expect(400))).toMatchObject({ scimType });
      }
      expect(body(await acme.get(`/Groups/${group.id}`).expect(200))).toEqual(group);
    });
  });

  describe('replace (PUT) and delete', () => {
    it('replaces name, externalId and members by difference; without members it keeps them; [] empties', async () => {
      const group = await createGroup('Put Me', [people.ann, people.ravi], { externalId: 'old' });
      const replaced = body(
        await acme
          .put(`/Groups/${group.id}`, {
            schemas: [GROUP],
            displayName: 'Put Done',
            members: [{ value: people.ravi }, { value: people.omar }],
          })
          .expect(200),
      );
      expect(replaced).not.toHaveProperty('externalId');
      expect(replaced).toMatchObject({ displayName: 'Put Done', meta: { version: 'W/"2"' } });
      expect(await memberIds(group.id)).toEqual(sorted(people.ravi, people.omar));

      const renamed = body(await acme.put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: 'Put Renamed' }).expect(200));
      expect(renamed.members.map((member: { value: string }) => member.value).sort()).toEqual(sorted(people.ravi, people.omar));
      const same = body(await acme.put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: 'Put Renamed' }).expect(200));
      expect(same.meta).toEqual(renamed.meta);

      await acme.put(`/Groups/${group.id}`, { displayName: 'Put Renamed', members: [{ value: UNKNOWN_ID }] }).expect(400);
      await acme.put(`/Groups/${group.id}`, { displayName: 'Put Renamed', members: [] }).expect(200);
      expect(body(await acme.get(`/Groups/${group.id}`).expect(200))).not.toHaveProperty('members');
      await acme.put(`/Groups/${group.id}`, { displayName: 'X' }).set('If-Match', 'W/"1"').expect(412);
    });

    it('deletes a group: 204, then 404 everywhere; memberships go, users stay', async () => {
      const group = await createGroup('Short Lived', [people.ann]);
      await acme.delete(`/Groups/${group.id}`).set('If-Match', 'W/"7"').expect(412);
      await acme.delete(`/Groups/${group.id}`).expect(204);
      await acme.get(`/Groups/${group.id}`).expect(404);
      await acme.delete(`/Groups/${group.id}`).expect(404);
      await patch(acme, group.id, [{ op: 'replace', path: 'displayName', value: 'X' }]).expect(404);
      const [{ count }] = await t.dataSource.query('SELECT COUNT(*) AS count FROM team_members WHERE teamId = ?', [group.id]);
      expect(Number(count)).toBe(0);
      expect(body(await acme.get(`/Users/${people.ann}`).expect(200))).toMatchObject({ id: people.ann, active: true });
      await createGroup('short lived');
    });

    it('deleting a user removes its memberships and nothing else', async () => {
      const leaver = body(await acme.post('/Users', { userName: 'leaver@acme.test', displayName: 'Leaver' }).expect(201)).id;
      const group = await createGroup('Leavers', [leaver, people.ann]);
      await acme.delete(`/Users/${leaver}`).expect(204);
      expect(await memberIds(group.id)).toEqual([people.ann]);
      const filtered = body(
        await acme
          .get('/Groups')
          .query({ filter: `members[value eq "${leaver}"]` })
          .expect(200),
      );
      expect(filtered.totalResults).toBe(0);
    });
  });

  describe('organisations are isolated', () => {
    it("answers 401 to another organisation's token and 404 for its group ids", async () => {
      const ours = await createGroup('Ours Only', [people.ann]);
      await t.http().get(`${acme.base}/Groups`).auth(globex.token, { type: 'bearer' }).expect(401);
      await t.http().get(`${acme.base}/Groups/${ours.id}`).auth(globex.token, { type: 'bearer' }).expect(401);
      await globex.get(`/Groups/${ours.id}`).expect(404);
      await globex.put(`/Groups/${ours.id}`, { displayName: 'Hijacked' }).expect(404);
      await patch(globex, ours.id, [{ op: 'replace', path: 'displayName', value: 'Hijacked' }]).expect(404);
      await globex.delete(`/Groups/${ours.id}`).expect(404);
      const theirs = body(
        await globex
          .get('/Groups')
          .query({ filter: `members[value eq "${people.ann}"]` })
          .expect(200),
      );
      expect(theirs.totalResults).toBe(0);
      expect(body(await acme.get(`/Groups/${ours.id}`).expect(200))).toEqual(ours);
    });
  });

  describe('list and filter', () => {
    let paging: ScimTenant;
    const names = Array.from({ length: 7 }, (_, index) => `Team ${String(index + 1).padStart(2, '0')}`);
    const ids: Record<string, string> = {};
    let member: string;

    beforeAll(async () => {
      paging = await createScimTenant(t, 'Paging Groups');
      member = body(await paging.post('/Users', { userName: 'pat@paging.test', displayName: 'Pat' }).expect(201)).id;
      for (const [index, displayName] of names.entries()) {
        const created = await paging
          .post('/Groups', {
            schemas: [GROUP],
            displayName,
            externalId: `Ext-${index + 1}`,
            members: index % 2 === 0 ? [{ value: member }] : [],
          })
          .expect(201);
        ids[displayName] = body(created).id;
      }
    });

    it('pages across 3 pages, every group exactly once, in a stable order', async () => {
      const seen: string[] = [];
      for (const startIndex of [1, 4, 7]) {
        const page = body(await paging.get('/Groups').query({ startIndex, count: 3 }).expect(200));
        expect(page).toMatchObject({ schemas: [LIST], totalResults: 7, startIndex, itemsPerPage: startIndex === 7 ? 1 : 3 });
        seen.push(...page.Resources.map((group: { id: string }) => group.id));
      }
      expect(seen).toEqual(names.map((name) => ids[name]));
      expect(body(await paging.get('/Groups?count=0').expect(200))).toEqual({
        schemas: [LIST],
        totalResults: 7,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
    });

    it('filters by displayName eq regardless of case, and by externalId eq case-exactly', async () => {
      const byName = body(await paging.get('/Groups').query({ filter: 'displayName eq "TEAM 03"' }).expect(200));
      expect(byName).toMatchObject({ totalResults: 1, Resources: [{ id: ids['Team 03'], displayName: 'Team 03' }] });
      const byExternalId = body(await paging.get('/Groups').query({ filter: 'externalId eq "Ext-4"' }).expect(200));
      expect(byExternalId).toMatchObject({ totalResults: 1, Resources: [{ id: ids['Team 04'] }] });
      expect(body(await paging.get('/Groups').query({ filter: 'externalId eq "ext-4"' }).expect(200)).totalResults).toBe(0);
      const byId = body(
        await paging
          .get('/Groups')
          .query({ filter: `id eq "${ids['Team 05']}"` })
          .expect(200),
      );
      expect(byId.Resources.map((group: { id: string }) => group.id)).toEqual([ids['Team 05']]);
    });

    it('filters by member, with members[value eq …] and members.value', async () => {
      const expected = [names[0], names[2], names[4], names[6]].map((name) => ids[name]);
      for (const filter of [`members[value eq "${member}"]`, `members.value eq "${member}"`, `members eq "${member}"`]) {
        const found = body(await paging.get('/Groups').query({ filter, excludedAttributes: 'members' }).expect(200));
        expect(found.Resources.map((group: { id: string }) => group.id)).toEqual(expected);
      }
      const withoutMembers = body(await paging.get('/Groups').query({ filter: 'not (members pr)' }).expect(200));
      expect(withoutMembers.totalResults).toBe(3);
    });

    it('filters with the full grammar, sorts, and searches with POST /Groups/.search', async () => {
      const found = body(
        await paging
          .get('/Groups')
          .query({ filter: 'displayName sw "team 0" and (externalId eq "Ext-1" or externalId eq "Ext-2")' })
          .expect(200),
      );
      expect(found.totalResults).toBe(2);
      const sortedDescending = body(
        await paging.get('/Groups').query({ sortBy: 'displayName', sortOrder: 'descending', count: 2 }).expect(200),
      );
      expect(sortedDescending.Resources.map((group: { displayName: string }) => group.displayName)).toEqual(['Team 07', 'Team 06']);
      const searched = await paging
        .post('/Groups/.search', {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
          filter: 'meta.created gt "2000-01-01T00:00:00Z"',
          excludedAttributes: ['members'],
          count: 5,
        })
        .expect(200);
      expect(body(searched)).toMatchObject({ totalResults: 7, itemsPerPage: 5 });
      expect(body(searched).Resources[0]).not.toHaveProperty('members');
    });

    it.each([
      ['an unknown attribute', 'owner eq "x"'],
      ['a member sub-attribute that is not stored', 'members.display eq "Pat"'],
      ['bad syntax', 'displayName eq'],
    ])('answers %s with 400 invalidFilter', async (_case, filter) => {
      expect(body(await paging.get('/Groups').query({ filter }).expect(400))).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    });

    it("lists a user's emails as stored and its teams by name as the database compares them, on a read and on a page", async () => {
      // Names the databases order by code point: "\u{1F600}" (U+1F600) after "\uFF21" (U+FF21), where JavaScript's
      // UTF-16 order puts it before; "a…" after "Z…", as lower-cased names compare ("zeta" before "ä…" too).
      const teamNames = ['Zeta', '\uFF21 wide', '\u{1F600} smile', 'alpha', 'Äbc'];
      const emails = ['c@order.test', 'a@order.test', 'b@order.test'].map((value) => ({ value, type: 'other' }));
      const user = body(await paging.post('/Users', { userName: 'order@paging.test', emails }).expect(201));
      for (const displayName of teamNames) {
        await paging.post('/Groups', { schemas: [GROUP], displayName, members: [{ value: user.id }] }).expect(201);
      }
      const expected = ['alpha', 'Zeta', 'Äbc', '\uFF21 wide', '\u{1F600} smile'];
      const read = body(await paging.get(`/Users/${user.id}`).expect(200));
      expect(read.groups.map((group: { display: string }) => group.display)).toEqual(expected);
      expect(read.emails.map((email: { value: string }) => email.value)).toEqual(emails.map((email) => email.value));
      const page = body(await paging.get('/Users').query({ count: 1000 }).expect(200));
      const listed = page.Resources.find((resource: { id: string }) => resource.id === user.id);
      expect(listed.groups).toEqual(read.groups);
      expect(listed.emails).toEqual(read.emails);
    });

    it("shows a user's teams as its read-only groups attribute", async () => {
      const user = body(await paging.get(`/Users/${member}`).expect(200));
      const tenantUrl = `${t.config.publicBaseUrl}${paging.base}`;
      expect(user.groups).toEqual(
        [names[0], names[2], names[4], names[6]].map((name) => ({
          value: ids[name],
          display: name,
          $ref: `${tenantUrl}/Groups/${ids[name]}`,
          type: 'direct',
        })),
      );
      const listed = body(await paging.get('/Users').query({ filter: 'userName eq "pat@paging.test"' }).expect(200));
      expect(listed.Resources[0].groups).toEqual(user.groups);
      expect(body(await paging.get(`/Users/${member}`).query({ excludedAttributes: 'groups' }).expect(200))).not.toHaveProperty('groups');
      const refused = await t
        .http()
        .patch(`${paging.base}/Users/${member}`)
        .set('Authorization', `Bearer ${paging.token}`)
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'groups', value: [{ value: ids['Team 02'] }] }] }))
        .expect(400);
      expect(body(refused)).toMatchObject({ scimType: 'mutability' });
      const unchanged = body(
        await t
          .http()
          .patch(`${paging.base}/Users/${member}`)
          .set('Authorization', `Bearer ${paging.token}`)
          .set('Content-Type', 'application/scim+json')
          .send(JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] }))
          .expect(200),
      );
      expect(unchanged.groups).toEqual(user.groups);
    });
  });

  describe('discovery', () => {
    it('lists the Group resource type and schema', async () => {
      const type = body(await acme.get('/ResourceTypes/Group').expect(200));
      expect(type).toMatchObject({ id: 'Group', endpoint: '/Groups', schema: GROUP });
      const schema = body(await acme.get(`/Schemas/${GROUP}`).expect(200));
      expect(schema.attributes.map((attribute: { name: string }) => attribute.name)).toEqual(['displayName', 'members']);
    });
  });
});
