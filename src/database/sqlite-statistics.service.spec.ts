import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../users/user.entity';
import { buildDataSourceOptions } from './data-source';
import { SqliteStatistics } from './sqlite-statistics.service';
import { TransactionService } from './transaction.service';
import { insertRows } from './write-rows';

describe('SqliteStatistics', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await new DataSource(buildDataSourceOptions({ kind: 'sqlite', path: ':memory:' })).initialize();
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });

  const statisticsOf = async (table: string): Promise<unknown[]> => {
    const [exists] = await dataSource.query("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'");
    return exists ? dataSource.query('SELECT idx FROM sqlite_stat1 WHERE tbl = ?', [table]) : [];
  };

  it('gathers statistics for the tables that hold rows, and none while they are empty', async () => {
    const statistics = new SqliteStatistics(dataSource, new TransactionService(dataSource));
    await statistics.refresh();
    expect(await statisticsOf('users')).toEqual([]);

    const organisationId = randomUUID();
    const now = new Date();
    await dataSource.getRepository(Organisation).insert({ id: organisationId, slug: 'acme', name: 'Acme', createdAt: now, updatedAt: now });
    const users = Array.from({ length: 500 }, (_, index) =>
      dataSource.manager.create(User, {
        id: randomUUID(),
        organisationId,
        userName: `user${index}@acme.test`,
        userNameNormalized: `user${index}@acme.test`,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await insertRows(dataSource.manager, User, users);
    await statistics.refresh();
    expect((await statisticsOf('users')).length).toBeGreaterThan(0);
  });

  it('logs a failure instead of throwing it: statistics only make plans better', async () => {
    const statistics = new SqliteStatistics(dataSource, new TransactionService(dataSource));
    await dataSource.destroy();
    const warn = jest.spyOn((statistics as unknown as { logger: { warn(message: string): void } }).logger, 'warn').mockImplementation();
    await expect(statistics.refresh()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('PRAGMA optimize failed'));
  });

  it('does nothing on MariaDB/MySQL, which keeps its own statistics', async () => {
    const mariaDb = { options: { type: 'mariadb' } } as unknown as DataSource;
    const transactions = { run: jest.fn() } as unknown as TransactionService;
    await new SqliteStatistics(mariaDb, transactions).refresh();
    expect(transactions.run).not.toHaveBeenCalled();
  });
});
