import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/load-config';
import { buildDataSourceOptions } from '../../src/database/data-source';
import { isUniqueViolation } from '../../src/database/db-errors';
import { insertRows } from '../../src/database/write-rows';
import { TransactionService } from '../../src/database/transaction.service';
import { batchWrite, STATEMENT_SEPARATOR } from '../../src/database/write-batch';
import { Organisation } from '../../src/organisations/organisation.entity';
import { createTestDatabase, type TestDatabase } from './harness/test-database';

/**
 * Batched writes (src/database/write-batch.ts) on the real database: on MariaDB a transaction's writes travel with
 * its next statement in one round trip; on SQLite they run at once. On both, a transaction means what it meant.
 */
describe('batched writes in a transaction', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let transactions: TransactionService;
  let roundTrips: string[];
  const onMariaDb = process.env.TEST_DATABASE_URL && !process.env.TEST_DATABASE_URL.startsWith('sqlite:') ? it : it.skip;
  const onSqlite = onMariaDb === it ? it.skip : it;

  beforeAll(async () => {
    database = await createTestDatabase('write-batch');
    dataSource = await new DataSource(buildDataSourceOptions(loadConfig({ DATABASE_URL: database.url }).database)).initialize();
    transactions = new TransactionService(dataSource);
    // TypeORM logs each statement text it sends to the connection: one entry a round trip.
    jest.spyOn(dataSource.logger, 'logQuery').mockImplementation((sql: string) => void roundTrips.push(sql));
  });
  beforeEach(() => (roundTrips = []));
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const at = new Date('2026-11-29T10:00:00.123Z');
  const organisation = (slug: string, name = `Org ${slug}`): Organisation =>
    Object.assign(new Organisation(), { id: randomUUID(), slug, name, createdAt: at, updatedAt: at });
  const slugs = async (prefix: string) =>
    (await dataSource.getRepository(Organisation).find({ order: { slug: 'ASC' } }))
      .map((row) => row.slug)
      .filter((slug) => slug.startsWith(prefix));

  class SlugTaken extends Error {}
  const slugTaken = (error: unknown) => (isUniqueViolation(error) ? new SlugTaken('slug taken') : undefined);

  onMariaDb('sends START TRANSACTION, the writes and COMMIT as one round trip', async () => {
    await transactions.run(async (em) => {
      await insertRows(em, Organisation, [organisation('one-a')]);
      await insertRows(em, Organisation, [organisation('one-b'), organisation('one-c')]);
    });
    expect(roundTrips).toHaveLength(1);
    const statements = roundTrips[0].split(STATEMENT_SEPARATOR);
    expect(statements[0]).toBe('START TRANSACTION');
    expect(statements.slice(1, 3).every((sql) => sql.startsWith('INSERT INTO `organisations`'))).toBe(true);
    expect(statements[3]).toBe('COMMIT');
    expect(await slugs('one-')).toEqual(['one-a', 'one-b', 'one-c']);
  });

  onSqlite('runs each write at once, inside the transaction', async () => {
    await transactions.run(async (em) => {
      await insertRows(em, Organisation, [organisation('one-a')]);
      expect(roundTrips.filter((sql) => sql.startsWith('INSERT'))).toHaveLength(1);
    });
    expect(await slugs('one-')).toEqual(['one-a']);
  });

  onMariaDb('sends the held writes early once they make about a megabyte of SQL', async () => {
    // 5,000 organisations with names of 200 characters: one INSERT of about 1.4 MB.
    const many = Array.from({ length: 5_000 }, (_, index) => organisation(`bulk-${String(index).padStart(4, '0')}`, 'x'.repeat(200)));
    await transactions.run(async (em) => {
      await insertRows(em, Organisation, many);
      expect(roundTrips).toHaveLength(1);
      expect(roundTrips[0].startsWith(`START TRANSACTION${STATEMENT_SEPARATOR}INSERT INTO`)).toBe(true);
    });
    expect(roundTrips.slice(1)).toEqual(['COMMIT']);
    expect(await slugs('bulk-')).toHaveLength(5_000);
  });

  it('lets the transaction read its own writes, by raw SQL and through the query builder', async () => {
    await transactions.run(async (em) => {
      await insertRows(em, Organisation, [organisation('own-a')]);
      const raw: { slug: string }[] = await em.query('SELECT slug FROM organisations WHERE slug = ?', ['own-a']);
      expect(raw).toEqual([{ slug: 'own-a' }]);
      await insertRows(em, Organisation, [organisation('own-b')]);
      expect(await em.getRepository(Organisation).countBy({ slug: 'own-b' })).toBe(1);
    });
  });

  onMariaDb('puts the held writes in front of the next raw statement, and answers with that statement’s result', async () => {
    await transactions.run(async (em) => {
      await insertRows(em, Organisation, [organisation('front-a')]);
      const [row]: { n: number | string }[] = await em.query("SELECT COUNT(*) AS n FROM organisations WHERE slug LIKE 'front-%'");
      expect(Number(row.n)).toBe(1);
    });
    expect(roundTrips).toHaveLength(2);
    expect(roundTrips[0].split(STATEMENT_SEPARATOR).map((sql) => sql.split(' ')[0])).toEqual(['START', 'INSERT', 'SELECT']);
    expect(roundTrips[1]).toBe('COMMIT');
  });

  it('keeps statements issued together in their order, the held writes first', async () => {
    await transactions.run(async (em) => {
      await insertRows(em, Organisation, [organisation('order-a')]);
      const count = "SELECT COUNT(*) AS n FROM organisations WHERE slug = 'order-a'";
      const answers: { n: number | string }[][] = await Promise.all([em.query(count), em.query(count), em.query(count)]);
      expect(answers.map(([row]) => Number(row.n))).toEqual([1, 1, 1]);
    });
  });

  it('stores values exactly as TypeORM’s own insert does, quotes, backslashes, statement text and emoji included', async () => {
    const hostile = `O'Brien \\ "x"; DROP TABLE organisations; -- é 🎉 ?`;
    const ours = organisation('exact-ours', hostile);
    const theirs = organisation('exact-theirs', hostile);
    await transactions.run((em) => insertRows(em, Organisation, [ours]));
    await dataSource.getRepository(Organisation).insert(theirs);
    const read = async (id: string) => {
      const row = await dataSource.getRepository(Organisation).findOneByOrFail({ id });
      return { name: row.name, createdAt: row.createdAt, updatedAt: row.updatedAt };
    };
    expect(await read(ours.id)).toEqual(await read(theirs.id));
    expect((await read(ours.id)).name).toBe(hostile);
  });

  it('rolls back the whole transaction when a held write fails at commit, with the caller’s error', async () => {
    await dataSource.getRepository(Organisation).insert(organisation('taken'));
    await expect(
      transactions.run(async (em) => {
        await em.getRepository(Organisation).insert(organisation('fail-immediate'));
        await insertRows(em, Organisation, [organisation('fail-held')]);
        await insertRows(em, Organisation, [organisation('taken')], { mapError: slugTaken });
      }),
    ).rejects.toBeInstanceOf(SlugTaken);
    expect(await slugs('fail-')).toEqual([]);
    // The connection went back to the pool usable: the next transaction commits.
    await transactions.run((em) => insertRows(em, Organisation, [organisation('after-failure')]));
    expect(await slugs('after-failure')).toEqual(['after-failure']);
  });

  it('keeps a failure it does not know as it is', async () => {
    await expect(
      transactions.run((em) => batchWrite(em, { sql: 'INSERT INTO organisations (id) VALUES (?)', parameters: [randomUUID()] }, slugTaken)),
    ).rejects.toThrow(/slug|default value|NOT NULL/i);
  });

  it('drops held writes when the work throws, and sends nothing when it never reached the database', async () => {
    await expect(
      transactions.run(async (em) => {
        await insertRows(em, Organisation, [organisation('thrown-a')]);
        throw new Error('refused after writing');
      }),
    ).rejects.toThrow('refused after writing');
    expect(await slugs('thrown-')).toEqual([]);
    if (database.kind === 'mysql') expect(roundTrips.filter((sql) => !sql.startsWith('SELECT'))).toEqual([]);
  });

  it('rolls back writes already sent when the work throws later', async () => {
    await expect(
      transactions.run(async (em) => {
        await insertRows(em, Organisation, [organisation('late-a')]);
        await em.query('SELECT 1');
        throw new Error('refused after a read');
      }),
    ).rejects.toThrow('refused after a read');
    expect(await slugs('late-')).toEqual([]);
  });

  it('runs a write at once outside a transaction, and maps its failure there', async () => {
    await insertRows(dataSource.manager, Organisation, [organisation('outside')]);
    await batchWrite(dataSource.manager, { sql: 'UPDATE organisations SET name = ? WHERE slug = ?', parameters: ['Renamed', 'outside'] });
    expect((await dataSource.getRepository(Organisation).findOneByOrFail({ slug: 'outside' })).name).toBe('Renamed');
    await expect(insertRows(dataSource.manager, Organisation, [organisation('outside')], { mapError: slugTaken })).rejects.toBeInstanceOf(
      SlugTaken,
    );
  });
});
