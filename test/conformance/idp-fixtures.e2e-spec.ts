/**
 * Replays every recorded identity-provider exchange under test/fixtures/idp/ (Entra and Okta, format in its
 * README.md) against the real app over HTTP: one app for the whole file, a fresh empty organisation with SCIM
 * enabled per fixture, one test per fixture named by its path relative to test/fixtures/idp/.
 *
 * The SCIM endpoints are built step by step, so supported-fixtures.json lists the fixtures that must pass:
 * - a listed fixture runs and must pass; a failure shows the request, the expected fragment and the actual answer;
 * - an unlisted fixture runs too. While it fails, its test passes quietly. Once it passes, its test FAILS with
 *   "fixture now passes: add it to supported-fixtures.json", so the list only grows and never lags behind the code.
 * A fixture that is itself malformed (unknown key, unbound placeholder) fails whether it is listed or not, and the
 * list may name only fixtures that exist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { ScimCredentialsService } from '../../src/scim/auth/scim-credentials.service';
import { createTestApp, type TestApp } from '../e2e/harness/test-app';
import { FixtureFormatError, findFixtureFiles, loadFixture, runFixture, type ScimTenant } from './fixture-runner';

const FIXTURE_ROOT = join(__dirname, '..', 'fixtures', 'idp');
const SUPPORTED_LIST = join(__dirname, 'supported-fixtures.json');

const fixtureFiles = findFixtureFiles(FIXTURE_ROOT);
const supportedFixtures: string[] = JSON.parse(readFileSync(SUPPORTED_LIST, 'utf8'));

describe('IdP fixtures replayed against the app', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('idp-fixtures');
  });
  afterAll(() => t?.close());

  it('supported-fixtures.json is a list of existing fixture paths, each named once', () => {
    expect(Array.isArray(supportedFixtures) && supportedFixtures.every((entry) => typeof entry === 'string')).toBe(true);
    expect(supportedFixtures.filter((entry) => !fixtureFiles.includes(entry))).toEqual([]);
    expect(supportedFixtures.filter((entry, index) => supportedFixtures.indexOf(entry) !== index)).toEqual([]);
  });

  for (const file of fixtureFiles) {
    it(file, async () => {
      const fixture = loadFixture(FIXTURE_ROOT, file);
      const replay = async () => runFixture(fixture, await createEmptyScimTenant(t, file));

      if (supportedFixtures.includes(file)) return replay();

      const passes = await replay().then(
        () => true,
        (error: unknown) => {
          if (error instanceof FixtureFormatError) throw error;
          return false;
        },
      );
      if (passes) throw new Error('fixture now passes: add it to supported-fixtures.json');
    });
  }
});

/**
 * A new organisation with SCIM enabled and nothing in it, so no fixture sees another's users or groups. The README
 * says each fixture starts from an empty tenant, and SCIM lists every user of the organisation: the signed-in admin
 * that t.createOrganisation seeds would be an extra user in every list (okta/01 expects totalResults 1), so the
 * organisation is created without one.
 */
async function createEmptyScimTenant(t: TestApp, fixtureFile: string): Promise<ScimTenant> {
  const organisation = await t.app.get(OrganisationsService).create({ name: `IdP fixture ${fixtureFile.replace(/\.json$/, '')}` });
  const { token } = await t.app.get(ScimCredentialsService).enable(organisation.id);
  // The issued tenant URL starts with PUBLIC_BASE_URL, not the test server's address.
  return { baseUrl: `${t.baseUrl}/scim/v2/${organisation.slug}`, token };
}
