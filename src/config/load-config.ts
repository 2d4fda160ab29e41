import { existsSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { LogLevel } from '@nestjs/common';
import { AppConfig, DatabaseConfig } from './app-config';
import { EnvVars } from './env.schema';

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS_BY_VERBOSITY: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * The configuration of this process: variables from the environment, then from `./.env` if there
 * is one (a variable set in the environment wins). The only place that reads `process.env`.
 */
export function loadConfigFromEnvironment(): AppConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig(process.env);
}

/** Reads and validates the environment once; throws InvalidConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const known = Object.keys(new EnvVars());
  const present = Object.fromEntries(known.filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]));
  const vars = plainToInstance(EnvVars, present);
  const problems = validateSync(vars, { forbidUnknownValues: false }).flatMap(describe);

  let database: DatabaseConfig | undefined;
  if (problems.length === 0) {
    try {
      database = parseDatabaseUrl(vars.DATABASE_URL);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0 || !database) throw new InvalidConfigError(problems);

  const publicBaseUrl = (vars.PUBLIC_BASE_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, '');
  return {
    database,
    port: vars.PORT,
    host: vars.HOST,
    publicBaseUrl,
    sessionTtlMinutes: vars.SESSION_TTL_MINUTES,
    provisioningLogRetentionDays: vars.PROVISIONING_LOG_RETENTION_DAYS,
    scimRateLimit: { perSecond: vars.SCIM_RATE_LIMIT_PER_SECOND, burst: vars.SCIM_RATE_LIMIT_BURST },
    shutdownTimeoutSeconds: vars.SHUTDOWN_TIMEOUT_SECONDS,
    databaseTimeoutSeconds: vars.DATABASE_TIMEOUT_SECONDS,
    logLevels: LOG_LEVELS_BY_VERBOSITY.slice(0, LOG_LEVELS_BY_VERBOSITY.indexOf(vars.LOG_LEVEL) + 1),
  };
}

export function parseDatabaseUrl(raw: string): DatabaseConfig {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/booking.sqlite');
    return { kind: 'sqlite', path };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected mysql://user:pass@host:port/database)');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname) throw new Error('DATABASE_URL must name a host (mysql://user:pass@host:port/database)');
  if (!database || database.includes('/')) {
    throw new Error('DATABASE_URL must name one database (mysql://user:pass@host:port/database)');
  }
  // TypeORM reads table metadata differently on MariaDB (e.g. how it reports NULL defaults), so
  // the scheme says which server it is: mariadb:// for MariaDB, mysql:// for MySQL.
  const flavour = url.protocol === 'mariadb:' ? 'mariadb' : 'mysql';
  url.protocol = 'mysql:';
  return { kind: 'mysql', flavour, url: url.toString(), database };
}

function describe(error: ValidationError): string[] {
  const own = Object.values(error.constraints ?? {}).map((message) =>
    message.startsWith(error.property) ? message : `${error.property}: ${message}`,
  );
  return [...own, ...(error.children ?? []).flatMap(describe)];
}
