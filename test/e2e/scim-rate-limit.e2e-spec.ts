import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import { createTestApp, type TestApp } from './harness/test-app';

/**
 * A small budget: a burst of 10, earned back at 1 a second (token-bucket.storage.ts), slow enough that
 * no call is earned back while a batch of concurrent calls is still arriving.
 */
describe('SCIM rate limit per organisation', () => {
  let t: TestApp;
  let busy: ScimTenant;
  let quiet: ScimTenant;

  beforeAll(async () => {
    t = await createTestApp('scim-rate-limit', { SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: '10' });
    busy = await createScimTenant(t, 'Busy');
    quiet = await createScimTenant(t, 'Quiet');
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After and a SCIM error over the budget, per organisation, and recovers', async () => {
    const responses = await Promise.all(Array.from({ length: 25 }, () => busy.get('/Users?count=1')));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(10);
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    // The wait for the next call earned back, at 1 a second (token-bucket.storage.ts). @nestjs/throttler's own
    // storage would lock the organisation out for its whole window: burst / rate = 10 s.
    expect(limited.map((response) => response.headers['retry-after'])).toEqual(limited.map(() => '1'));
    expect(limited[0].headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(JSON.parse(limited[0].text)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429' });

    // Another organisation's identity provider is not slowed down by this one.
    await quiet.get('/Users?count=1').expect(200);

    await new Promise((resolve) => setTimeout(resolve, 1100 * Number(limited[0].headers['retry-after'])));
    await busy.get('/Users?count=1').expect(200);
  });

  it('counts every SCIM route against one budget per organisation', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const mixed = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        index % 3 === 0 ? busy.get('/ServiceProviderConfig') : index % 3 === 1 ? busy.get('/Groups') : busy.get('/Users'),
      ),
    );
    expect(mixed.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(14);
  });

  it('records the calls it served in the request log, and not those it refused', async () => {
    const flooding = await createScimTenant(t, 'Flooding');
    const responses = await Promise.all(Array.from({ length: 20 }, () => flooding.get('/Users?count=1')));
    const served = responses.filter((response) => response.status === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThan(20);
    const logged = (): Promise<{ status: number }[]> =>
      t.dataSource.query('SELECT status FROM scim_request_log WHERE organisationId = ?', [flooding.organisation.id]);
    // Written behind the responses, every 50 ms (scim-request-log.service.ts): wait for the served calls' rows, then
    // long enough for any refused call's row to have followed them.
    const deadline = Date.now() + 5_000;
    while ((await logged()).length < served && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await logged()).map((row) => Number(row.status))).toEqual(Array.from({ length: served }, () => 200));
  });
});
