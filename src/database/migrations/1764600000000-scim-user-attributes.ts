import { MigrationInterface, QueryRunner, TableColumn, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { createPortableTable } from './portable-table';

const optionalText = (name: string, length: number): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: true,
});

const USER_COLUMNS: [string, number][] = [
  ['nameFormatted', 512],
  ['middleName', 255],
  ['honorificPrefix', 255],
  ['honorificSuffix', 255],
  ['nickName', 255],
  ['profileUrl', 2048],
  ['userType', 255],
  ['preferredLanguage', 255],
  ['locale', 64],
  ['timezone', 64],
  ['employeeNumber', 255],
  ['costCenter', 255],
  ['organization', 255],
  ['division', 255],
  ['managerId', 255],
];

/** Columns every contact element table shares (see src/users/user-contact.entity.ts). */
const elementColumns = (): TableColumnOptions[] => [
  { name: 'id', type: 'varchar', length: '36', isPrimary: true },
  { name: 'organisationId', type: 'varchar', length: '36' },
  { name: 'userId', type: 'varchar', length: '36' },
  { name: 'position', type: 'integer' },
  optionalText('type', 64),
  { name: 'isPrimary', type: 'boolean', default: '0' },
];

const userForeignKey = () =>
  new TableForeignKey({
    columnNames: ['userId'],
    referencedTableName: 'users',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
    onUpdate: 'NO ACTION',
  });

export class ScimUserAttributes1764600000000 implements MigrationInterface {
  name = 'ScimUserAttributes1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isSqlite = queryRunner.connection.options.type === 'better-sqlite3';
    const binary = isSqlite ? {} : { charset: 'utf8mb4', collation: 'utf8mb4_bin' };
    await queryRunner.addColumns(
      'users',
      USER_COLUMNS.map(([name, length]) => new TableColumn({ ...optionalText(name, length), ...binary })),
    );
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'IX_users_org_external_id', columnNames: ['organisationId', 'externalId'] }),
    );

    await createPortableTable(queryRunner, {
      name: 'user_emails',
      columns: [
        ...elementColumns(),
        { name: 'value', type: 'varchar', length: '320' },
        { name: 'valueNormalized', type: 'varchar', length: '320' },
        optionalText('display', 255),
      ],
      indices: [
        new TableIndex({ name: 'IX_user_emails_user', columnNames: ['userId', 'position'] }),
        new TableIndex({ name: 'IX_user_emails_org_value', columnNames: ['organisationId', 'valueNormalized'] }),
      ],
      foreignKeys: [userForeignKey()],
    });

    await createPortableTable(queryRunner, {
      name: 'user_phone_numbers',
      columns: [...elementColumns(), { name: 'value', type: 'varchar', length: '128' }, optionalText('display', 255)],
      indices: [new TableIndex({ name: 'IX_user_phone_numbers_user', columnNames: ['userId', 'position'] })],
      foreignKeys: [userForeignKey()],
    });

    await createPortableTable(queryRunner, {
      name: 'user_addresses',
      columns: [
        ...elementColumns(),
        optionalText('formatted', 1024),
        optionalText('streetAddress', 512),
        optionalText('locality', 255),
        optionalText('region', 255),
        optionalText('postalCode', 64),
        optionalText('country', 255),
      ],
      indices: [new TableIndex({ name: 'IX_user_addresses_user', columnNames: ['userId', 'position'] })],
      foreignKeys: [userForeignKey()],
    });

    // Users created before this migration keep their one email as their primary work email, so
    // an identity provider matching on emails[type eq "work"].value finds them.
    const users: { id: string; organisationId: string; email: string; emailNormalized: string }[] = await queryRunner.query(
      'SELECT id, organisationId, email, emailNormalized FROM users WHERE email IS NOT NULL',
    );
    for (const user of users) {
      await queryRunner.manager.insert('user_emails', {
        id: user.id,
        organisationId: user.organisationId,
        userId: user.id,
        position: 0,
        type: 'work',
        isPrimary: true,
        value: user.email,
        valueNormalized: user.emailNormalized,
        display: null,
      });
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['user_addresses', 'user_phone_numbers', 'user_emails']) await queryRunner.dropTable(table);
    await queryRunner.dropIndex('users', 'IX_users_org_external_id');
    for (const [name] of [...USER_COLUMNS].reverse()) await queryRunner.dropColumn('users', name);
  }
}
