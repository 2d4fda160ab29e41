import { MigrationInterface, QueryRunner, TableForeignKey, TableIndex } from 'typeorm';
import { createPortableTable } from './portable-table';

export class ProvisioningEvents1764800000000 implements MigrationInterface {
  name = 'ProvisioningEvents1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createPortableTable(queryRunner, {
      name: 'provisioning_events',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'organisationId', type: 'varchar', length: '36' },
        { name: 'at', type: 'datetime', precision: 3 },
        { name: 'operation', type: 'varchar', length: '32' },
        { name: 'userId', type: 'varchar', length: '255', isNullable: true },
        { name: 'userName', type: 'varchar', length: '255', isNullable: true },
        { name: 'outcome', type: 'varchar', length: '16' },
        { name: 'httpStatus', type: 'integer' },
        { name: 'summary', type: 'varchar', length: '1024' },
      ],
      indices: [new TableIndex({ name: 'IX_provisioning_events_org_at', columnNames: ['organisationId', 'at'] })],
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
    await queryRunner.dropTable('provisioning_events');
  }
}
