import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../../src/app.module';
import type { AppConfig } from '../../../src/config/app-config';
import { loadConfig } from '../../../src/config/load-config';
import { configureApp } from '../../../src/configure-app';
import { OrganisationsService, type OrganisationView } from '../../../src/organisations/organisations.service';
import { UsersService } from '../../../src/users/users.service';
import type { UserView } from '../../../src/users/user.view';
import { rowCountDisagreements } from './row-counts-audit';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  database: TestDatabase;
  dataSource: DataSource;
  baseUrl: string;
  http(): ReturnType<typeof request>;
  /** An organisation with a signed-in admin, created the way the CLI does. */
  createOrganisation(name: string): Promise<SeededOrganisation>;
  createUser(
    organisationId: string,
    input: { email: string; displayName?: string; role?: 'admin' | 'user'; password?: string },
  ): Promise<UserView>;
  login(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

export interface SeededOrganisation {
  organisation: OrganisationView;
  admin: UserView;
  adminToken: string;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** The whole app, built exactly as main.ts builds it, on its own database and a free port. */
/**
 * Rate limits high enough that no test meets them by accident; the rate limit tests set their own.
 */
const TEST_ENV = { PORT: '0', LOG_LEVEL: 'error', SCIM_RATE_LIMIT_PER_SECOND: '100000', SCIM_RATE_LIMIT_BURST: '1000000' };

export async function createTestApp(suite: string, env: Record<string, string> = {}): Promise<TestApp> {
  return createTestAppOn(await createTestDatabase(suite), env);
}

export async function createTestAppOn(database: TestDatabase, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ ...TEST_ENV, ...env, DATABASE_URL: database.url });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: false, abortOnError: false });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const testApp: TestApp = {
    app,
    config,
    database,
    dataSource: app.get(DataSource),
    baseUrl,
    http: () => request(baseUrl),
    async createOrganisation(name) {
      const organisation = await app.get(OrganisationsService).create({ name });
      const email = `admin@${organisation.slug}.test`;
      const admin = await testApp.createUser(organisation.id, {
        email,
        displayName: `${name} Admin`,
        role: 'admin',
        password: TEST_PASSWORD,
      });
      return { organisation, admin, adminToken: await testApp.login(email, TEST_PASSWORD) };
    },
    createUser(organisationId, input) {
      return app.get(UsersService).create(organisationId, { displayName: input.email.split('@')[0], ...input });
    },
    async login(email, password) {
      const response = await request(baseUrl).post('/api/auth/login').send({ email, password }).expect(200);
      return response.body.accessToken as string;
    },
    async close() {
      const disagreements = await auditRowCounts(testApp.dataSource);
      await app.close();
      await database.drop();
      if (disagreements.length > 0) throw new Error(`organisation row counts disagree with the tables: ${disagreements.join('; ')}`);
    },
  };
  return testApp;
}

/**
 * rowCountDisagreements, unless the database cannot answer: a suite may have stopped its database, or undone the
 * migrations, on purpose.
 */
async function auditRowCounts(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) return [];
  try {
    return await rowCountDisagreements(dataSource);
  } catch {
    return [];
  }
}
