/**
 * `npm run bench`: how a SCIM PATCH that adds 100 members to a group scales with the group's size (trap T35: it must
 * not load or rewrite the membership). Boots the real app on a temporary database (SQLite, or a fresh database on
 * the MariaDB/MySQL server named by BENCH_DATABASE_URL), seeds teams of 0, 1,000 and 10,000 members with bulk SQL
 * inserts, then times `PATCH /Groups/{id}` with `add members` (100 users) over real HTTP. Each timed add is undone by
 * an untimed remove, so every repetition sees the same sizes; sizes take turns so drift hits them alike.
 *
 * Prints the median per size and the ratios 1k/0 and 10k/0; the target is at most 1.5.
 *
 *   npm run bench
 *   BENCH_DATABASE_URL=mariadb://booking:booking@127.0.0.1:3307/booking npm run bench
 *   BENCH_REPETITIONS=50 npm run bench
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { OrganisationsService } from '../src/organisations/organisations.service';
import { ScimCredentialsService } from '../src/scim/auth/scim-credentials.service';
import { TeamMember } from '../src/teams/team.entity';
import { User } from '../src/users/user.entity';
import { createTestAppOn, type TestApp } from '../test/e2e/harness/test-app';
import { createTestDatabase } from '../test/e2e/harness/test-database';

const SIZES = [0, 1_000, 10_000] as const;
const ADDED = 100;
const WARM_UP = 3;
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 25);
const TARGET_RATIO = 1.5;
const INSERT_BATCH = 500;

interface Tenant {
  baseUrl: string;
  token: string;
}

async function main(): Promise<void> {
  // The harness makes one throwaway database on the server TEST_DATABASE_URL names, or a temporary SQLite file.
  process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'sqlite:';
  const started = performance.now();
  const t = await createTestAppOn(await createTestDatabase('bench'));
  try {
    console.log(`database: ${t.database.kind === 'sqlite' ? 'SQLite (temporary file)' : 'MariaDB/MySQL (temporary database)'}`);
    const tenant = await createTenant(t);
    const joiners = await seedUsers(t.dataSource, tenant.organisationId, ADDED, 'joiner');
    const members = await seedUsers(t.dataSource, tenant.organisationId, Math.max(...SIZES), 'member');
    const groups = new Map<number, string>();
    for (const size of SIZES) {
      const id = await createGroup(tenant, `Bench ${size}`);
      await seedMemberships(t.dataSource, id, members.slice(0, size));
      groups.set(size, id);
    }
    console.log(`seeded ${members.length + joiners.length} users and teams of ${SIZES.join(', ')} in ${seconds(started)}`);

    const timings = new Map<number, number[]>(SIZES.map((size) => [size, []]));
    for (let round = 0; round < WARM_UP + REPETITIONS; round++) {
      // Rotate the order each round, so no size always runs first or last.
      const order = SIZES.map((_, index) => SIZES[(index + round) % SIZES.length]);
      for (const size of order) {
        const id = groups.get(size) ?? '';
        const elapsed = await timed(() =>
          patchGroup(tenant, id, [{ op: 'Add', path: 'members', value: joiners.map((value) => ({ value })) }]),
        );
        if (round === 0) await expectMemberCount(t.dataSource, id, size + ADDED);
        await patchGroup(tenant, id, [{ op: 'Remove', path: 'members', value: joiners.map((value) => ({ value })) }]);
        if (round >= WARM_UP) timings.get(size)?.push(elapsed);
      }
    }

    const medians = new Map(SIZES.map((size) => [size, median(timings.get(size) ?? [])]));
    console.log(`\nPATCH adding ${ADDED} members, ${REPETITIONS} repetitions after ${WARM_UP} warm-up rounds:`);
    for (const size of SIZES) {
      const values = timings.get(size) ?? [];
      console.log(
        `  team of ${String(size).padStart(6)}: median ${ms(medians.get(size))}  (min ${ms(Math.min(...values))}, max ${ms(Math.max(...values))})`,
      );
    }
    const base = medians.get(0) ?? NaN;
    for (const size of SIZES.filter((candidate) => candidate > 0)) {
      const ratio = (medians.get(size) ?? NaN) / base;
      const verdict = ratio <= TARGET_RATIO ? 'within' : 'ABOVE';
      console.log(`  ratio ${size / 1000}k/0: ${ratio.toFixed(2)} (${verdict} the target of ${TARGET_RATIO})`);
    }
    console.log(`\ntotal ${seconds(started)}`);
  } finally {
    await t.close();
  }
}

async function createTenant(t: TestApp): Promise<Tenant & { organisationId: string }> {
  const organisation = await t.app.get(OrganisationsService).create({ name: `Bench ${randomUUID().slice(0, 8)}` });
  const { token } = await t.app.get(ScimCredentialsService).enable(organisation.id);
  return { baseUrl: `${t.baseUrl}/scim/v2/${organisation.slug}`, token, organisationId: organisation.id };
}

/** Users straight into the table, many rows per INSERT, in one transaction. */
async function seedUsers(dataSource: DataSource, organisationId: string, count: number, prefix: string): Promise<string[]> {
  const now = new Date();
  const users = Array.from({ length: count }, (_, index) => {
    const userName = `${prefix}${index}@bench.test`;
    return {
      id: randomUUID(),
      organisationId,
      userName,
      userNameNormalized: userName,
      displayName: `${prefix} ${index}`,
      managedBy: 'scim' as const,
      createdAt: now,
      updatedAt: now,
    };
  });
  await dataSource.transaction((em) => insertInBatches(em, User, users));
  return users.map((user) => user.id);
}

async function seedMemberships(dataSource: DataSource, teamId: string, userIds: readonly string[]): Promise<void> {
  const addedAt = new Date();
  await dataSource.transaction((em) =>
    insertInBatches(
      em,
      TeamMember,
      userIds.map((userId) => ({ teamId, userId, addedAt })),
    ),
  );
}

async function insertInBatches<T extends object>(em: EntityManager, target: new () => T, rows: readonly Partial<T>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    await em
      .createQueryBuilder()
      .insert()
      .into(target)
      .values(rows.slice(start, start + INSERT_BATCH) as T[])
      .execute();
  }
}

async function createGroup(tenant: Tenant, displayName: string): Promise<string> {
  const response = await send(tenant, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName });
  if (response.status !== 201) throw new Error(`POST /Groups answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

async function patchGroup(tenant: Tenant, id: string, operations: unknown[]): Promise<void> {
  const response = await send(tenant, 'PATCH', `/Groups/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: operations,
  });
  if (response.status !== 204) throw new Error(`PATCH /Groups/${id} answered ${response.status}: ${await response.text()}`);
}

function send(tenant: Tenant, method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${tenant.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${tenant.token}`, 'Content-Type': 'application/scim+json' },
    body: JSON.stringify(body),
  });
}

/** The bench measures what it claims only if the add really added every member. */
async function expectMemberCount(dataSource: DataSource, teamId: string, expected: number): Promise<void> {
  const count = await dataSource.getRepository(TeamMember).countBy({ teamId });
  if (count !== expected) throw new Error(`team ${teamId} has ${count} members after the add, expected ${expected}`);
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ms = (value: number | undefined): string => `${(value ?? NaN).toFixed(1).padStart(6)} ms`;
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
