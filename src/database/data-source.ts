import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { ENTITIES, SUBSCRIBERS } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The one builder of DataSource options, used by the app, the CLI, the migration commands and the
 * tests. Migrations run at start; `synchronize` is never on.
 */
export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    subscribers: SUBSCRIBERS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    // Off: TypeORM's error log prints query parameters, and those can hold token hashes or
    // personal data. Failures surface as exceptions and are logged by the exception filters.
    logging: false,
  };

  if (database.kind === 'sqlite') {
    if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      // WAL lets the CLI write while the server runs; the busy timeout makes a writer wait its turn
      // instead of failing with SQLITE_BUSY.
      enableWAL: true,
      timeout: 10_000,
      // SQLite's built-in LOWER() folds ASCII letters only, so "Élodie" would not match "élodie" in
      // case-insensitive SCIM filters. This LOWER folds all of Unicode, as MariaDB's does.
      prepareDatabase: (db: { function(name: string, options: { deterministic: boolean }, fn: (value: unknown) => unknown): void }) =>
        db.function('lower', { deterministic: true }, (value) => (typeof value === 'string' ? value.toLowerCase() : value)),
    };
  }

  return {
    ...common,
    type: database.flavour,
    url: database.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: false,
    // Covers TCP connect and the handshake. A reachable server answers in milliseconds; a host that is down behind
    // a firewall, or a frozen server, never does, and every request that needs a new connection would wait this long
    // before its 503. Two seconds keeps that within the "a second or two" an identity provider is promised.
    // (A stopped server refuses the port, which fails at once: test/e2e/database-outage.e2e-spec.ts.)
    connectTimeout: 2_000,
    // A transaction's writes go to the server together, as one round trip (write-batch.ts explains the trade).
    multipleStatements: true,
    // Prepared statements (read-rows.ts) are kept per connection, the least recently used closed beyond this many: the
    // hot reads are a few dozen texts, and ten connections of an instance hold at most 1,000 of the server's 16,382
    // (MariaDB's default max_prepared_stmt_count).
    extra: { connectionLimit: 10, waitForConnections: true, maxPreparedStatements: 100 },
  };
}
