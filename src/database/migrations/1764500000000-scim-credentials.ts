import { MigrationInterface, QueryRunner, TableForeignKey } from 'typeorm';
import { createPortableTable } from './portable-table';

export class ScimCredentials1764500000000 implements MigrationInterface {
  name = 'ScimCredentials1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createPortableTable(queryRunner, {
      name: 'scim_credentials',
      columns: [
        { name: 'organisationId', type: 'varchar', length: '36', isPrimary: true },
        { name: 'enabled', type: 'boolean', default: '0' },
        { name: 'tokenHash', type: 'varchar', length: '64', isNullable: true },
        { name: 'tokenCreatedAt', type: 'datetime', precision: 3, isNullable: true },
        { name: 'lastActivityAt', type: 'datetime', precision: 3, isNullable: true },
        { name: 'createdAt', type: 'datetime', precision: 3 },
        { name: 'updatedAt', type: 'datetime', precision: 3 },
      ],
      foreignKeys: [
        new TableForeignKey({
          columnNames: ['organisationId'],
          referencedTableName: 'organisations',
          referencedColumnNames: ['id'],
          onDelete: 'CASCADE',
          onUpdate: 'NO ACTION',
        }),
      ],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('scim_credentials');
  }
}
