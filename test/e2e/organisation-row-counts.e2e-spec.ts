import { MIGRATIONS } from '../../src/database/migrations';
import { organisationRowCount, organisationRows } from '../../src/organisations/organisation-row-counts';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { rowCountDisagreements } from './harness/row-counts-audit';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import { createTestApp, type TestApp } from './harness/test-app';

const body = (response: { text: string }) => JSON.parse(response.text);
const entraUser = (userName: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  active: true,
  displayName: userName,
});

/**
 * An unfiltered list takes `totalResults` from the organisation's row counts (organisation-row-counts.ts), not from a
 * COUNT. These tests drive every writer of users and teams over HTTP and check the total against the rows; the e2e
 * harness also compares the counts with COUNT(*) when any suite closes.
 */
describe('organisation row counts behind totalResults', () => {
  let t: TestApp;
  let acme: ScimTenant;
  let globex: ScimTenant;

  beforeAll(async () => {
    t = await createTestApp('organisation-row-counts');
    acme = await createScimTenant(t, 'Acme');
    globex = await createScimTenant(t, 'Globex');
  });
  afterAll(() => t.close());

  /** totalResults of a full page of one (so the total cannot come from the page itself), and of count=0. */
  async function totals(tenant: ScimTenant, resource: 'Users' | 'Groups'): Promise<number[]> {
    const onePage = body(await tenant.get(`/${resource}?count=1`).expect(200)).totalResults as number;
    const countOnly = body(await tenant.get(`/${resource}?count=0`).expect(200)).totalResults as number;
    const byCursor = body(await tenant.get(`/${resource}?cursor=&count=1`).expect(200)).totalResults as number;
    return [onePage, countOnly, byCursor];
  }

  /** The admin API, as Acme's admin. */
  const admin = (method: 'get' | 'post' | 'delete', path: string) =>
    t.http()[method](path).set('Authorization', `Bearer ${acme.adminToken}`);

  async function rowsOf(table: 'users' | 'teams', tenant: ScimTenant): Promise<number> {
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE organisationId = ?`, [tenant.organisation.id]);
    return Number(n);
  }

  it('follows users created and deleted through SCIM and the admin API, and not a refused create', async () => {
    const created: string[] = [];
    for (const name of ['ann', 'bob', 'cy']) created.push(body(await acme.post('/Users', entraUser(`${name}@acme.test`)).expect(201)).id);
    const manual = await admin('post', '/api/users').send({ email: 'dee@acme.test', displayName: 'Dee' }).expect(201);
    await admin('post', '/api/users').send({ email: 'eve@acme.test', displayName: 'Eve' }).expect(201);
    // The organisation's admin + 3 + 2.
    expect(await totals(acme, 'Users')).toEqual([6, 6, 6]);

    await acme.post('/Users', entraUser('ANN@acme.test')).expect(409);
    await acme.delete(`/Users/${created[0]}`).expect(204);
    await acme.delete(`/Users/${created[0]}`).expect(404);
    await admin('delete', `/api/users/${manual.body.id}`).expect(204);
    expect(await totals(acme, 'Users')).toEqual([4, 4, 4]);
    expect(await rowsOf('users', acme)).toBe(4);
    // The admin API's list reads the same count without a search, and counts the matches with one.
    expect((await admin('get', '/api/users?limit=1').expect(200)).body.total).toBe(4);
    expect((await admin('get', '/api/users?q=acme.test&limit=1').expect(200)).body.total).toBe(4);
    expect((await admin('get', '/api/users?q=bob&limit=1').expect(200)).body.total).toBe(1);
    // The other organisation kept its own count: its admin only.
    expect(await totals(globex, 'Users')).toEqual([1, 1, 1]);
  });

  it('follows teams created and deleted through SCIM and the admin API', async () => {
    const group = (displayName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName });
    const floor = body(await acme.post('/Groups', group('Floor 3')).expect(201)).id as string;
    await acme.post('/Groups', group('Floor 4')).expect(201);
    await acme.post('/Groups', group('floor 4')).expect(409);
    const team = await admin('post', '/api/teams').send({ name: 'Facilities' }).expect(201);
    expect(await totals(acme, 'Groups')).toEqual([3, 3, 3]);

    await acme.delete(`/Groups/${floor}`).expect(204);
    await admin('delete', `/api/teams/${team.body.id}`).expect(204);
    expect(await totals(acme, 'Groups')).toEqual([1, 1, 1]);
    expect(await rowsOf('teams', acme)).toBe(1);
  });

  it('stays exact under concurrent creates and deletes in one organisation', async () => {
    const before = await rowsOf('users', globex);
    const ids = (
      await Promise.all(
        Array.from({ length: 24 }, (_, index) => globex.post('/Users', entraUser(`crowd.${index}@globex.test`)).expect(201)),
      )
    ).map((response) => body(response).id as string);
    await Promise.all(ids.slice(0, 10).map((id) => globex.delete(`/Users/${id}`).expect(204)));
    expect(await rowsOf('users', globex)).toBe(before + 14);
    expect(await totals(globex, 'Users')).toEqual([before + 14, before + 14, before + 14]);
    if (t.database.kind === 'mysql') {
      // Writers on different pooled connections add to different slots, so they did not queue on one counter row.
      const [{ slots }] = await t.dataSource.query(
        "SELECT COUNT(*) AS slots FROM organisation_row_counts WHERE organisationId = ? AND tableName = 'users'",
        [globex.organisation.id],
      );
      expect(Number(slots)).toBeGreaterThan(1);
    }
  });

  it('counts every insert and delete as a change of membership, and never counts back, a rebuild included', async () => {
    const changes = async () => (await organisationRows(t.dataSource.manager, 'users', globex.organisation.id)).changes;
    const before = await changes();
    const id = body(await globex.post('/Users', entraUser('fay@globex.test')).expect(201)).id;
    expect(await changes()).toBe(before + 1);
    await globex.put(`/Users/${id}`, { ...entraUser('fay@globex.test'), title: 'Boss' }).expect(200);
    expect(await changes()).toBe(before + 1);
    await globex.delete(`/Users/${id}`).expect(204);
    expect(await changes()).toBe(before + 2);
    // A count put right by rebuildRowCounts is a change too: counted rows may have come or gone unseen.
    await t.dataSource.query("UPDATE organisation_row_counts SET total = total + 3 WHERE organisationId = ? AND tableName = 'users'", [
      globex.organisation.id,
    ]);
    await t.app.get(OrganisationsService).rebuildRowCounts(globex.organisation.slug);
    expect(await organisationRows(t.dataSource.manager, 'users', globex.organisation.id)).toEqual({
      total: await rowsOf('users', globex),
      changes: before + 3,
    });
  });

  it('is filled from the existing rows by its migration', async () => {
    const rowCounts = MIGRATIONS.findIndex(({ name }) => name === 'OrganisationRowCounts1765000000000');
    expect(rowCounts).toBeGreaterThan(0);
    const users = await rowsOf('users', acme);
    const teams = await rowsOf('teams', acme);
    expect(users).toBeGreaterThan(1);
    // Back to before the row counts existed (undoing the migrations after it first), then forward again.
    for (let index = MIGRATIONS.length - 1; index >= rowCounts; index--) await t.dataSource.undoLastMigration({ transaction: 'each' });
    const applied: { name: string }[] = await t.dataSource.query('SELECT name FROM migrations');
    expect(applied.map(({ name }) => name)).not.toContain('OrganisationRowCounts1765000000000');
    await t.dataSource.runMigrations({ transaction: 'each' });
    expect(await organisationRowCount(t.dataSource.manager, 'users', acme.organisation.id)).toBe(users);
    expect(await organisationRowCount(t.dataSource.manager, 'teams', acme.organisation.id)).toBe(teams);
    expect(await rowCountDisagreements(t.dataSource)).toEqual([]);
  });

  it('the audit the harness runs finds a count that drifted', async () => {
    await t.dataSource.query("UPDATE organisation_row_counts SET total = total + 1 WHERE organisationId = ? AND tableName = 'teams'", [
      acme.organisation.id,
    ]);
    expect(await rowCountDisagreements(t.dataSource)).toEqual([`teams of ${acme.organisation.id}: counted 2, stored 1`]);
    await t.dataSource.query("UPDATE organisation_row_counts SET total = total - 1 WHERE organisationId = ? AND tableName = 'teams'", [
      acme.organisation.id,
    ]);
  });
});
