import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../src/config/load-config';
import { buildDataSourceOptions } from '../../src/database/data-source';
import { ScimRequestLog } from '../../src/scim/audit/scim-request-log.entity';
import { ScimRequestLogService } from '../../src/scim/audit/scim-request-log.service';
import { createTestApp, type TestApp } from './harness/test-app';
import { createScimTenant } from './harness/scim-tenant';

/** The request log over HTTP: written behind the responses in multi-row INSERTs, and all of it by a graceful close. */
describe('SCIM request log, written behind in batches', () => {
  let t: TestApp;
  let closed = false;

  beforeAll(async () => {
    t = await createTestApp('scim-request-log-batching');
  });
  afterAll(async () => {
    if (!closed) await t.app.close();
    await t.database.drop();
  });

  /** The SQL every query runner sends from now on (SQLite shares one runner, MariaDB gives one per use). */
  function captureStatements(): string[] {
    const statements: string[] = [];
    const driver = t.dataSource.driver;
    const create = driver.createQueryRunner.bind(driver);
    const wrapped = new WeakSet<object>();
    jest.spyOn(driver, 'createQueryRunner').mockImplementation((mode) => {
      const runner = create(mode);
      if (wrapped.has(runner)) return runner;
      wrapped.add(runner);
      const query = runner.query.bind(runner);
      runner.query = ((sql: string, ...rest: unknown[]) => {
        statements.push(sql.trim());
        return (query as (...args: unknown[]) => unknown)(sql, ...rest);
      }) as typeof runner.query;
      return runner;
    });
    return statements;
  }

  it('writes a burst of calls with fewer INSERTs than calls, every call there soon after', async () => {
    const tenant = await createScimTenant(t, 'Burst');
    const statements = captureStatements();
    const calls = 20;
    try {
      await Promise.all(
        Array.from({ length: calls }, (_, index) =>
          tenant
            .get('/Users')
            .query({ filter: `userName eq "nobody${index}@burst.test"` })
            .expect(200),
        ),
      );
      const deadline = Date.now() + 5_000;
      while ((await t.dataSource.getRepository(ScimRequestLog).countBy({ organisationId: tenant.organisation.id })) < calls) {
        if (Date.now() > deadline) throw new Error('the request log rows never arrived');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      jest.restoreAllMocks();
    }
    const inserts = statements.filter((sql) => /^INSERT INTO [`"]scim_request_log[`"]/.test(sql));
    expect(inserts.length).toBeGreaterThan(0);
    expect(inserts.length).toBeLessThan(calls);
    const paths: { path: string }[] = await t.dataSource.query('SELECT path FROM scim_request_log WHERE organisationId = ?', [
      tenant.organisation.id,
    ]);
    expect(new Set(paths.map(({ path }) => decodeURIComponent(path).match(/nobody(\d+)@/)?.[1])).size).toBe(calls);
  });

  it('has every call in the database once the app has closed, the last ones written by the close itself', async () => {
    const tenant = await createScimTenant(t, 'Closing');
    for (let index = 0; index < 3; index++) await tenant.get(`/Users?startIndex=${index + 1}`).expect(200);
    // Recorded in the same tick as the close begins: only the close can write it.
    const service = t.app.get(ScimRequestLogService);
    void service.record({
      organisationId: tenant.organisation.id,
      method: 'GET',
      path: '/just-before-close',
      status: 200,
      durationMs: 1,
      resourceId: null,
    });
    expect(service.bufferedRows).toBeGreaterThan(0);
    closed = true;
    await t.app.close();

    const dataSource = await new DataSource(buildDataSourceOptions(parseDatabaseUrl(t.database.url))).initialize();
    try {
      const rows = await dataSource.getRepository(ScimRequestLog).findBy({ organisationId: tenant.organisation.id });
      expect(rows.map(({ path }) => path.replace(/^\/scim\/v2\/[^/]+/, '')).sort()).toEqual([
        '/Users?startIndex=1',
        '/Users?startIndex=2',
        '/Users?startIndex=3',
        '/just-before-close',
      ]);
    } finally {
      await dataSource.destroy();
    }
  });
});
