import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * `filter=externalId eq "…"` (how Okta, and Entra when so configured, matches users) is answered in the list order,
 * creation time then id. With the externalId index on (organisationId, externalId) alone, SQLite without statistics
 * (the embedded default never runs ANALYZE) preferred the (organisationId, createdAt, id) index, which gives that
 * order for free, and checked externalId on every user of the organisation: one lookup read them all. With the order
 * columns at the end of the externalId index, one index gives both the match and its order, and every planner takes
 * it (test/e2e/scim-explain.e2e-spec.ts checks SQLite's plan without statistics). MariaDB already used the index.
 */
export class ExternalIdLookupIndex1765200000000 implements MigrationInterface {
  name = 'ExternalIdLookupIndex1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('users', 'IX_users_org_external_id');
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'IX_users_org_external_id', columnNames: ['organisationId', 'externalId', 'createdAt', 'id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('users', 'IX_users_org_external_id');
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'IX_users_org_external_id', columnNames: ['organisationId', 'externalId'] }),
    );
  }
}
