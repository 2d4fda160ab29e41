import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * How many times an organisation's users (or teams) were inserted or deleted, beside their count
 * (organisation-row-counts.ts). While it stays the same, every row is where it was in the list order, so a deep
 * startIndex page can start from a row remembered at a known position instead of stepping over every row before
 * it (scim/persistence/position-anchors.ts). Starts at 0: only a change from here on matters.
 */
export class RowCountChanges1765100000000 implements MigrationInterface {
  name = 'RowCountChanges1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('organisation_row_counts', new TableColumn({ name: 'changes', type: 'integer', default: 0 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('organisation_row_counts', 'changes');
  }
}
