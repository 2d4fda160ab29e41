import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export interface TestDatabase {
  url: string;
  kind: 'sqlite' | 'mysql';
  drop(): Promise<void>;
}

/**
 * One fresh database per test file, so files run in parallel and never see each other's data:
 * a temporary SQLite file, or a new `e2e_<suite>_<random>` database on the server named by
 * TEST_DATABASE_URL (its user needs CREATE and DROP on *.*).
 */
export async function createTestDatabase(suite: string): Promise<TestDatabase> {
  const unique = `${suite.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl || serverUrl.startsWith('sqlite:')) {
    const path = join(tmpdir(), `booking-e2e-${unique}.sqlite`);
    return {
      url: `sqlite:${path}`,
      kind: 'sqlite',
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      },
    };
  }

  const name = `e2e_${unique}`.slice(0, 64);
  const url = new URL(serverUrl);
  const admin = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'mysql',
    drop: async () => {
      const connection = await createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}
