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

  it('reverts and re-applies every migration cleanly', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await t.dataSource.undoLastMigration({ transaction: 'each' });
    await t.dataSource.runMigrations({ transaction: 'each' });
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });
});
