/**
 * Our server as the benchmarks run it: the BUILT app (`node dist/main.js`) in a child process, on a fresh database
 * (a temporary SQLite file, or a new database on the MariaDB/MySQL server BENCH_DATABASE_URL names, dropped at the end),
 * with the SCIM rate limit raised out of the way and only errors logged. The organisation and its SCIM token are made by
 * the services the CLI calls (`org:create`, `scim:enable`), in a Nest application context of the CLI module on the same
 * database; that context's DataSource also does the bulk seeding.
 */
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CliModule } from '../../src/cli/cli.module';
import { loadConfig } from '../../src/config/load-config';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { ScimCredentialsService } from '../../src/scim/auth/scim-credentials.service';
import { createTestDatabase } from '../../test/e2e/harness/test-database';
import { http } from './http';
import { freePort, onTeardown, sampleRss, startChild, waitUntilUp, type Child } from './processes';

export interface SqlCounts {
  counts: Record<string, number>;
  busy: { requests: number; statements: number };
}

export const ROOT = join(__dirname, '..', '..');

export interface OurServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The organisation's SCIM base URL path, e.g. /scim/v2/bench-1000 */
  tenantPath: string;
  token: string;
  organisationId: string;
  pid: number;
  dataSource: DataSource;
  database: { kind: 'sqlite' | 'mysql'; version: string };
  rssMaxMb(): number | undefined;
  /**
   * Running totals of SQL statements by verb and table, and the requests and statements under way
   * (bench/lib/sql-count-hook.js); undefined when BENCH_COUNT_SQL=0.
   */
  sqlCounts(): Promise<SqlCounts | undefined>;
  stop(): Promise<void>;
}

/** `root` is the checkout whose built server runs (dist/main.js); another than this one only for bench/compare.ts. */
export async function startOurServer(label: string, root = ROOT): Promise<OurServer> {
  // The e2e harness makes the throwaway database: a temp SQLite file, or e2e_bench_<random> on the server (the only
  // names the local MariaDB user may create).
  process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'sqlite:';
  const database = await createTestDatabase('bench');
  const dropDatabase = onTeardown(`database ${database.kind}`, () => database.drop());

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const profileDir = process.env.BENCH_CPU_PROF;
  const sqlCountPort = process.env.BENCH_COUNT_SQL === '0' ? undefined : await freePort();
  const hooks = [
    ...(profileDir ? ['--require', join(__dirname, 'cpu-profile-hook.js')] : []),
    ...(sqlCountPort ? ['--require', join(__dirname, 'sql-count-hook.js')] : []),
  ];
  const child = startChild(`server (${label})`, process.execPath, [...hooks, join(root, 'dist', 'main.js')], {
    ...(sqlCountPort ? { BENCH_SQL_COUNT_PORT: String(sqlCountPort) } : {}),
    DATABASE_URL: database.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: origin,
    LOG_LEVEL: 'error',
    SCIM_RATE_LIMIT_PER_SECOND: '100000',
    SCIM_RATE_LIMIT_BURST: '1000000',
    ...(profileDir ? { BENCH_CPU_PROF: profileDir, BENCH_CPU_PROF_NAME: label } : {}),
  });
  const rss = sampleRss(child.pid ?? 0);
  const stopSampling = onTeardown('rss sampler', () => rss.stop());
  await waitUntilUp(`${origin}/health`, child);

  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'error' });
  const context: INestApplicationContext = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: false,
    abortOnError: false,
  });
  const closeContext = onTeardown('application context', () => context.close());
  const organisation = await context.get(OrganisationsService).create({ name: `Bench ${label}` });
  const { token } = await context.get(ScimCredentialsService).enable(organisation.id);
  const dataSource = context.get(DataSource);
  const [row] = (await dataSource.query(
    database.kind === 'sqlite' ? 'SELECT sqlite_version() AS version' : 'SELECT VERSION() AS version',
  )) as {
    version: string;
  }[];

  return {
    origin,
    tenantPath: `/scim/v2/${organisation.slug}`,
    token,
    organisationId: organisation.id,
    pid: child.pid ?? 0,
    dataSource,
    database: { kind: database.kind, version: `${database.kind === 'sqlite' ? 'SQLite' : 'MariaDB/MySQL'} ${row.version}` },
    rssMaxMb: () => rss.max(),
    sqlCounts: async () => (sqlCountPort ? (JSON.parse((await http(`http://127.0.0.1:${sqlCountPort}/`)).text) as SqlCounts) : undefined),
    stop: async () => {
      await stopSampling();
      await closeContext();
      if (profileDir) await writeCpuProfile(child);
      await child.stop();
      await dropDatabase();
    },
  };
}

/** Asks the server's profiling hook (cpu-profile-hook.js) to write its profile, and waits until it says it has. */
async function writeCpuProfile(child: Child): Promise<void> {
  const before = child.output().length;
  child.kill('SIGUSR2');
  const deadline = Date.now() + 30_000;
  while (!child.output().slice(before).includes('cpu profile written') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const line = /cpu profile written to (\S+)/.exec(child.output().slice(before));
  console.log(line ? `  server CPU profile: ${line[1]}` : '  server CPU profile: not written within 30 s');
}
