import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SqliteStatistics } from '../../src/database/sqlite-statistics.service';
import { rowsAdded } from '../../src/organisations/organisation-row-counts';
import { Team, TeamMember } from '../../src/teams/team.entity';
import { UserAddress, UserEmail, UserPhoneNumber } from '../../src/users/user-contact.entity';
import { User } from '../../src/users/user.entity';
import { createScimTenant } from './harness/scim-tenant';
import { bulkInsertUsers, captureScimStatements, seedStatementFixture, type CapturedOperation } from './harness/scim-statements';
import { createTestApp, type TestApp } from './harness/test-app';

/**
 * The statements of src/scim/persistence/queries.<dialect>.sql (captured the same way, from the same requests)
 * must find their rows through an index, with a few thousand users in two organisations and fresh statistics:
 * on MariaDB every table access in EXPLAIN has a key and a const/eq_ref/ref/range access (never a full scan), and
 * the default-order pages read the (organisationId, createdAt, id) index in order instead of sorting. On SQLite,
 * EXPLAIN QUERY PLAN must show no table scanned without an index.
 */

const USERS_PER_ORGANISATION = 3000;
const TEAMS = 300;
const MEMBERS_PER_TEAM = 10;
const INDEXED_ACCESS = new Set(['system', 'const', 'eq_ref', 'ref', 'range']);
const PAGES_IN_DEFAULT_ORDER = [
  'page of 100 users by startIndex',
  'deep page of 100 users by startIndex',
  'deep page of 100 users by startIndex, asked again',
  'page of 100 users by cursor',
  'page of groups with members by cursor',
];

interface MariaDbPlanRow {
  id: number;
  select_type: string;
  table: string | null;
  type: string | null;
  key: string | null;
  rows: number | null;
  Extra: string | null;
}

interface SqlitePlanRow {
  detail: string;
}

async function insertInBatches<T extends object>(dataSource: DataSource, entity: new () => T, rows: T[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) await dataSource.manager.insert(entity, rows.slice(start, start + 500));
}

/** One work email, one phone number and one address per user, and teams of ten: the shapes Entra provisions. */
async function seedContactsAndTeams(dataSource: DataSource, organisationId: string): Promise<void> {
  const users = await dataSource.manager.find(User, { select: { id: true }, where: { organisationId } });
  const element = (userId: string) => ({ id: randomUUID(), organisationId, userId, position: 0, isPrimary: true });
  await insertInBatches(
    dataSource,
    UserEmail,
    users.map(({ id }) =>
      dataSource.manager.create(UserEmail, {
        ...element(id),
        type: 'work',
        value: `${id}@bulk.test`,
        valueNormalized: `${id}@bulk.test`,
        display: null,
      }),
    ),
  );
  await insertInBatches(
    dataSource,
    UserPhoneNumber,
    users.map(({ id }) =>
      dataSource.manager.create(UserPhoneNumber, { ...element(id), type: 'work', value: '+44 20 7946 0000', display: null }),
    ),
  );
  await insertInBatches(
    dataSource,
    UserAddress,
    users.map(({ id }) => dataSource.manager.create(UserAddress, { ...element(id), type: 'work', locality: 'London', country: 'GB' })),
  );
  const teams = Array.from({ length: TEAMS }, (_, index) =>
    dataSource.manager.create(Team, {
      id: randomUUID(),
      organisationId,
      name: `Bulk team ${index}`,
      nameNormalized: `bulk team ${index}`,
      externalId: null,
      managedBy: 'scim',
    }),
  );
  await insertInBatches(dataSource, Team, teams);
  await rowsAdded(dataSource.manager, 'teams', organisationId, teams.length);
  const addedAt = new Date();
  await insertInBatches(
    dataSource,
    TeamMember,
    teams.flatMap((team, index) =>
      Array.from({ length: MEMBERS_PER_TEAM }, (_, offset) =>
        dataSource.manager.create(TeamMember, {
          teamId: team.id,
          userId: users[(index * MEMBERS_PER_TEAM + offset) % users.length].id,
          addedAt,
        }),
      ),
    ),
  );
}

/** The match queries an identity provider sends for every user it provisions. */
const ENTRA_USER_MATCHES = ['Entra: user by userName', 'Entra: user by externalId'];

async function sqlitePlans(
  dataSource: DataSource,
  operations: readonly CapturedOperation[],
  names: readonly string[],
): Promise<{ operation: string; sql: string; plan: string[] }[]> {
  const plans = [];
  for (const operation of operations.filter(({ name }) => names.includes(name))) {
    for (const statement of operation.statements) {
      const plan: SqlitePlanRow[] = await dataSource.query(`EXPLAIN QUERY PLAN ${statement.sql}`, [...statement.parameters]);
      plans.push({ operation: operation.name, sql: statement.sql, plan: plan.map(({ detail }) => detail) });
    }
  }
  return plans;
}

