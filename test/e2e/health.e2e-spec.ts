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

  it('answers 503 with Retry-After when the database does not, and 200 again once it is back', async () => {
    await t.dataSource.destroy();
    try {
      const response = await t.http().get('/health').expect(503);
      expect(response.headers['retry-after']).toBeDefined();
      expect(response.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await t.dataSource.initialize();
    }
    await t.http().get('/health').expect(200);
  });
});
