import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { UserEmail } from '../users/user-contact.entity';
import { asUserWriter } from '../users/managed-by-scim.policy';
import { User } from '../users/user.entity';
import { buildDataSourceOptions } from './data-source';
import { deleteRows, insertRows, updateRows } from './write-rows';

/** Each statement must store what TypeORM's own stores: the two are written side by side and read back. */
describe('write-rows', () => {
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

  describe('insertRows', () => {
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

    it('skips rows whose key is stored when asked to (insert-if-absent), and inserts the others', async () => {
      const first = user('first@acme.test');
      await insertRows(dataSource.manager, User, [first]);
      const again = Object.assign(user('changed@acme.test'), { id: first.id });
      const second = user('second@acme.test');
      await insertRows(dataSource.manager, User, [again, second], { skipExisting: true });
      const stored = await dataSource.getRepository(User).find({ where: { organisationId }, order: { userName: 'ASC' } });
      expect(stored.map(({ id, userName }) => ({ id, userName }))).toEqual([
        { id: first.id, userName: 'first@acme.test' },
        { id: second.id, userName: 'second@acme.test' },
      ]);
    });
  });

  describe('updateRows and deleteRows', () => {
    const insertUser = async (userName: string): Promise<User> => {
      const row = dataSource.manager.create(User, {
        id: randomUUID(),
        organisationId,
        userName,
        userNameNormalized: userName.toLowerCase(),
        displayName: 'Before',
        givenName: 'Ann',
        active: true,
        role: 'user',
        managedBy: null,
        passwordHash: null,
        version: 1,
        createdAt: new Date('2026-11-29T10:00:00.123Z'),
        updatedAt: new Date('2026-11-29T10:00:00.123Z'),
      });
      await insertRows(dataSource.manager, User, [row]);
      return row;
    };

    it('sets the given columns of the matching row as the query builder does, and nothing else', async () => {
      const [ours, typeorms, bystander] = [
        await insertUser('a@acme.test'),
        await insertUser('b@acme.test'),
        await insertUser('c@acme.test'),
      ];
      const changes: Partial<User> = {
        displayName: 'Ann "Lee"',
        givenName: null,
        active: false,
        managedBy: 'scim',
        updatedAt: new Date('2026-11-30T08:15:00.789Z'),
        version: 2,
      };
      await updateRows(dataSource.manager, User, { id: ours.id, organisationId }, changes);
      // As SCIM's own write: the managed-by-SCIM guard refuses identity changes through the query builder otherwise.
      await dataSource.transaction((em) =>
        asUserWriter(em, 'scim', () => em.createQueryBuilder().update(User).set(changes).where({ id: typeorms.id }).execute()),
      );
      const read = (id: string) => dataSource.getRepository(User).findOneByOrFail({ id });
      const comparable = ({ id: _id, userName: _userName, userNameNormalized: _normalized, ...rest }: User) => rest;
      const [storedOurs, storedTypeorms, storedBystander] = await Promise.all([read(ours.id), read(typeorms.id), read(bystander.id)]);
      expect(comparable(storedOurs)).toEqual(comparable(storedTypeorms));
      expect(storedOurs).toMatchObject({ displayName: 'Ann "Lee"', givenName: null, active: false, managedBy: 'scim', version: 2 });
      expect(storedOurs.updatedAt.toISOString()).toBe('2026-11-30T08:15:00.789Z');
      expect(storedBystander).toMatchObject({ displayName: 'Before', givenName: 'Ann', active: true, version: 1 });
    });

    it('matches nothing in another organisation', async () => {
      const ours = await insertUser('a@acme.test');
      await updateRows(dataSource.manager, User, { id: ours.id, organisationId: randomUUID() }, { displayName: 'Changed' });
      expect(await dataSource.getRepository(User).findOneByOrFail({ id: ours.id })).toMatchObject({ displayName: 'Before' });
    });

    it("turns a failure into the caller's error", async () => {
      const [first, second] = [await insertUser('a@acme.test'), await insertUser('b@acme.test')];
      class Taken extends Error {}
      const update = updateRows(
        dataSource.manager,
        User,
        { id: second.id },
        { userNameNormalized: first.userNameNormalized },
        () => new Taken(),
      );
      await expect(update).rejects.toBeInstanceOf(Taken);
    });

    it('deletes the rows matching every condition, a list matching any of its values', async () => {
      const users = [await insertUser('a@acme.test'), await insertUser('b@acme.test'), await insertUser('c@acme.test')];
      await deleteRows(dataSource.manager, User, { organisationId, id: [users[0].id, users[2].id] });
      await deleteRows(dataSource.manager, User, { organisationId: randomUUID(), id: users[1].id });
      const left = await dataSource.getRepository(User).find({ where: { organisationId } });
      expect(left.map((row) => row.id)).toEqual([users[1].id]);
    });

    it('refuses a statement that could reach a whole table or set nothing', async () => {
      const ours = await insertUser('a@acme.test');
      await expect(deleteRows(dataSource.manager, User, {})).rejects.toThrow('without a condition');
      await expect(deleteRows(dataSource.manager, User, { id: [] })).rejects.toThrow('empty list');
      await expect(updateRows(dataSource.manager, User, {}, { displayName: 'x' })).rejects.toThrow('without a condition');
      await expect(updateRows(dataSource.manager, User, { id: ours.id }, {})).rejects.toThrow('nothing to set');
      expect(await dataSource.getRepository(User).count()).toBe(1);
    });
  });
});
