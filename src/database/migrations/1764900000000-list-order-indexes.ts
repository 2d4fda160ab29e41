import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Lists of users and groups are sorted by creation time, then id (the SCIM default order, trap T18). Without an
 * index in that order every page sorted all of the organisation's rows first, and a cursor page (RFC 9865) could
 * not seek to its position. With (organisationId, createdAt, id) both read only the rows they return; the EXPLAIN
 * test (test/e2e/scim-explain.e2e-spec.ts) checks that MariaDB uses them.
 */
export class ListOrderIndexes1764900000000 implements MigrationInterface {
  name = 'ListOrderIndexes1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'IX_users_org_created', columnNames: ['organisationId', 'createdAt', 'id'] }),
    );
    await queryRunner.createIndex(
      'teams',
      new TableIndex({ name: 'IX_teams_org_created', columnNames: ['organisationId', 'createdAt', 'id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('teams', 'IX_teams_org_created');
    await queryRunner.dropIndex('users', 'IX_users_org_created');
  }
}
