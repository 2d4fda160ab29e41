import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../database/data-source';
import { Organisation } from '../../organisations/organisation.entity';
import { ScimCredentials } from '../auth/scim-credentials.entity';
import { ScimRequestLog } from './scim-request-log.entity';
import {
  ACTIVITY_RESOLUTION_MS,
  BUFFER_CAP_ROWS,
  FLUSH_BATCH_ROWS,
  FLUSH_DELAY_MS,
  RETRY_DELAY_MS,
  ScimRequestLogService,
  type ScimCall,
} from './scim-request-log.service';

/** On a real (in-memory SQLite) database, counting the statements the service sends. */
describe('ScimRequestLogService', () => {
  let dataSource: DataSource;
  let statements: string[];
  let organisationId: string;
  const services: ScimRequestLogService[] = [];
  const newService = () => {
    const service = new ScimRequestLogService(dataSource);
    services.push(service);
    return service;
  };

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
    // As app.close() does: the services are destroyed before the pool, so no timer writes to a closed database.
    for (const service of services.splice(0)) await service.onModuleDestroy();
    jest.useRealTimers();
    jest.restoreAllMocks();
    await dataSource.destroy();
  });

  const call = (overrides: Partial<ScimCall> = {}): ScimCall => ({
    organisationId,
    method: 'GET',
    path: '/scim/v2/acme/Users',
    status: 200,
    durationMs: 3,
    resourceId: null,
    ...overrides,
  });
  const lastActivity = async () => (await dataSource.getRepository(ScimCredentials).findOneByOrFail({ organisationId })).lastActivityAt;
  const logInserts = () => statements.filter((sql) => sql.startsWith('INSERT INTO "scim_request_log"'));
  /** Rows per INSERT, from its `VALUES (…), (…)` groups (the paths are bound parameters, never in the SQL). */
  const rowsPerInsert = () => logInserts().map((sql) => (sql.match(/\), \(/g)?.length ?? 0) + 1);
  const logRows = () => dataSource.getRepository(ScimRequestLog).find({ where: { organisationId }, order: { at: 'ASC', path: 'ASC' } });
  /** Lets a write started without an await (size, timer) reach the database: the real event loop, not the faked clock. */
  const settle = async () => {
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  };
  const fakeClock = () => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  /** The database refusing the log: its table is away, as it would be with the server down. */
  const breakLogTable = () => dataSource.query('ALTER TABLE "scim_request_log" RENAME TO "scim_request_log_away"');
  const repairLogTable = () => dataSource.query('ALTER TABLE "scim_request_log_away" RENAME TO "scim_request_log"');

  it('writes the calls recorded together with one INSERT, FLUSH_DELAY_MS after the first, and nothing before', async () => {
    fakeClock();
    const service = newService();
    await service.record(call({ path: '/one' }));
    statements = [];
    await Promise.all([service.record(call({ path: '/two' })), service.record(call({ path: '/three' }))]);
    await jest.advanceTimersByTimeAsync(FLUSH_DELAY_MS - 1);
    await settle();
    expect(logInserts()).toHaveLength(0);
    expect(service.bufferedRows).toBe(3);

    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(rowsPerInsert()).toEqual([3]);
    expect(service.bufferedRows).toBe(0);
    expect((await logRows()).map(({ path }) => path).sort()).toEqual(['/one', '/three', '/two']);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits on a timer that never keeps the process alive', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const service = newService();
    const before = timers();
    await Promise.all([service.record(call()), service.record(call())]);
    expect(service.bufferedRows).toBe(2);
    expect(timers()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS * 2));
    expect(service.bufferedRows).toBe(0);
    expect(rowsPerInsert()).toEqual([2]);
  });

  it('writes at once when FLUSH_BATCH_ROWS are buffered, without waiting for the timer', async () => {
    fakeClock();
    const service = newService();
    for (let index = 0; index < FLUSH_BATCH_ROWS - 1; index++) await service.record(call({ path: `/${index}` }));
    await settle();
    expect(logInserts()).toHaveLength(0);

    await service.record(call({ path: '/last' }));
    await settle();
    expect(rowsPerInsert()).toEqual([FLUSH_BATCH_ROWS]);
    expect(await dataSource.getRepository(ScimRequestLog).countBy({ organisationId })).toBe(FLUSH_BATCH_ROWS);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps one write in flight: rows recorded meanwhile go in the next, and the asks meanwhile share it', async () => {
    const service = newService();
    await Promise.all([service.record(call({ path: '/a' })), service.record(call({ path: '/b' }))]);
    let inFlight = 0;
    let mostInFlight = 0;
    // Each INSERT held 20 ms, counting how many run at once.
    const query = dataSource.manager.query.bind(dataSource.manager);
    jest.spyOn(dataSource.manager, 'query').mockImplementation(async (sql: string, parameters?: unknown[]) => {
      if (!sql.startsWith('INSERT')) return query(sql, parameters);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      try {
        return await query(sql, parameters);
      } finally {
        inFlight--;
      }
    });

    const first = service.flush();
    await service.record(call({ path: '/c' }));
    const second = service.flush();
    const third = service.flush();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    expect(mostInFlight).toBe(1);
    expect(rowsPerInsert()).toEqual([2, 1]);
    expect((await logRows()).map(({ path }) => path).sort()).toEqual(['/a', '/b', '/c']);
  });

  it('writes what is buffered when the module is destroyed, before the pool closes', async () => {
    fakeClock();
    const service = newService();
    await Promise.all([service.record(call({ path: '/x' })), service.record(call({ path: '/y' }))]);
    expect(logInserts()).toHaveLength(0);
    await service.onModuleDestroy();
    expect(rowsPerInsert()).toEqual([2]);
    expect(await dataSource.getRepository(ScimRequestLog).countBy({ organisationId })).toBe(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stores every column as recorded, the path cut to 1024 characters', async () => {
    const service = newService();
    const before = Date.now();
    const created = randomUUID();
    const longPath = `/scim/v2/acme/Users?filter=${'x'.repeat(2000)}`;
    await service.record(call({ method: 'POST', path: '/scim/v2/acme/Users', status: 201, durationMs: 17, resourceId: created }));
    await service.record(call({ method: 'GET', path: longPath, status: 400, durationMs: 0, resourceId: null }));
    await service.flush();
    const after = Date.now();

    const rows = await logRows();
    expect(rows.map(({ id, at, ...rest }) => rest)).toEqual([
      { organisationId, method: 'POST', path: '/scim/v2/acme/Users', status: 201, durationMs: 17, resourceId: created },
      { organisationId, method: 'GET', path: longPath.slice(0, 1024), status: 400, durationMs: 0, resourceId: null },
    ]);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.at).toBeInstanceOf(Date);
      expect(row.at.getTime()).toBeGreaterThanOrEqual(before);
      expect(row.at.getTime()).toBeLessThanOrEqual(after);
    }
    expect(rows[0].id).not.toBe(rows[1].id);
  });

  it('keeps the rows while the database refuses them, at most BUFFER_CAP_ROWS, dropping the oldest and saying how many', async () => {
    fakeClock();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const service = newService();
    await service.record(call({ path: '/first' })); // the last activity is written now, not part of the story
    await breakLogTable();
    statements = [];

    await service.flush();
    expect(logInserts()).toHaveLength(1);
    expect(service.bufferedRows).toBe(1);
    expect(warn).toHaveBeenLastCalledWith(
      expect.stringMatching(/^could not write 1 SCIM request log rows, kept for the next attempt: .*no such table/),
    );

    // Failing, a full batch does not send a write per call: the retry waits out RETRY_DELAY_MS.
    const overCap = 10;
    for (let index = 1; index < BUFFER_CAP_ROWS + overCap; index++)
      await service.record(call({ path: `/${String(index).padStart(5, '0')}` }));
    await settle();
    expect(logInserts()).toHaveLength(1);
    expect(service.bufferedRows).toBe(BUFFER_CAP_ROWS);
    expect(service.droppedRows).toBe(overCap);

    await jest.advanceTimersByTimeAsync(RETRY_DELAY_MS);
    await settle();
    expect(logInserts()).toHaveLength(2);
    expect(warn).toHaveBeenLastCalledWith(
      expect.stringMatching(new RegExp(`could not write ${BUFFER_CAP_ROWS} .*; ${overCap} older rows dropped`)),
    );
    const warningsWhileDown = warn.mock.calls.length;

    // Back up: the next retry writes all that was kept, in batches, the oldest rows being the ones that went.
    await repairLogTable();
    await jest.advanceTimersByTimeAsync(RETRY_DELAY_MS);
    await settle();
    await service.flush();
    expect(rowsPerInsert().slice(2)).toEqual(Array.from({ length: BUFFER_CAP_ROWS / FLUSH_BATCH_ROWS }, () => FLUSH_BATCH_ROWS));
    expect(service.bufferedRows).toBe(0);
    const paths = (await dataSource.query('SELECT path FROM scim_request_log ORDER BY path')).map((row: { path: string }) => row.path);
    expect(paths).toHaveLength(BUFFER_CAP_ROWS);
    expect(paths[0]).toBe(`/${String(overCap).padStart(5, '0')}`);
    expect(paths.at(-1)).toBe(`/${String(BUFFER_CAP_ROWS + overCap - 1).padStart(5, '0')}`);
    expect(warn.mock.calls.length).toBe(warningsWhileDown);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never rejects, even when the database is gone', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const service = newService();
    await breakLogTable();
    await expect(service.record(call())).resolves.toBeUndefined();
    await expect(service.flush()).resolves.toBeUndefined();
    await expect(service.onModuleDestroy()).resolves.toBeUndefined();
    expect(service.bufferedRows).toBe(1);
  });

  it('writes the last activity once a minute, with nothing but the log INSERT in between', async () => {
    fakeClock();
    const start = new Date('2026-11-29T10:00:00.000Z');
    jest.setSystemTime(start);
    const service = newService();

    await service.record(call());
    expect(statements.filter((sql) => sql.startsWith('UPDATE'))).toHaveLength(1);
    expect((await lastActivity())?.toISOString()).toBe(start.toISOString());

    statements = [];
    jest.setSystemTime(start.getTime() + ACTIVITY_RESOLUTION_MS - 1);
    await Promise.all([service.record(call()), service.record(call()), service.record(call())]);
    await service.flush();
    // Four calls within the minute: one INSERT of four rows, nothing else (no SELECT, no UPDATE).
    expect(statements.filter((sql) => !/^(BEGIN|COMMIT|SAVEPOINT|RELEASE)/i.test(sql))).toEqual([
      expect.stringMatching(/^INSERT INTO "scim_request_log"/),
    ]);
    expect(rowsPerInsert()).toEqual([4]);
    expect((await lastActivity())?.toISOString()).toBe(start.toISOString());

    // A minute on, the next call moves it again.
    const later = new Date(start.getTime() + ACTIVITY_RESOLUTION_MS);
    jest.setSystemTime(later);
    await service.record(call());
    expect((await lastActivity())?.toISOString()).toBe(later.toISOString());
    await service.flush();
    expect(await dataSource.getRepository(ScimRequestLog).countBy({ organisationId })).toBe(5);
  });

  it('never moves the last activity backwards when another instance wrote a later one', async () => {
    const service = newService();
    const elsewhere = new Date(Date.now() + 5_000);
    await dataSource.getRepository(ScimCredentials).update({ organisationId }, { lastActivityAt: elsewhere });
    await service.record(call());
    expect((await lastActivity())?.toISOString()).toBe(elsewhere.toISOString());
  });
});
