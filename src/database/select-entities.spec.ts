import { randomUUID } from 'node:crypto';
import { Column, DataSource, Entity, In, PrimaryColumn } from 'typeorm';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../users/user.entity';
import { buildDataSourceOptions } from './data-source';
import { countRows, selectEntities } from './select-entities';

/** selectEntities must hydrate what find() hydrates; the SCIM e2e suites check the same on MariaDB. */
describe('selectEntities and countRows', () => {
  let dataSource: DataSource;
  let organisationId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    dataSource = await new DataSource(buildDataSourceOptions({ kind: 'sqlite', path: ':memory:' })).initialize();
    organisationId = randomUUID();
    const at = new Date('2026-11-29T10:00:00.123Z');
    await dataSource.getRepository(Organisation).insert({ id: organisationId, slug: 'acme', name: 'Acme', createdAt: at, updatedAt: at });
    for (const [index, userName] of ['ann@acme.test', 'bob@acme.test', 'cy@acme.test'].entries()) {
      const id = randomUUID();
      ids.push(id);
      await dataSource.getRepository(User).insert({
        id,
        organisationId,
        userName,
        userNameNormalized: userName,
        displayName: index === 1 ? null : `User ${index}`,
        active: index !== 2,
        canBookParking: index === 0,
        role: 'user',
        managedBy: index === 0 ? 'scim' : null,
        passwordHash: 'scrypt$secret',
        createdAt: new Date(at.getTime() + index),
        updatedAt: new Date(at.getTime() + index * 1000),
      });
    }
  });
  afterAll(() => dataSource.destroy());

  it('returns entities equal to find(), without columns declared select: false', async () => {
    const ours = await selectEntities(dataSource.manager, User, 'user', 'WHERE "user"."id" IN (:...ids) ORDER BY "user"."createdAt"', {
      ids,
    });
    const found = await dataSource.getRepository(User).find({ where: { id: In(ids) }, order: { createdAt: 'ASC' } });
    expect(ours).toEqual(found);
    expect(ours[0]).toBeInstanceOf(User);
    expect(ours.map((user) => user.active)).toEqual([true, true, false]);
    expect(ours[0].updatedAt).toEqual(new Date('2026-11-29T10:00:00.123Z'));
    expect(ours.every((user) => !('passwordHash' in user))).toBe(true);
  });

  it('builds the column list for each alias, also when the same entity is read under another one', async () => {
    const [first] = await selectEntities(dataSource.manager, User, 'u', 'WHERE "u"."id" = :id', { id: ids[0] });
    const [again] = await selectEntities(dataSource.manager, User, 'user', 'WHERE "user"."id" = :id', { id: ids[0] });
    const [third] = await selectEntities(dataSource.manager, User, 'u', 'WHERE "u"."id" = :id', { id: ids[1] });
    expect(first).toEqual(await dataSource.getRepository(User).findOneBy({ id: ids[0] }));
    expect(again).toEqual(first);
    expect(third).toEqual(await dataSource.getRepository(User).findOneBy({ id: ids[1] }));
  });

  it('counts with named parameters, booleans included', async () => {
    expect(await countRows(dataSource.manager, User, 'user', 'WHERE "user"."organisationId" = :organisationId', { organisationId })).toBe(
      3,
    );
    expect(await countRows(dataSource.manager, User, 'user', 'WHERE "user"."active" = :active', { active: false })).toBe(1);
    expect(await countRows(dataSource.manager, User, 'user', 'WHERE "user"."id" = :id', { id: 'nobody' })).toBe(0);
  });
});

class GadgetSize {
  @Column({ type: 'integer', name: 'size_width' })
  width!: number;

  @Column({ type: 'varchar', length: 8, nullable: true })
  unit!: string | null;
}

@Entity('gadgets')
class Gadget {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64, name: 'gadget_label' })
  label!: string;

  @Column(() => GadgetSize)
  size!: GadgetSize;

  @Column({ type: 'boolean', default: false })
  spare!: boolean;
}

/** Shapes the app's entities do not have (yet): a column named apart from its property, an embedded object. */
describe('selectEntities on other entity shapes', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Gadget] }).initialize();
    // The table as TypeORM maps the entity: the embedded object's columns are prefixed with its property name.
    await dataSource.query(
      'CREATE TABLE "gadgets" ("id" varchar(36) PRIMARY KEY NOT NULL, "gadget_label" varchar(64) NOT NULL, ' +
        '"spare" boolean NOT NULL DEFAULT (0), "sizeSize_width" integer NOT NULL, "sizeUnit" varchar(8))',
    );
    await dataSource.getRepository(Gadget).insert([
      { id: 'g1', label: 'Lamp', size: { width: 3, unit: 'cm' }, spare: true },
      { id: 'g2', label: 'Desk', size: { width: 140, unit: null }, spare: false },
    ]);
  });
  afterAll(() => dataSource.destroy());

  it('hydrates as find() does', async () => {
    const ours = await selectEntities(dataSource.manager, Gadget, 'g', 'ORDER BY "g"."id"');
    expect(ours).toEqual(await dataSource.getRepository(Gadget).find({ order: { id: 'ASC' } }));
    expect(ours[0]).toBeInstanceOf(Gadget);
    expect(ours[0].size).toBeInstanceOf(GadgetSize);
    expect(ours.map((gadget) => [gadget.label, gadget.size.width, gadget.size.unit, gadget.spare])).toEqual([
      ['Lamp', 3, 'cm', true],
      ['Desk', 140, null, false],
    ]);
  });
});
