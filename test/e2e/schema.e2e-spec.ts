import { MIGRATIONS } from '../../src/database/migrations';
import { createTestApp, type TestApp } from './harness/test-app';

describe('database schema', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('schema');
  });
  afterAll(() => t.close());

  it('applies every committed migration at start', async () => {
    const applied = await t.dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(applied.map((row: { name: string }) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
  });

  it('matches the entities exactly: the migrations leave nothing for synchronize to do', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has no pending migrations', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it('gives users created before the SCIM attributes migration their email as a primary work email', async () => {
    const { organisation, admin } = await t.createOrganisation('Before SCIM');
    const scimAttributes = MIGRATIONS.findIndex((migration) => migration.name === 'ScimUserAttributes1764600000000');
    for (let i = MIGRATIONS.length - 1; i >= scimAttributes; i--) await t.dataSource.undoLastMigration({ transaction: 'each' });
    await t.dataSource.runMigrations({ transaction: 'each' });
    const rows = await t.dataSource.query('SELECT organisationId, value, type, isPrimary FROM user_emails WHERE userId = ?', [admin.id]);
    expect(rows).toEqual([{ organisationId: organisation.id, value: admin.email, type: 'work', isPrimary: 1 }]);
  });

  it('reverts and re-applies every migration cleanly', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await t.dataSource.undoLastMigration({ transaction: 'each' });
    await t.dataSource.runMigrations({ transaction: 'each' });
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });
});