describe('EXPLAIN of the SCIM lookups Entra makes', () => {
  let t: TestApp;
  let operations: CapturedOperation[];
  let lookupPlansWithoutStatistics: { operation: string; sql: string; plan: string[] }[] = [];

  beforeAll(async () => {
    t = await createTestApp('scim-explain');
    const acme = await createScimTenant(t, 'Acme');
    const globex = await createScimTenant(t, 'Globex');
    const fixture = await seedStatementFixture(t, acme, USERS_PER_ORGANISATION);
    await bulkInsertUsers(t.dataSource, globex.organisation.id, 'globex', USERS_PER_ORGANISATION);
    await seedContactsAndTeams(t.dataSource, acme.organisation.id);
    await seedContactsAndTeams(t.dataSource, globex.organisation.id);
    operations = await captureScimStatements(t, acme, fixture);
    // The embedded SQLite database never runs ANALYZE: its plans for the lookups an identity provider makes on every
    // user must be right without statistics too.
    if (t.database.kind === 'sqlite') lookupPlansWithoutStatistics = await sqlitePlans(t.dataSource, operations, ENTRA_USER_MATCHES);
    const tables = ['users', 'user_emails', 'user_phone_numbers', 'user_addresses', 'teams', 'team_members'];
    if (t.database.kind === 'mysql') await t.dataSource.query(`ANALYZE TABLE ${tables.join(', ')}`);
    // What the app itself runs on SQLite, at start and every hour (sqlite-statistics.service.ts).
    else await t.app.get(SqliteStatistics).refresh();
  }, 300_000);
  afterAll(() => t.close());

  it('captured every lookup', () => {
    expect(operations.map((operation) => operation.name)).toEqual(
      expect.arrayContaining(['Entra: user by userName', 'Entra: user by externalId', 'Entra: user by id', 'Entra: group by displayName']),
    );
    for (const operation of operations) expect({ [operation.name]: operation.statements.length }).not.toEqual({ [operation.name]: 0 });
  });

  const onMariaDb = process.env.TEST_DATABASE_URL && !process.env.TEST_DATABASE_URL.startsWith('sqlite:') ? it : it.skip;
  const onSqlite = onMariaDb === it ? it.skip : it;

  onMariaDb('MariaDB reaches every row through an index, and pages in index order without sorting', async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      for (const statement of operation.statements) {
        const plan: MariaDbPlanRow[] = await t.dataSource.query(`EXPLAIN ${statement.sql}`, [...statement.parameters]);
        const shown = (row: MariaDbPlanRow) =>
          `${operation.name}: ${row.table} type=${row.type} key=${row.key} extra=${row.Extra}\n  ${statement.sql}`;
        for (const row of plan) {
          if (row.table === null) continue; // "Impossible WHERE" and the like read no table at all
          // A semi-join's materialised result (`<subquery2>`) holds only the rows its subquery found through an index.
          if (/^<subquery\d+>$/.test(row.table)) continue;
          // The UNION ALL of a user's contacts and teams: its parts are the rows checked here; this is their merge, a few rows a user, sorted in memory.
          if (/^<union[\d,]+>$/.test(row.table)) continue;
          // A deep page's ids, found through the index by the derived query checked here too, then sorted in memory (100 rows).
          if (/^<derived\d+>$/.test(row.table)) continue;
          if (row.key === null || row.type === null || !INDEXED_ACCESS.has(row.type)) problems.push(shown(row));
          const isDefaultOrderPage = PAGES_IN_DEFAULT_ORDER.includes(operation.name) && !/COUNT|IN \(/.test(statement.sql);
          if (isDefaultOrderPage && (row.Extra ?? '').includes('filesort')) problems.push(`sorted instead of read in order: ${shown(row)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  onSqlite('SQLite matches users by userName and externalId on their own index, without statistics, and sorts nothing', () => {
    const userReads = lookupPlansWithoutStatistics.filter(({ sql }) => /FROM "users" "user" WHERE "user"\."organisationId" = \?/.test(sql));
    expect(userReads.map(({ operation }) => operation).sort()).toEqual([...ENTRA_USER_MATCHES].sort());
    for (const { operation, plan } of userReads) {
      const column = operation === 'Entra: user by userName' ? 'userNameNormalized' : 'externalId';
      expect({ operation, plan }).toEqual({
        operation,
        plan: [expect.stringMatching(new RegExp(`^SEARCH user USING INDEX \\w+ \\(organisationId=\\? AND ${column}=\\?\\)$`))],
      });
    }
  });

  onSqlite('SQLite, with the statistics the app keeps, finds users by work email from the email index', async () => {
    const [emailRead] = await sqlitePlans(t.dataSource, operations, ['user by work email']).then((plans) =>
      plans.filter(({ sql }) => sql.includes('"user_emails" "email0"')),
    );
    // The matching emails first (by organisation and value), then each one's user by primary key: not every user of
    // the organisation checked in turn, as without statistics or with a correlated EXISTS.
    expect(emailRead.plan).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SEARCH user USING INDEX sqlite_autoindex_users_1 \(id=\?\)$/),
        expect.stringMatching(/^SEARCH email0 USING INDEX IX_user_emails_org_value \(organisationId=\? AND valueNormalized=\?\)$/),
      ]),
    );
  });

  onSqlite('SQLite reaches every table through an index (EXPLAIN QUERY PLAN)', async () => {
    const problems: string[] = [];
    for (const operation of operations) {
      for (const statement of operation.statements) {
        const plan: SqlitePlanRow[] = await t.dataSource.query(`EXPLAIN QUERY PLAN ${statement.sql}`, [...statement.parameters]);
        // "SCAN user" reads the whole table; "SCAN user USING INDEX …" and "SEARCH …" use an index. "SCAN page" reads
        // the 100 ids of a deep page's subquery, whose own lines are checked here too.
        for (const { detail } of plan)
          if (/^SCAN \S+$/.test(detail) && detail !== 'SCAN page') problems.push(`${operation.name}: ${detail}\n  ${statement.sql}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
