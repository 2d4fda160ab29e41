import { MigrationInterface, QueryRunner, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { createPortableTable } from './portable-table';

// Written with the QueryRunner schema API so that one migration runs on SQLite and MariaDB/MySQL.
// The drift test (test/e2e/schema.e2e-spec.ts) proves the result equals the entities on both.

const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const flag = (name: string, byDefault: boolean): TableColumnOptions => ({ name, type: 'boolean', default: byDefault ? '1' : '0' });
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const timestamps = [time('createdAt'), time('updatedAt')];
const cascade = (column: string, table: string, onDelete: 'CASCADE' | 'SET NULL' = 'CASCADE') =>
  new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete,
    onUpdate: 'NO ACTION',
  });

export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createPortableTable(queryRunner, {
      name: 'organisations',
      columns: [id(), text('slug', 63), text('name', 200), ...timestamps],
      indices: [new TableIndex({ name: 'UQ_organisations_slug', columnNames: ['slug'], isUnique: true })],
    });

    await createPortableTable(queryRunner, {
      name: 'users',
      columns: [
        id(),
        ref('organisationId'),
        text('userName', 255),
        text('userNameNormalized', 255),
        text('email', 320, true),
        text('emailNormalized', 320, true),
        text('displayName', 255, true),
        text('givenName', 255, true),
        text('familyName', 255, true),
        flag('active', true),
        text('externalId', 255, true),
        text('jobTitle', 255, true),
        text('department', 255, true),
        text('phone', 64, true),
        { ...text('role', 16), default: "'user'" },
        flag('canBookDesks', true),
        flag('canBookRooms', true),
        flag('canBookParking', false),
        flag('canBookOnBehalf', false),
        text('managedBy', 16, true),
        text('passwordHash', 255, true),
        ...timestamps,
        { name: 'version', type: 'integer' },
      ],
      indices: [
        new TableIndex({ name: 'UQ_users_org_user_name', columnNames: ['organisationId', 'userNameNormalized'], isUnique: true }),
        new TableIndex({ name: 'IX_users_org_email', columnNames: ['organisationId', 'emailNormalized'] }),
      ],
      foreignKeys: [cascade('organisationId', 'organisations')],
    });

    await createPortableTable(queryRunner, {
      name: 'teams',
      columns: [
        id(),
        ref('organisationId'),
        text('name', 255),
        text('nameNormalized', 255),
        text('externalId', 255, true),
        text('managedBy', 16, true),
        ...timestamps,
        { name: 'version', type: 'integer' },
      ],
      indices: [new TableIndex({ name: 'UQ_teams_org_name', columnNames: ['organisationId', 'nameNormalized'], isUnique: true })],
      foreignKeys: [cascade('organisationId', 'organisations')],
    });

    await createPortableTable(queryRunner, {
      name: 'team_members',
      columns: [id('teamId'), id('userId'), time('addedAt')],
      indices: [new TableIndex({ name: 'IX_team_members_user', columnNames: ['userId'] })],
      foreignKeys: [cascade('teamId', 'teams'), cascade('userId', 'users')],
    });

    await createPortableTable(queryRunner, {
      name: 'resources',
      columns: [id(), ref('organisationId'), text('name', 200), text('nameNormalized', 200), text('type', 16), ...timestamps],
      indices: [new TableIndex({ name: 'UQ_resources_org_name', columnNames: ['organisationId', 'nameNormalized'], isUnique: true })],
      foreignKeys: [cascade('organisationId', 'organisations')],
    });

    await createPortableTable(queryRunner, {
      name: 'bookings',
      columns: [
        id(),
        ref('organisationId'),
        ref('resourceId'),
        ref('userId', true),
        ref('bookedById', true),
        time('start'),
        time('end'),
        { ...text('status', 16), default: "'confirmed'" },
        text('cancelledReason', 32, true),
        time('cancelledAt', true),
        ...timestamps,
      ],
      indices: [
        new TableIndex({ name: 'IX_bookings_resource_start', columnNames: ['resourceId', 'start'] }),
        new TableIndex({ name: 'IX_bookings_user_start', columnNames: ['userId', 'start'] }),
      ],
      foreignKeys: [
        cascade('organisationId', 'organisations'),
        cascade('resourceId', 'resources'),
        cascade('userId', 'users', 'SET NULL'),
        cascade('bookedById', 'users', 'SET NULL'),
      ],
    });

    await createPortableTable(queryRunner, {
      name: 'admin_sessions',
      columns: [id(), text('tokenHash', 64), ref('userId'), time('createdAt'), time('expiresAt')],
      indices: [new TableIndex({ name: 'UQ_admin_sessions_token_hash', columnNames: ['tokenHash'], isUnique: true })],
      foreignKeys: [cascade('userId', 'users')],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['admin_sessions', 'bookings', 'resources', 'team_members', 'teams', 'users', 'organisations']) {
      await queryRunner.dropTable(table);
    }
  }
}
