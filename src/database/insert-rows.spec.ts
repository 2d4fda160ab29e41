import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { UserEmail } from '../users/user-contact.entity';
import { User } from '../users/user.entity';
import { buildDataSourceOptions } from './data-source';
import { insertRows } from './insert-rows';

/** insertRows must store what TypeORM's own insert stores: the two are written side by side and read back. */
describe('insertRows', () => {
  let dataSource: DataSource;
  let organisationId: string;

  beforeEach(async () => {
    dataSource = await new DataSource(buildDataSourceOptions({ kind: 'sqlite', path: ':memory:' })).initialize();
    organisationId = randomUUID();
    const created = new Date('2026-11-29T10:00:00.123Z');
    await dataSource
      .getRepository(Organisation)
      .insert({ id: organisationId, slug: 'acme', name: 'Acme', createdAt: created, updatedAt: created });
  });
  afterEach(() => dataSource.destroy());

  const user = (userName: string): User =>
    dataSource.manager.create(User, {
      id: randomUUID(),
      organisationId,
      userName,
      userNameNormalized: userName.toLowerCase(),
      displayName: 'Ann "Lee"',
      givenName: null,
      active: false,
      canBookDesks: true,
      role: 'admin',
      managedBy: 'scim',
      passwordHash: null,
      version: 3,
      createdAt: new Date('2026-11-29T10:00:00.123Z'),
      updatedAt: new Date('2026-11-29T11:30:00.456Z'),
    });

  it('stores booleans, datetimes to the millisecond, nulls and quotes exactly as the query builder does', async () => {
    const ours = user('Ann@Acme.test');
    const typeorms = user('Bob@Acme.test');
    await insertRows(dataSource.manager, User, [ours]);
    await dataSource.createQueryBuilder().insert().into(User).values(typeorms).updateEntity(false).execute();
    const [storedOurs, storedTypeorms] = await Promise.all([
      dataSource.getRepository(User).findOneByOrFail({ id: ours.id }),
      dataSource.getRepository(User).findOneByOrFail({ id: typeorms.id }),
    ]);
    const comparable = ({ id: _id, userName: _userName, userNameNormalized: _normalized, ...rest }: User) => rest;
    expect(comparable(storedOurs)).toEqual(comparable(storedTypeorms));
    expect(storedOurs).toMatchObject({ active: false, canBookDesks: true, displayName: 'Ann "Lee"', givenName: null, version: 3 });
    expect(storedOurs.updatedAt.toISOString()).toBe('2026-11-29T11:30:00.456Z');
    // Columns no row sets take their database default, as with TypeORM.
    const [raw] = await dataSource.query('SELECT "canBookRooms" FROM "users" WHERE "id" = ?', [ours.id]);
    expect(raw.canBookRooms).toBe(storedTypeorms.canBookRooms ? 1 : 0);
  });

  it('writes many rows in one statement, a value one row leaves undefined as NULL', async () => {
    const owner = user('owner@acme.test');
    await insertRows(dataSource.manager, User, [owner]);
    const statements: string[] = [];
    const query = dataSource.manager.query.bind(dataSource.manager);
    jest.spyOn(dataSource.manager, 'query').mockImplementation((sql: string, parameters?: unknown[]) => {
      statements.push(sql);
      return query(sql, parameters);
    });
    const element = (position: number, display?: string) =>
      Object.assign(new UserEmail(), {
        id: randomUUID(),
        organisationId,
        userId: owner.id,
        position,
        type: 'work',
        isPrimary: position === 0,
        value: `e${position}@acme.test`,
        valueNormalized: `e${position}@acme.test`,
        display,
      });
    await insertRows(dataSource.manager, UserEmail, [element(0, 'first'), element(1), element(2, 'third')]);
    expect(statements).toHaveLength(1);
    const stored = await dataSource.getRepository(UserEmail).find({ where: { userId: owner.id }, order: { position: 'ASC' } });
    expect(stored.map(({ position, isPrimary, display }) => ({ position, isPrimary, display }))).toEqual([
      { position: 0, isPrimary: true, display: 'first' },
      { position: 1, isPrimary: false, display: null },
      { position: 2, isPrimary: false, display: 'third' },
    ]);
  });

  it('sends nothing for no rows, and lets a constraint violation reach the caller', async () => {
    const spy = jest.spyOn(dataSource.manager, 'query');
    await insertRows(dataSource.manager, User, []);
    expect(spy).not.toHaveBeenCalled();
    const first = user('same@acme.test');
    await insertRows(dataSource.manager, User, [first]);
    await expect(insertRows(dataSource.manager, User, [user('SAME@acme.test')])).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }),
    });
  });
});
