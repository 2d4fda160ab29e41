import { STATEMENT_SEPARATOR } from '../../src/database/write-batch';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import { createTestApp, type TestApp } from './harness/test-app';

/**
 * SCIM user writes answer with what they wrote instead of reading the user back (issue 9), so each
 * answer must equal a GET that follows it, and the statements they send to the user tables are counted
 * here so that a read-back or a needless rewrite cannot creep back in.
 */

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
// Quoted, as the statements name tables: the row count written beside a user names `'users'` as a value.
const USER_TABLES = /[`"](users|team_members|user_emails|user_phone_numbers|user_addresses)[`"]/;

type Json = Record<string, any>;

const annBody = (userName: string): Json => ({
  schemas: [USER, ENTERPRISE],
  userName,
  externalId: `ext-${userName}`,
  name: { givenName: 'Ann', familyName: 'Lee' },
  displayName: 'Ann Lee',
  title: 'Engineer',
  emails: [
    { value: userName, type: 'work', primary: true },
    { value: `home-${userName}`, type: 'home' },
  ],
  phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
  addresses: [{ streetAddress: '1 Main St', locality: 'Springfield', type: 'work', primary: true }],
  [ENTERPRISE]: { department: 'R&D', manager: { value: 'boss-1' } },
});

describe('SCIM user writes answer with what is stored', () => {
  let t: TestApp;
  let acme: ScimTenant;

  beforeAll(async () => {
    t = await createTestApp('scim-user-writes');
    acme = await createScimTenant(t, 'Acme');
  });
  afterAll(() => t.close());

  const patch = (id: string, operations: unknown[]) =>
    t
      .http()
      .patch(`${acme.base}/Users/${id}`)
      .set('Authorization', `Bearer ${acme.token}`)
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ schemas: [PATCH_OP], Operations: operations }));

  /** The statements a request sends to the user tables, by kind and table, e.g. `INSERT user_emails`. */
  async function userTableStatements<T>(request: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const spy = jest.spyOn(t.dataSource.logger, 'logQuery');
    try {
      const result = await request();
      const statements = spy.mock.calls
        // A batched round trip (write-batch.ts) carries several statements.
        .flatMap(([sql]) => sql.split(STATEMENT_SEPARATOR))
        .filter((sql) => USER_TABLES.test(sql))
        .map((sql) => `${/^\s*(\w+)/.exec(sql)?.[1].toUpperCase()} ${USER_TABLES.exec(sql)?.[1]}`);
      return { result, statements };
    } finally {
      spy.mockRestore();
    }
  }

  const stored = async (id: string): Promise<Json> => (await acme.get(`/Users/${id}`).expect(200)).body;

  it('POST inserts the user and each non-empty contact list once, reads nothing back, and answers what a GET shows', async () => {
    const { result, statements } = await userTableStatements(() => acme.post('/Users', annBody('ann@acme.test')).expect(201));
    expect(statements).toEqual(['INSERT users', 'INSERT user_emails', 'INSERT user_phone_numbers', 'INSERT user_addresses']);
    expect(result.body.meta.version).toBe('W/"1"');
    expect(await stored(result.body.id)).toEqual(result.body);
  });

  it('POST without contact elements writes only the user row', async () => {
    const { result, statements } = await userTableStatements(() =>
      acme.post('/Users', { schemas: [USER], userName: 'bare@acme.test' }).expect(201),
    );
    expect(statements).toEqual(['INSERT users']);
    expect(await stored(result.body.id)).toEqual(result.body);
  });

  it('a PUT that changes nothing writes nothing and keeps the version and lastModified', async () => {
    const created = (await acme.post('/Users', annBody('same@acme.test')).expect(201)).body;
    const { result, statements } = await userTableStatements(() => acme.put(`/Users/${created.id}`, annBody('same@acme.test')).expect(200));
    expect(statements.filter((statement) => !statement.startsWith('SELECT'))).toEqual([]);
    expect(result.body).toEqual(created);
    expect(await stored(created.id)).toEqual(created);
  });

  it('a PATCH of user columns updates the user row once and leaves the contact tables alone', async () => {
    const created = (await acme.post('/Users', annBody('cols@acme.test')).expect(201)).body;
    const { result, statements } = await userTableStatements(() =>
      patch(created.id, [
        { op: 'Replace', path: 'title', value: 'Lead' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Ops' },
      ]).expect(200),
    );
    expect(statements.filter((statement) => !statement.startsWith('SELECT'))).toEqual(['UPDATE users']);
    expect(result.body.meta.version).toBe('W/"2"');
    expect(result.body.meta.lastModified).not.toBe(created.meta.lastModified);
    expect(await stored(created.id)).toEqual(result.body);
  });

  it('a PUT that changes one contact list rewrites that table only, and answers what a GET shows', async () => {
    const created = (await acme.post('/Users', annBody('phones@acme.test')).expect(201)).body;
    const changed = { ...annBody('phones@acme.test'), phoneNumbers: [{ value: '+1 555 0199', type: 'mobile', primary: true }] };
    const { result, statements } = await userTableStatements(() => acme.put(`/Users/${created.id}`, changed).expect(200));
    expect(statements.filter((statement) => !statement.startsWith('SELECT'))).toEqual([
      'UPDATE users',
      'DELETE user_phone_numbers',
      'INSERT user_phone_numbers',
    ]);
    expect(result.body.phoneNumbers).toEqual([{ value: '+1 555 0199', type: 'mobile', primary: true }]);
    expect(await stored(created.id)).toEqual(result.body);
  });

  it('removing a contact list deletes its rows, and the answer shows none', async () => {
    const created = (await acme.post('/Users', annBody('noaddr@acme.test')).expect(201)).body;
    const { result, statements } = await userTableStatements(() => patch(created.id, [{ op: 'remove', path: 'addresses' }]).expect(200));
    expect(statements.filter((statement) => !statement.startsWith('SELECT'))).toEqual(['UPDATE users', 'DELETE user_addresses']);
    expect(result.body.addresses).toBeUndefined();
    // The resource changed, so its version and lastModified must too, although no users column did.
    expect(result.body.meta.version).toBe('W/"2"');
    expect(result.body.meta.lastModified).not.toBe(created.meta.lastModified);
    expect(await stored(created.id)).toEqual(result.body);
  });

  it('a write keeps showing the teams the user belongs to', async () => {
    const created = (await acme.post('/Users', annBody('member@acme.test')).expect(201)).body;
    await acme
      .post('/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Floor 1',
        members: [{ value: created.id }],
      })
      .expect(201);
    const updated = (await patch(created.id, [{ op: 'replace', path: 'displayName', value: 'Ann L.' }]).expect(200)).body;
    expect(updated.groups).toEqual([expect.objectContaining({ display: 'Floor 1', type: 'direct' })]);
    expect(await stored(created.id)).toEqual(updated);
  });

  it('a lone UTF-16 surrogate is answered as the database stored it', async () => {
    const body = JSON.stringify({ schemas: [USER], userName: 'surrogate@acme.test', displayName: 'Ann \ud800 Lee' });
    const response = await t
      .http()
      .post(`${acme.base}/Users`)
      .set('Authorization', `Bearer ${acme.token}`)
      .set('Content-Type', 'application/scim+json')
      .send(body);
    // The drivers store it as replacement characters, so the answer must be read back to show what a GET will.
    expect(response.status).toBe(201);
    expect(response.body.displayName).not.toBe('Ann \ud800 Lee');
    expect(await stored(response.body.id)).toEqual(response.body);
  });
});
