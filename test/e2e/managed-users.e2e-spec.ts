import { ScimCredentialsService } from '../../src/scim/auth/scim-credentials.service';
import { UserManagedByScimError } from '../../src/users/managed-by-scim.policy';
import { User } from '../../src/users/user.entity';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import { createTestApp, type TestApp } from './harness/test-app';

describe('users managed by SCIM are read-only in the app, except their permissions', () => {
  let t: TestApp;
  let acme: ScimTenant;

  beforeAll(async () => {
    t = await createTestApp('managed-users');
    acme = await createScimTenant(t, 'Acme');
  });
  afterAll(() => t.close());

  const admin = {
    get: (path: string) => t.http().get(path).auth(acme.adminToken, { type: 'bearer' }),
    patch: (path: string, body: object) => t.http().patch(path).auth(acme.adminToken, { type: 'bearer' }).send(body),
    delete: (path: string) => t.http().delete(path).auth(acme.adminToken, { type: 'bearer' }),
  };

  async function provision(userName: string): Promise<string> {
    const response = await acme
      .post('/Users', { userName, displayName: 'Managed Person', emails: [{ value: userName, type: 'work', primary: true }] })
      .expect(201);
    return JSON.parse(response.text).id;
  }

  it('lets an admin change role and booking permissions of a managed user', async () => {
    const id = await provision('perm@acme.test');
    const response = await admin.patch(`/api/users/${id}`, { role: 'admin', permissions: { canBookParking: true } }).expect(200);
    expect(response.body).toMatchObject({ managedBy: 'scim', role: 'admin', permissions: { canBookParking: true } });
  });

  it('refuses identity changes with 409 USER_MANAGED_BY_SCIM naming the fields, and changes nothing', async () => {
    const id = await provision('identity@acme.test');
    const before = (await admin.get(`/api/users/${id}`).expect(200)).body;
    const response = await admin.patch(`/api/users/${id}`, { displayName: 'Renamed', email: 'other@acme.test', role: 'admin' }).expect(409);
    expect(response.body).toMatchObject({ statusCode: 409, code: 'USER_MANAGED_BY_SCIM', details: { fields: ['displayName', 'email'] } });
    expect(response.body.message).toMatch(/displayName, email/);
    expect((await admin.get(`/api/users/${id}`).expect(200)).body).toEqual(before);
  });

  it('accepts an identity field sent unchanged beside a permission change (a whole form saved)', async () => {
    const id = await provision('form@acme.test');
    await admin.patch(`/api/users/${id}`, { displayName: 'Managed Person', role: 'admin' }).expect(200);
  });

  it('refuses deactivation and deletion in the app', async () => {
    const id = await provision('keep@acme.test');
    expect((await admin.patch(`/api/users/${id}`, { active: false }).expect(409)).body.details).toEqual({ fields: ['active'] });
    expect((await admin.delete(`/api/users/${id}`).expect(409)).body.code).toBe('USER_MANAGED_BY_SCIM');
    await admin.get(`/api/users/${id}`).expect(200);
  });

  it('cannot be bypassed by a module that writes users through TypeORM directly', async () => {
    const id = await provision('bypass@acme.test');
    const users = t.dataSource.getRepository(User);
    const managed = await users.findOneByOrFail({ id });

    // A "teams" module renaming a member through the repository is refused...
    await expect(users.save({ ...managed, displayName: 'Renamed by another module' })).rejects.toBeInstanceOf(UserManagedByScimError);
    // ...and so are bulk updates of identity columns and bulk deletes that skip the policy.
    await expect(users.update({ id }, { displayName: 'Bulk rename' })).rejects.toThrow(/SCIM policy/);
    await expect(users.delete({ id })).rejects.toThrow(/UserLifecycleService/);
    await expect(users.remove(managed)).rejects.toBeInstanceOf(UserManagedByScimError);

    // Permission fields stay writable from anywhere.
    await users.save({ ...managed, canBookParking: true });
    expect(await users.findOneByOrFail({ id })).toMatchObject({ displayName: 'Managed Person', canBookParking: true });
  });

  it('leaves users added in the app editable until the identity provider writes to them', async () => {
    const local = await t.createUser(acme.organisation.id, { email: 'manual@acme.test', displayName: 'Manual' });
    await admin.patch(`/api/users/${local.id}`, { displayName: 'Manual Person' }).expect(200);

    const found = JSON.parse((await acme.get('/Users').query({ filter: 'userName eq "manual@acme.test"' }).expect(200)).text);
    expect(found.Resources.map((user: { id: string }) => user.id)).toEqual([local.id]);
    await acme
      .put(`/Users/${local.id}`, {
        userName: 'manual@acme.test',
        displayName: 'Manual Person',
        emails: [{ value: 'manual@acme.test', type: 'work', primary: true }],
      })
      .expect(200);

    expect((await admin.get(`/api/users/${local.id}`).expect(200)).body.managedBy).toBe('scim');
    await admin.patch(`/api/users/${local.id}`, { displayName: 'Changed Again' }).expect(409);
  });

  it('hands managed users back to the app when SCIM is disabled', async () => {
    const other = await createScimTenant(t, 'Handback');
    const response = await other.post('/Users', { userName: 'handback@handback.test' }).expect(201);
    const id = JSON.parse(response.text).id;
    await t.app.get(ScimCredentialsService).disable(other.organisation.id);
    const edited = await t
      .http()
      .patch(`/api/users/${id}`)
      .auth(other.adminToken, { type: 'bearer' })
      .send({ displayName: 'Ours now' })
      .expect(200);
    expect(edited.body).toMatchObject({ managedBy: null, displayName: 'Ours now' });
  });
});
