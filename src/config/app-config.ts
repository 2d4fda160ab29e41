import type { LogLevel } from '@nestjs/common';

export type DatabaseConfig =
  { kind: 'sqlite'; path: string } | { kind: 'mysql'; flavour: 'mysql' | 'mariadb'; url: string; database: string };

/** The validated, typed configuration; built once by loadConfig() and injected everywhere else. */
export interface AppConfig {
  database: DatabaseConfig;
  port: number;
  host: string;
  /** Without a trailing slash. */
  publicBaseUrl: string;
  sessionTtlMinutes: number;
  provisioningLogRetentionDays: number;
  /** Per organisation: `burst` requests at once, earned back at `perSecond` (a token bucket: token-bucket.storage.ts). */
  scimRateLimit: { perSecond: number; burst: number };
  /** How long a SIGTERM shutdown may wait for in-flight requests before exiting 1. */
  shutdownTimeoutSeconds: number;
  /** MariaDB/MySQL: the longest wait for a pooled connection or for one statement's answer (wait-limit.ts). */
  databaseTimeoutSeconds: number;
  logLevels: LogLevel[];
}

export const APP_CONFIG = Symbol('APP_CONFIG');
