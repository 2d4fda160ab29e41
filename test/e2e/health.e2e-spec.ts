import { HttpAdapterHost } from '@nestjs/core';
import { createScimTenant } from './harness/scim-tenant';
import { createTestApp, type TestApp } from './harness/test-app';

describe('GET /health', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('health');
  });
  afterAll(() => t.close());

  it('answers 200 when the database answers, without authentication', async () => {
    const response = await t.http().get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('answers /health/live without touching the database', async () => {
    expect((await t.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('is the first route Express tries, SCIM user routes next and the admin API after all of SCIM (app.module.ts)', () => {
    const express = t.app.get(HttpAdapterHost).httpAdapter.getInstance();
    const paths = ((express.router ?? express._router).stack as { route?: { path: string } }[])
      .filter((layer) => layer.route)
      .map((layer) => layer.route!.path);
    expect(paths.slice(0, 2)).toEqual(['/health', '/health/live']);
    expect(paths.slice(2, 9)).toEqual(paths.filter((path) => path.startsWith('/scim/v2/:organisation/Users')));
    const firstAdminRoute = paths.findIndex((path) => path.startsWith('/api/'));
    expect(paths.slice(2, firstAdminRoute).every((path) => path.startsWith('/scim/v2/'))).toBe(true);
    expect(paths.slice(firstAdminRoute).every((path) => path.startsWith('/api/'))).toBe(true);
  });

  it('sends security headers', async () => {
    const response = await t.http().get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  // Not a real outage: the app closes its own connections, which works on SQLite too and covers the "not connected"
  // errors. database-outage.e2e-spec.ts stops and restarts a real mariadbd.
  it('answers 503 with Retry-After while its connections are closed (health, admin API, SCIM), and recovers once they reopen', async () => {
    const acme = await createScimTenant(t, 'Acme');
    await t.dataSource.destroy();
    try {
      const health = await t.http().get('/health').expect(503);
      expect(health.headers['retry-after']).toBeDefined();
      expect(health.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      await t.http().get('/health/live').expect(200);

      const admin = await t.http().get('/api/users').auth(acme.adminToken, { type: 'bearer' }).expect(503);
      expect(admin.headers['retry-after']).toBeDefined();
      expect(admin.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });

      const scim = await acme.get('/Users').expect(503);
      expect(scim.headers['retry-after']).toBeDefined();
      expect(JSON.parse(scim.text)).toMatchObject({ status: '503' });
    } finally {
      await t.dataSource.initialize();
    }
    await t.http().get('/health').expect(200);
    await acme.get('/Users').expect(200);
  });
});
