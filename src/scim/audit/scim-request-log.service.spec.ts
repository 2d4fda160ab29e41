import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../database/data-source';
import { Organisation } from '../../organisations/organisation.entity';
import { ScimCredentials } from '../auth/scim-credentials.entity';
import { ScimRequestLog } from './scim-request-log.entity';
import { ACTIVITY_RESOLUTION_MS, ScimRequestLogService } from './scim-request-log.service';

/** On a real (in-memory SQLite) database, counting the statements the service sends. */
describe('ScimRequestLogService', () => {
  let dataSource: DataSource;
  let statements: string[];
  let organisationId: string;

  beforeEach(async () => {
    dataSource = await new DataSource(buildDataSourceOptions({ kind: 'sqlite', path: ':memory:' })).initialize();
    organisationId = randomUUID();
    const created = new Date();
    await dataSource
      .getRepository(Organisation)
      .insert({ id: organisationId, slug: 'acme', name: 'Acme', createdAt: created, updatedAt: created });
    await dataSource
      .getRepository(ScimCredentials)
      .insert({ organisationId, enabled: true, tokenHash: null, lastActivityAt: null, createdAt: created, updatedAt: created });
    statements = [];
    const query = dataSource.driver.createQueryRunner.bind(dataSource.driver);
    // SQLite drivers hand out one shared runner: wrap it once.
    const wrapped = new WeakSet<object>();
    jest.spyOn(dataSource.driver, 'createQueryRunner').mockImplementation((mode) => {
      const runner = query(mode);
      if (wrapped.has(runner)) return runner;
      wrapped.add(runner);
      const original = runner.query.bind(runner);
      runner.query = ((sql: string, ...rest: unknown[]) => {
        statements.push(sql.trim());
        return (original as (...args: unknown[]) => unknown)(sql, ...rest);
      }) as typeof runner.query;
      return runner;
    });
  });
  afterEach(async () => {
    jest.useRealTimers();
    await dataSource.destroy();
  });

  const call = () => ({ organisationId, method: 'GET', path: '/scim/v2/acme/Users', status: 200, durationMs: 3, resourceId: null });
  const lastActivity = async () => (await dataSource.getRepository(ScimCredentials).findOneByOrFail({ organisationId })).lastActivityAt;

  it('writes one log row per call with a single INSERT, and the last activity once a minute', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const start = new Date('2026-11-29T10:00:00.000Z');
    jest.setSystemTime(start);
    const service = new ScimRequestLogService(dataSource);

    await service.record(call());
    expect(statements.filter((sql) => sql.startsWith('UPDATE'))).toHaveLength(1);
    expect((await lastActivity())?.toISOString()).toBe(start.toISOString());

    statements = [];
    jest.setSystemTime(start.getTime() + ACTIVITY_RESOLUTION_MS - 1);
    await Promise.all([service.record(call()), service.record(call()), service.record(call())]);
    // Three calls within the minute: three INSERTs, nothing else (no SELECT, no UPDATE).
    expect(statements.filter((sql) => !/^(BEGIN|COMMIT|SAVEPOINT|RELEASE)/i.test(sql))).toEqual([
      expect.stringMatching(/^INSERT INTO "scim_request_log"/),
      expect.stringMatching(/^INSERT INTO "scim_request_log"/),
      expect.stringMatching(/^INSERT INTO "scim_request_log"/),
    ]);
    expect((await lastActivity())?.toISOString()).toBe(start.toISOString());

    // A minute on, the next call moves it again.
    const later = new Date(start.getTime() + ACTIVITY_RESOLUTION_MS);
    jest.setSystemTime(later);
    await service.record(call());
    expect((await lastActivity())?.toISOString()).toBe(later.toISOString());
    expect(await dataSource.getRepository(ScimRequestLog).countBy({ organisationId })).toBe(5);
  });

  it('never moves the last activity backwards when another instance wrote a later one', async () => {
    const service = new ScimRequestLogService(dataSource);
    const elsewhere = new Date(Date.now() + 5_000);
    await dataSource.getRepository(ScimCredentials).update({ organisationId }, { lastActivityAt: elsewhere });
    await service.record(call());
    expect((await lastActivity())?.toISOString()).toBe(elsewhere.toISOString());
  });
});
