import { MigrationInterface, QueryRunner, TableForeignKey, TableIndex } from 'typeorm';
import { createPortableTable } from './portable-table';

export class ScimRequestLog1764700000000 implements MigrationInterface {
  name = 'ScimRequestLog1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createPortableTable(queryRunner, {
      name: 'scim_request_log',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'organisationId', type: 'varchar', length: '36' },
        { name: 'at', type: 'datetime', precision: 3 },
        { name: 'method', type: 'varchar', length: '8' },
        { name: 'path', type: 'varchar', length: '1024' },
        { name: 'status', type: 'integer' },
        { name: 'durationMs', type: 'integer' },
        { name: 'resourceId', type: 'varchar', length: '255', isNullable: true },
      ],
      indices: [new TableIndex({ name: 'IX_scim_request_log_org_at', columnNames: ['organisationId', 'at'] })],
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
    await queryRunner.dropTable('scim_request_log');
  }
}
