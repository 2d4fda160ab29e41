import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

/**
 * Every environment variable the application reads: type, default and meaning.
 * `.env.example` mirrors this class line for line; `process.env` is read nowhere else.
 */
export class EnvVars {
  /** `sqlite:<path>` (embedded, the default) or `mysql://user:pass@host:port/db` (MySQL 8 / MariaDB 10.11+). */
  @IsString()
  @Matches(/^(sqlite:.+|(mysql|mariadb):\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/database',
  })
  DATABASE_URL: string = 'sqlite:./data/booking.sqlite';

  /** TCP port the HTTP server listens on. */
  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** Interface to bind; 0.0.0.0 listens on all of them. */
  @IsString()
  HOST: string = '0.0.0.0';

  /** Base URL the outside world reaches this server on; SCIM tenant URLs and Location headers start with it. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    {
      message: 'PUBLIC_BASE_URL must be an absolute http(s) URL, e.g. https://booking.example.com',
    },
  )
  PUBLIC_BASE_URL?: string = undefined;

  /** How long an admin API access token stays valid, in minutes. */
  @Type(() => Number)
  @IsInt({ message: 'SESSION_TTL_MINUTES must be an integer' })
  @Min(1)
  @Max(60 * 24 * 30)
  SESSION_TTL_MINUTES: number = 720;

  /** Sustained SCIM requests per second allowed per organisation (all its identity provider's calls together). */
  @Type(() => Number)
  @IsInt({ message: 'SCIM_RATE_LIMIT_PER_SECOND must be an integer' })
  @Min(1)
  @Max(100000)
  SCIM_RATE_LIMIT_PER_SECOND: number = 50;

  /** SCIM requests an organisation may send at once before the sustained rate applies. */
  @Type(() => Number)
  @IsInt({ message: 'SCIM_RATE_LIMIT_BURST must be an integer' })
  @Min(1)
  @Max(1000000)
  SCIM_RATE_LIMIT_BURST: number = 100;

  /** How long the SCIM provisioning log and request log keep their entries, in days. */
  @Type(() => Number)
  @IsInt({ message: 'PROVISIONING_LOG_RETENTION_DAYS must be an integer' })
  @Min(1)
  @Max(3650)
  PROVISIONING_LOG_RETENTION_DAYS: number = 90;

  /** On SIGTERM, how long in-flight requests may take to finish before the process gives up and exits 1. */
  @Type(() => Number)
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_SECONDS must be an integer' })
  @Min(1)
  @Max(600)
  SHUTDOWN_TIMEOUT_SECONDS: number = 10;

  /**
   * MariaDB/MySQL: how long a request waits for a pooled connection, or for the answer to one statement, before it gets
   * 503 (a frozen or unreachable database otherwise holds requests for ever). Under Entra's 60 s request limit.
   */
  @Type(() => Number)
  @IsInt({ message: 'DATABASE_TIMEOUT_SECONDS must be an integer' })
  @Min(1)
  @Max(55)
  DATABASE_TIMEOUT_SECONDS: number = 15;

  /** Most verbose log level written: error, warn, log, debug or verbose. */
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';
}
