import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import {
  duplicateCreateAfterRetry,
  raceCreates,
  raceGroupMembers,
  raceIfMatch,
  racePatchesOfOneUser,
  scimClientOn,
  type RaceFigures,
  type ScimClient,
} from './harness/scim-races';
import { createTestApp, type TestApp } from './harness/test-app';

/**
 * Identity providers run provisioning in parallel and retry on timeouts. These races run on one app instance;
 * two-instances.e2e-spec.ts runs the same scenarios split across two instances on one database.
 */
describe('SCIM under concurrent requests (one instance)', () => {
  let t: TestApp;
  let acme: ScimTenant;
  let clients: ScimClient[];
  const seen: RaceFigures[] = [];

  beforeAll(async () => {
    t = await createTestApp('scim-concurrency');
    acme = await createScimTenant(t, 'Acme');
    clients = [scimClientOn(t, acme)];
  });
  afterAll(async () => {
    await t?.close();
    // The figures behind the README's "what is guaranteed" section.
    process.stdout.write(`scim-concurrency (${t?.database.kind}): ${JSON.stringify(seen)}\n`);
  });

  it('gives exactly one 201 for 24 concurrent creates of one userName; the rest are 409 uniqueness; one row', async () => {
    for (let round = 0; round < 3; round++) {
      seen.push(await raceCreates(t, acme, clients, `same userName, round ${round}`, 24, () => `race-${round}@acme.test`));
    }
  });

  it('treats userNames that differ only in case as the same user in a race, as Entra does', async () => {
    const spellings = ['case.race@acme.test', 'CASE.RACE@ACME.TEST', 'Case.Race@Acme.Test', 'case.RACE@acme.TEST'];
    seen.push(await raceCreates(t, acme, clients, 'userName in mixed case', 24, (index) => spellings[index % spellings.length]));
  });

  it('answers a create repeated after an IdP timeout with a clean 409, and the follow-up filter finds the user', async () => {
    await duplicateCreateAfterRetry(t, acme, clients, 'retried@acme.test');
  });

  it('never loses a PATCH answered 2xx when 20 PATCHes of one user run at once', async () => {
    for (let round = 0; round < 3; round++)
      seen.push(await racePatchesOfOneUser(clients, `user patch round ${round}`, `patched-${round}@acme.test`));
  });

  it('never loses a group member change answered 2xx when 20 adds, then mixed adds and removes, run at once', async () => {
    seen.push(await raceGroupMembers(clients, 'group members'));
  });

  it('lets exactly one of 10 PATCHes carrying the same If-Match win; the rest get 412', async () => {
    seen.push(await raceIfMatch(clients, 'if-match'));
  });
});
