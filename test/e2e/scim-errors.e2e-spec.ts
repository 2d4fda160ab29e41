import { createTestApp, type TestApp } from './harness/test-app';

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('SCIM error bodies for failures before any SCIM controller runs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('scim-errors');
  });
  afterAll(() => t.close());

  it('answers an unknown SCIM route with a SCIM 404, not the admin API format', async () => {
    const response = await t.http().get('/scim/v2/acme/Nothing').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(JSON.parse(response.text)).toEqual({ schemas: [SCIM_ERROR], status: '404', detail: expect.any(String) });
  });

  it.each(['application/scim+json', 'application/json', 'application/scim+json; charset=utf-8'])(
    'answers malformed JSON sent as %s with 400 invalidSyntax',
    async (contentType) => {
      const response = await t.http().post('/scim/v2/acme/Users').set('Content-Type', contentType).send('{"userName": ').expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(JSON.parse(response.text)).toEqual({
        schemas: [SCIM_ERROR],
        status: '400',
        scimType: 'invalidSyntax',
        detail: 'The request body is not valid JSON.',
      });
    },
  );

  it('answers a body over 1 MB with a SCIM 413', async () => {
    const response = await t
      .http()
      .post('/scim/v2/acme/Users')
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ userName: 'x'.repeat(1_100_000) }))
      .expect(413);
    expect(JSON.parse(response.text)).toMatchObject({ schemas: [SCIM_ERROR], status: '413' });
  });

  it('keeps the admin API format outside /scim/', async () => {
    const response = await t.http().get('/api/nothing').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
