import fc from 'fast-check';
import { createTestApp, type TestApp } from './harness/test-app';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * Property: whatever PATCH an identity provider (or an attacker holding a token) sends, the server
 * answers below 500, and either applies the whole request (the stored user is what the response
 * showed) or none of it (the stored user is unchanged). Runs over real HTTP on the real database.
 */
describe('SCIM PATCH properties', () => {
  let t: TestApp;
  let tenant: ScimTenant;

  beforeAll(async () => {
    t = await createTestApp('scim-patch-properties');
    tenant = await createScimTenant(t, 'Props');
  });
  afterAll(() => t.close());

  const paths = fc.constantFrom(
    'userName',
    'displayName',
    'active',
    'title',
    'name.givenName',
    'name',
    'emails',
    'emails[type eq "work"].value',
    'emails[type eq "home"]',
    'phoneNumbers[type eq "mobile"].value',
    'addresses[type eq "work"].locality',
    `${ENTERPRISE}:department`,
    `${ENTERPRISE}:manager`,
    'manager[value eq "m-1"]',
    ENTERPRISE,
    'id',
    'meta.created',
    'groups',
    '__proto__.polluted',
    'constructor.prototype.polluted',
    'emails[type eq',
    'unknownAttribute',
  );
  const values = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('True', 'False', '', 'm-1', 'x'.repeat(300)),
    fc.boolean(),
    fc.integer(),
    fc.constant(null),
    fc.constant({ givenName: 'G', familyName: 'F' }),
    fc.constant({ value: 'm-1' }),
    fc.constant([{ value: 'a@b.example', type: 'work', primary: true }]),
    fc.constant([{ value: 5 }]),
    fc.constant({ 'name.givenName': 'Dotted', [`${ENTERPRISE}:employeeNumber`]: 'E-9', active: 'False' }),
    fc.constant({ __proto__: { polluted: true } }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const operation = fc.record(
    {
      op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'Remove', 'copy'),
      path: paths,
      value: values,
    },
    { requiredKeys: ['op'] },
  );

  it('never answers 5xx, and applies all of a request or none of it', async () => {
    let userNumber = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 0, maxLength: 5 }), async (operations) => {
        userNumber += 1;
        const created = JSON.parse(
          (
            await tenant
              .post('/Users', {
                userName: `prop${userNumber}@props.test`,
                displayName: 'Prop',
                emails: [{ value: `prop${userNumber}@props.test`, type: 'work', primary: true }],
                [ENTERPRISE]: { department: 'D', manager: { value: 'm-1' } },
              })
              .expect(201)
          ).text,
        );
        const response = await t
          .http()
          .patch(`${tenant.base}/Users/${created.id}`)
          .set('Authorization', `Bearer ${tenant.token}`)
          .set('Content-Type', 'application/scim+json')
          .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations }));
        expect(response.status).toBeLessThan(500);
        const stored = JSON.parse((await tenant.get(`/Users/${created.id}`).expect(200)).text);
        if (response.status === 200) expect(stored).toEqual(JSON.parse(response.text));
        else expect(stored).toEqual(created);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 150, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );
  });
});
