import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { loadConfig } from '../../src/config/load-config';
import { buildDataSourceOptions } from '../../src/database/data-source';
import { readRows } from '../../src/database/read-rows';
import { selectEntities } from '../../src/database/select-entities';
import { TransactionService } from '../../src/database/transaction.service';
import { STATEMENT_SEPARATOR } from '../../src/database/write-batch';
import { insertRows } from '../../src/database/write-rows';
import { Organisation } from '../../src/organisations/organisation.entity';
import { User } from '../../src/users/user.entity';
import { createTestDatabase, type TestDatabase } from './harness/test-database';

/**
 * Reads run as prepared statements on MariaDB (src/database/read-rows.ts), as plain queries on SQLite: on both, a
 * read answers what TypeORM's own query answers, and a transaction still reads its own writes.
 */
describe('readRows', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let transactions: TransactionService;
  let organisationId: string;
  const userIds: string[] = [];
  const isMariaDb = process.env.TEST_DATABASE_URL !== undefined && !process.env.TEST_DATABASE_URL.startsWith('sqlite:');
  const onMariaDb = isMariaDb ? it : it.skip;
  const at = new Date('2026-11-29T10:00:00.123Z');

  beforeAll(async () => {
    database = await createTestDatabase('read-rows');
    dataSource = await new DataSource(buildDataSourceOptions(loadConfig({ DATABASE_URL: database.url }).database)).initialize();
    transactions = new TransactionService(dataSource);
    organisationId = randomUUID();
    await dataSource.getRepository(Organisation).insert({ id: organisationId, slug: 'acme', name: 'Acme', createdAt: at, updatedAt: at });
    for (const [index, userName] of ['Ann@acme.test', 'Zoë "Z" O\'Neil@acme.test', 'cy@acme.test'].entries()) {
      const id = randomUUID();
      userIds.push(id);
      await dataSource.getRepository(User).insert({
        id,
        organisationId,
        userName,
        userNameNormalized: userName.toLowerCase(),
        displayName: index === 1 ? null : `User ${index}`,
        active: index !== 2,
        role: 'user',
        version: index + 1,
        createdAt: new Date(at.getTime() + index),
        updatedAt: new Date(at.getTime() + index * 1000),
      });
    }
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** The same statement through TypeORM's query and through readRows, its named parameters expanded by the driver. */
  async function bothWays(sql: string, parameters: Record<string, unknown>): Promise<[unknown[], unknown[]]> {
    const [text, values] = dataSource.driver.escapeQueryWithParameters(sql, parameters, {});
    return [await dataSource.query(text, values), await readRows(dataSource.manager, text, values)];
  }

  it('answers the rows TypeORM answers, for parameters of every type the SCIM reads send', async () => {
    const sql =
      'SELECT `id`, `userName`, `displayName`, `active`, `version`, `createdAt`, `updatedAt` FROM `users` WHERE ' +
      '`organisationId` = :organisationId AND `createdAt` >= :since AND `active` = :active AND `version` < :below AND `userName` <> :not ' +
      'ORDER BY `createdAt`';
    const [typeorms, ours] = await bothWays(sql, { organisationId, since: new Date(at.getTime() + 1), active: true, below: 3.0, not: 'x' });
    expect(ours).toEqual(typeorms);
    expect(ours).toEqual([
      expect.objectContaining({ id: userIds[1], userName: 'Zoë "Z" O\'Neil@acme.test', displayName: null, version: 2 }),
    ]);
    // A string holding quotes and a non-ASCII letter is matched as sent, not as escaped text.
    const [, byName] = await bothWays('SELECT `id` FROM `users` WHERE `userNameNormalized` = :name', { name: 'zoë "z" o\'neil@acme.test' });
    expect(byName).toEqual([{ id: userIds[1] }]);
  });

  it('hydrates, through selectEntities, entities equal to find()', async () => {
    const ours = await selectEntities(
      dataSource.manager,
      User,
      'user',
      'WHERE `user`.`organisationId` = :organisationId ORDER BY `user`.`createdAt`',
      {
        organisationId,
      },
    );
    const found = await dataSource.getRepository(User).find({ where: { organisationId }, order: { createdAt: 'ASC' } });
    expect(ours).toEqual(found);
    expect(ours.map((user) => user.active)).toEqual([true, true, false]);
    expect(ours[2].updatedAt).toEqual(new Date('2026-11-29T10:00:02.123Z'));
  });

  it('tells the DataSource logger of each statement, as TypeORM does', async () => {
    const logged = jest.spyOn(dataSource.logger, 'logQuery');
    try {
      await readRows(dataSource.manager, 'SELECT `slug` FROM `organisations` WHERE `id` = ?', [organisationId]);
      expect(logged).toHaveBeenCalledWith('SELECT `slug` FROM `organisations` WHERE `id` = ?', [organisationId], expect.anything());
    } finally {
      logged.mockRestore();
    }
  });

  it('fails as TypeORM fails (a QueryFailedError on MariaDB), and gives the connection back', async () => {
    const broken = 'SELECT `id` FROM `no_such_table` WHERE `id` = ?';
    const typeorms = (await dataSource.query(broken, [1]).catch((error: unknown) => error)) as Error;
    // More failures than the pool has connections: a connection kept by a failure would leave the last read waiting.
    for (let attempt = 0; attempt < 12; attempt++) {
      const ours = (await readRows(dataSource.manager, broken, [attempt]).catch((error: unknown) => error)) as Error;
      expect(ours.constructor).toBe(typeorms.constructor);
      expect(ours.message).toMatch(/no_such_table/);
    }
    if (isMariaDb) expect(typeorms).toBeInstanceOf(QueryFailedError);
    expect(await readRows(dataSource.manager, 'SELECT `slug` FROM `organisations` WHERE `id` = ?', [organisationId])).toEqual([
      { slug: 'acme' },
    ]);
  });

  it('reads the writes its transaction holds back, in the same round trip', async () => {
    const logged: string[] = [];
    const spy = jest.spyOn(dataSource.logger, 'logQuery').mockImplementation((sql: string) => void logged.push(sql));
    const slug = `held-${randomUUID()}`;
    try {
      const seen = await transactions.run(async (em) => {
        await insertRows(em, Organisation, [
          Object.assign(new Organisation(), { id: randomUUID(), slug, name: 'Held', createdAt: at, updatedAt: at }),
        ]);
        return readRows(em, 'SELECT `slug` FROM `organisations` WHERE `slug` = ?', [slug]);
      });
      expect(seen).toEqual([{ slug }]);
      if (isMariaDb) {
        // START TRANSACTION, the INSERT and the read went together; then COMMIT.
        expect(logged[0].split(STATEMENT_SEPARATOR)).toHaveLength(3);
      }
    } finally {
      spy.mockRestore();
    }
  });

  /** A counter of the server's for the connection `em` runs on (SHOW SESSION STATUS). */
  const sessionStatus = async (em: EntityManager, name: string): Promise<number> => {
    const [row]: { Value: string }[] = await em.query(`SHOW SESSION STATUS LIKE '${name}'`);
    return Number(row.Value);
  };

  onMariaDb('runs as a prepared statement, prepared once per connection and executed on every call', async () => {
    await transactions.run(async (em) => {
      // The transaction's first statement carries its START TRANSACTION, so it goes as text.
      await em.query('SELECT 1');
      const [prepared, executed] = [await sessionStatus(em, 'Com_stmt_prepare'), await sessionStatus(em, 'Com_stmt_execute')];
      for (const id of userIds) {
        expect(await readRows(em, 'SELECT `id` FROM `users` WHERE `id` = ?', [id])).toEqual([{ id }]);
      }
      expect((await sessionStatus(em, 'Com_stmt_prepare')) - prepared).toBe(1);
      expect((await sessionStatus(em, 'Com_stmt_execute')) - executed).toBe(userIds.length);
    });
  });

  onMariaDb('runs as text when the server has no prepared statement left to give', async () => {
    // The server's own refusal needs max_prepared_stmt_count lowered, a global setting the test user may not change
    // (and that would reach every suite running beside this one), so the driver's answer is what is simulated here.
    const refused = Object.assign(new Error("Can't create more than max_prepared_stmt_count statements (current value: 0)"), {
      code: 'ER_MAX_PREPARED_STMT_COUNT_REACHED',
      errno: 1461,
    });
    await transactions.run(async (em) => {
      await em.query('SELECT 1');
      const connection = (await em.queryRunner?.connect()) as { execute: (...args: unknown[]) => void };
      const execute = jest
        .spyOn(connection, 'execute')
        .mockImplementation((...args: unknown[]) => (args[2] as (error: Error) => void)(refused));
      try {
        expect(await readRows(em, 'SELECT `id` FROM `users` WHERE `id` = ?', [userIds[0]])).toEqual([{ id: userIds[0] }]);
        expect(execute).toHaveBeenCalledTimes(1);
      } finally {
        execute.mockRestore();
      }
    });
  });

  onMariaDb('keeps at most 100 prepared statements on a connection, closing the least recently used', async () => {
    await transactions.run(async (em) => {
      await em.query('SELECT 1');
      const [prepared, closed] = [await sessionStatus(em, 'Com_stmt_prepare'), await sessionStatus(em, 'Com_stmt_close')];
      for (let text = 0; text < 150; text++) {
        expect(await readRows(em, `SELECT ? + ${text} AS \`n\``, [1])).toEqual([{ n: 1 + text }]);
      }
      const preparedNow = (await sessionStatus(em, 'Com_stmt_prepare')) - prepared;
      const closedNow = (await sessionStatus(em, 'Com_stmt_close')) - closed;
      expect(preparedNow).toBe(150);
      // The connection may have held some statements before this test's; at most 100 stay open.
      expect(closedNow).toBeGreaterThanOrEqual(50);
    });
  });
});
