import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeIfAvailable } from '../e2e/harness/suite-needs';
import { createTestApp, TEST_PASSWORD, type SeededOrganisation, type TestApp } from '../e2e/harness/test-app';
import {
  CHROMIUM_PATH,
  chromiumIsInstalled,
  launchChromium,
  newContext,
  openWatchedPage,
  type PageWatcher,
  seriousAccessibilityViolations,
} from './harness/chromium';

/**
 * The admin web app in real headless Chromium against the real app on a real database: an admin
 * signs in, turns SCIM on and reads the token off the page, an identity provider uses it over HTTP,
 * and the admin sees the result on the users and integrations pages, edits permissions, rotates and
 * disables. Every page is checked for console errors, failed requests, its JavaScript weight and
 * axe-core's serious and critical accessibility rules, and photographed to test/browser/screenshots/.
 */
// The browser globals that the functions run inside the page use. Declared here, in this module
// only: the test program compiles without the DOM library, whose types clash with Node's fetch.
declare const document: {
  activeElement: { id: string; textContent: string | null } | null;
  documentElement: { scrollWidth: number; clientWidth: number };
};
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const window: { __xss?: number };
declare const sessionStorage: { length: number; key(index: number): string | null; getItem(key: string): string | null };
interface InputElement {
  readOnly: boolean;
}

const describeInChromium = describeIfAvailable(
  'admin web app in Chromium',
  chromiumIsInstalled() ? undefined : `${CHROMIUM_PATH} is missing (apt-get install chromium to run them)`,
);

/** The issue's budget: no page may load more JavaScript than this. */
const JS_BUDGET_BYTES = 200 * 1024;
const SCREENSHOTS = join(__dirname, 'screenshots');
/** SCIM users beyond the first: enough for a second page of users (25 a page) and of the log (20 a page). */
const EXTRA_SCIM_USERS = 24;
const HOSTILE_DISPLAY_NAME = '<img src=x onerror="window.__xss=1">Mallory';

jest.setTimeout(180_000);

describeInChromium('admin web app in Chromium', () => {
  let t: TestApp;
  let acme: SeededOrganisation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watcher: PageWatcher;
  let tenantPath: string;
  let token: string;
  let adaId: string;
  const checkedPages: { name: string; scriptBytes: number }[] = [];

  /** SCIM over real HTTP, as Entra sends it, with whatever token the page handed out. */
  const scim = (method: string, path: string, bearer: string, body?: object) =>
    fetch(`${t.baseUrl}${tenantPath}${path}`, {
      method,
      headers: { Authorization: `Bearer ${bearer}`, ...(body && { 'Content-Type': 'application/scim+json' }) },
      body: body && JSON.stringify(body),
    });
  const scimUser = (userName: string, displayName: string, extra: object = {}) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    displayName,
    active: true,
    emails: [{ value: userName, type: 'work', primary: true }],
    ...extra,
  });
  const adminApi = async (path: string) => {
    const response = await t.http().get(path).auth(acme.adminToken, { type: 'bearer' });
    expect(response.status).toBe(200);
    return response.body;
  };

  /** Accessibility, JS weight and a screenshot of the page as it is now. */
  async function checkPage(name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    const violations = await seriousAccessibilityViolations(page);
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
    const load = watcher.loads[watcher.loads.length - 1];
    expect(load.url).toBe(page.url());
    expect(load.scriptBytes).toBeGreaterThan(0);
    expect(load.scriptBytes).toBeLessThan(JS_BUDGET_BYTES);
    checkedPages.push({ name, scriptBytes: load.scriptBytes });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  const statusFigure = (id: string) => page.locator(`#${id}`).innerText();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await createTestApp('admin-web-app');
    acme = await t.createOrganisation('Acme');
    // Another organisation's people must never show up on Acme's pages.
    const globex = await t.createOrganisation('Globex');
    await t.createUser(globex.organisation.id, { email: 'only-at-globex@globex.test', displayName: 'Globex Person' });
    browser = await launchChromium();
    context = await newContext(browser, t.baseUrl);
    ({ page, watcher } = await openWatchedPage(context));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (checkedPages.length > 0) {
      process.stdout.write(
        `admin web app, JS per page: ${checkedPages.map((entry) => `${entry.name} ${entry.scriptBytes} B`).join(', ')}\n`,
      );
    }
  });

  afterEach(() => {
    // Collected across each step: any console error, exception or failed request fails the step it happened in.
    expect(watcher.takeProblems()).toEqual([]);
  });

  it('sends the bare address to the sign-in page, refuses a wrong password and signs in', async () => {
    await page.goto('/');
    expect(page.url()).toBe(`${t.baseUrl}/admin/`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sign in');
    await checkPage('sign-in');

    await page.getByLabel('Email').fill(acme.admin.email!);
    await page.getByLabel('Password').fill('not the password');
    watcher.expectFailure('/api/auth/login', 401);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');

    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/admin/integrations/scim');
    await page.getByText('Signed in as Acme Admin').waitFor();
  });

  it('shows SCIM off, enables it and shows the tenant URL and the token once, with copy buttons', async () => {
    await page.locator('#state-off').waitFor();
    expect(await page.locator('#state-badge').innerText()).toBe('Off');
    await checkPage('integrations-scim-off');

    await page.getByRole('button', { name: 'Enable SCIM provisioning' }).click();
    const panel = page.getByRole('region', { name: /Copy the tenant URL and token/ });
    await panel.waitFor();
    await expect(panel.innerText()).resolves.toContain('The token is shown once.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('credentials');
    const tenantUrl = await page.getByLabel('Tenant URL', { exact: true }).first().inputValue();
    expect(tenantUrl).toBe(`${t.config.publicBaseUrl}/scim/v2/${acme.organisation.slug}`);
    tenantPath = new URL(tenantUrl).pathname;
    token = await page.getByLabel('Secret token', { exact: true }).inputValue();
    expect(token).toMatch(/^\S{40,}$/);

    // One click copies, and the copy is confirmed visibly and to screen readers.
    await page.getByRole('button', { name: 'Copy the secret token' }).click();
    await page.locator('#announcer').filter({ hasText: 'Token copied to the clipboard.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await page.getByRole('button', { name: 'Copy the tenant URL' }).first().click();
    await page.locator('#announcer').filter({ hasText: 'Tenant URL copied to the clipboard.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tenantUrl);

    expect(await page.locator('#state-badge').innerText()).toBe('On');
    // This server is on loopback: the page says why no identity provider in the cloud could use its tenant URL.
    expect(await page.locator('#tenant-url-problem').innerText()).toMatch(/^The tenant URL points at this computer/);
    await checkPage('integrations-scim-enabled-token');

    await page.getByRole('button', { name: 'I have copied the token' }).click();
    await expect(panel.isHidden()).resolves.toBe(true);
    expect(await page.locator('#issued-token').inputValue()).toBe('');
    await page.reload();
    await page.locator('#state-on').waitFor();
    expect(await page.content()).not.toContain(token);
  });

  it('lets the identity provider provision with the token from the page, and shows its work', async () => {
    const created = await scim(
      'POST',
      '/Users',
      token,
      scimUser('ada@acme.test', 'Ada Lovelace', {
        externalId: 'entra-object-id-ada',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        title: 'Analyst',
      }),
    );
    expect(created.status).toBe(201);
    adaId = ((await created.json()) as { id: string }).id;
    for (let index = 1; index <= EXTRA_SCIM_USERS; index += 1) {
      const displayName = index === 1 ? HOSTILE_DISPLAY_NAME : `Person ${String(index).padStart(2, '0')}`;
      expect((await scim('POST', '/Users', token, scimUser(`person${index}@acme.test`, displayName))).status).toBe(201);
    }

    await page.reload();
    await page.locator('#state-on').waitFor();
    expect(await statusFigure('stat-managed-users')).toBe(String(1 + EXTRA_SCIM_USERS));
    expect(await statusFigure('stat-errors')).toBe('0');
    expect(await statusFigure('stat-last-activity')).not.toBe('No calls yet');
    await checkPage('integrations-scim-on');

    // The log: newest first, 20 a page, then the rest; Ada's creation is the oldest entry.
    const range = page.locator('#log-range');
    expect(await range.innerText()).toBe(`Events 1–20 of ${1 + EXTRA_SCIM_USERS}`);
    expect(await page.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    await range.filter({ hasText: `Events 21–${1 + EXTRA_SCIM_USERS}` }).waitFor();
    const adaRow = page.locator('#log-rows tr').filter({ hasText: 'ada@acme.test' });
    expect(await adaRow.locator('td').allInnerTexts()).toEqual([
      expect.any(String),
      'Create',
      'ada@acme.test',
      'Success',
      '201',
      expect.any(String),
    ]);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);

    // Filters: by user text, by operation and outcome, and back.
    await page.getByLabel('User', { exact: true }).fill('ADA@');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await range.filter({ hasText: 'Events 1–1 of 1' }).waitFor();
    await page.getByLabel('Operation').selectOption('delete');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await range.filter({ hasText: 'No events' }).waitFor();
    expect(await page.locator('#log-rows').innerText()).toBe('No provisioning events match.');
    await page.getByRole('button', { name: 'Clear' }).click();
    await range.filter({ hasText: `of ${1 + EXTRA_SCIM_USERS}` }).waitFor();
    await page.getByLabel('Outcome').selectOption('failure');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await range.filter({ hasText: 'No events' }).waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await range.filter({ hasText: `Events 1–20 of ${1 + EXTRA_SCIM_USERS}` }).waitFor();
  });

  it('lists users with search, paging, the SCIM badge and state, and never another organisation', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.waitForURL('**/admin/users');
    await page.locator('#user-rows tr').first().waitFor();
    expect(await page.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe('page');
    // The admin, Ada and the extra SCIM users: 25 on the first page, the rest on the second.
    const total = 2 + EXTRA_SCIM_USERS;
    expect(await page.locator('#users-summary').innerText()).toBe(`Showing 1–25 of ${total} users.`);
    expect(await page.locator('#users-range').innerText()).toBe('Page 1 of 2');
    expect(await page.locator('#user-rows tr').count()).toBe(25);
    expect(await page.content()).not.toContain('Globex Person');
    // A display name full of markup is shown as text, never run.
    expect(await page.getByRole('link', { name: HOSTILE_DISPLAY_NAME }).count()).toBe(1);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    await checkPage('users');

    await page.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL('**/admin/users?page=2');
    await page.locator('#users-range').filter({ hasText: 'Page 2 of 2' }).waitFor();
    expect(await page.locator('#user-rows tr').count()).toBe(total - 25);
    expect(await page.getByRole('link', { name: 'Next' }).getAttribute('aria-disabled')).toBe('true');

    await page.getByLabel('Search users').fill('lovelace');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL('**/admin/users?q=lovelace');
    await page.locator('#users-summary').filter({ hasText: 'Showing 1–1 of 1 user matching “lovelace”.' }).waitFor();
    const adaRow = page.locator('#user-rows tr');
    expect(await adaRow.locator('th, td').allInnerTexts()).toEqual([
      'Ada Lovelace',
      'ada@acme.test',
      'ada@acme.test',
      'User',
      'Active',
      'SCIM',
    ]);
    await checkPage('users-search');

    await page.getByLabel('Search users').fill('globex');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#users-summary').filter({ hasText: 'No users match “globex”.' }).waitFor();

    // Addresses typed or kept by hand: a page past the end, a user that does not exist here.
    await page.goto('/admin/users?page=9');
    await page.locator('#users-summary').filter({ hasText: 'There is no page 9: the list has 2.' }).waitFor();
    watcher.expectFailure('/api/users/not-a-user-here', 404);
    await page.goto('/admin/user?id=not-a-user-here');
    await page.getByRole('alert').filter({ hasText: '(USER_NOT_FOUND)' }).waitFor();
    expect(await page.locator('#page-content').isHidden()).toBe(true);
  });

  it('shows a managed user with identity locked and the reason, and saves role and permissions', async () => {
    await page.goto('/admin/users');
    await page.getByLabel('Search users').fill('ada');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.waitForURL(`**/admin/user?id=${adaId}`);
    await page.locator('#page-content').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Ada Lovelace SCIM Active');

    const reason = page.locator('#managed-reason');
    expect(await reason.innerText()).toContain('Managed by your identity provider (SCIM).');
    for (const label of ['Display name', 'User name', 'Email', 'Given name', 'Family name', 'Job title', 'Department', 'Phone']) {
      const field = page.getByLabel(label);
      expect({ label, readOnly: await field.evaluate((input) => (input as unknown as InputElement).readOnly) }).toEqual({
        label,
        readOnly: true,
      });
      expect(await field.getAttribute('aria-describedby')).toBe('managed-reason');
      expect(await page.locator(`label[for="${await field.getAttribute('id')}"]`).innerText()).toContain('(locked)');
    }
    expect(await page.getByLabel('Display name').inputValue()).toBe('Ada Lovelace');
    expect(await page.getByLabel('Job title').inputValue()).toBe('Analyst');
    expect(await page.getByLabel('External id').inputValue()).toBe('entra-object-id-ada');
    expect(await page.getByLabel('Active (can sign in and book)').isDisabled()).toBe(true);
    // Typing into a locked field changes nothing.
    await page.getByLabel('Display name').press('End');
    await page.keyboard.type(' Byron');
    expect(await page.getByLabel('Display name').inputValue()).toBe('Ada Lovelace');
    await checkPage('user-managed');

    // Permissions stay editable and are saved.
    expect(await page.getByLabel('Role').isEnabled()).toBe(true);
    await page.getByLabel('Role').selectOption('admin');
    await page.getByLabel('Can book parking').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#save-status').filter({ hasText: 'Changes saved.' }).waitFor();
    expect(await adminApi(`/api/users/${adaId}`)).toMatchObject({
      displayName: 'Ada Lovelace',
      role: 'admin',
      permissions: { canBookDesks: true, canBookRooms: true, canBookParking: true, canBookOnBehalf: false },
      managedBy: 'scim',
    });
    await page.reload();
    await page.locator('#page-content').waitFor();
    expect(await page.getByLabel('Role').inputValue()).toBe('admin');
    expect(await page.getByLabel('Can book parking').isChecked()).toBe(true);

    // The identity provider still owns the identity: its change shows up here.
    const patched = await scim('PATCH', `/Users/${adaId}`, token, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'title', value: 'Chief Analyst' }],
    });
    expect(patched.status).toBe(200);
    await page.reload();
    await page.locator('#page-content').waitFor();
    expect(await page.getByLabel('Job title').inputValue()).toBe('Chief Analyst');
  });

  it('shows the log entries for the user, then rotates the token only after confirmation', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await page.waitForURL('**/admin/integrations/scim');
    await page.locator('#state-on').waitFor();
    await page.getByLabel('User', { exact: true }).fill(adaId);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('#log-range').filter({ hasText: 'Events 1–2 of 2' }).waitFor();
    expect(await page.locator('#log-rows tr td:nth-child(2)').allInnerTexts()).toEqual(['Update', 'Create']);
    expect(await page.locator('#log-rows tr').first().innerText()).toContain('changed title');

    // Escape cancels: nothing is rotated and the old token still works.
    await page.getByRole('button', { name: 'Rotate token…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the SCIM token?' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    const violations = await seriousAccessibilityViolations(page);
    expect({ page: 'rotate dialog', violations }).toEqual({ page: 'rotate dialog', violations: [] });
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-scim-rotate-dialog.png') });
    await page.keyboard.press('Escape');
    await expect(dialog.isHidden()).resolves.toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rotate');
    expect((await scim('GET', '/Users?count=1', token)).status).toBe(200);

    // Confirmed with the keyboard: a new token, the old one refused at once, the new one accepted.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: /Copy the tenant URL and token/ }).waitFor();
    const rotated = await page.getByLabel('Secret token', { exact: true }).inputValue();
    expect(rotated).not.toBe(token);
    expect((await scim('GET', '/Users?count=1', token)).status).toBe(401);
    expect((await scim('GET', '/Users?count=1', rotated)).status).toBe(200);
    token = rotated;
    await page.getByRole('button', { name: 'I have copied the token' }).click();
  });

  it('disables only after a confirmation that says what happens to managed users', async () => {
    await page.getByRole('button', { name: 'Disable provisioning…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable SCIM provisioning?' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain(`The ${1 + EXTRA_SCIM_USERS} users and 0 teams it manages stay, with their access, roles and bookings`);
    expect(text).toContain('nobody is deactivated or deleted');
    expect(text).toContain('become editable here');
    await page.screenshot({ path: join(SCREENSHOTS, 'integrations-scim-disable-dialog.png') });
    await dialog.getByRole('button', { name: 'Disable provisioning' }).click();
    await page.locator('#state-off').waitFor();
    expect(await page.locator('#state-badge').innerText()).toBe('Off');
    expect((await scim('GET', '/Users?count=1', token)).status).toBe(401);
    await checkPage('integrations-scim-disabled');

    // Exactly what the dialog said: Ada is still here, active, an admin, and now editable in the app.
    await page.goto(`/admin/user?id=${adaId}`);
    await page.locator('#page-content').waitFor();
    expect(await page.locator('#managed-notice').isHidden()).toBe(true);
    expect(await page.getByLabel('Display name').evaluate((input) => (input as unknown as InputElement).readOnly)).toBe(false);
    expect(await page.getByLabel('Active (can sign in and book)').isChecked()).toBe(true);
    await page.getByLabel('Display name').fill('Ada King');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#save-status').filter({ hasText: 'Changes saved.' }).waitFor();
    expect(await adminApi(`/api/users/${adaId}`)).toMatchObject({ displayName: 'Ada King', role: 'admin', active: true, managedBy: null });
    await checkPage('user-app-managed');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const phone = await newContext(browser, t.baseUrl, { width: 390, height: 844 });
    try {
      const { page: phonePage, watcher: phoneWatcher } = await openWatchedPage(phone);
      await phonePage.goto('/admin/');
      await phonePage.getByLabel('Email').fill(acme.admin.email!);
      await phonePage.getByLabel('Password').fill(TEST_PASSWORD);
      await phonePage.getByRole('button', { name: 'Sign in' }).click();
      await phonePage.waitForURL('**/admin/integrations/scim');
      await phonePage.waitForLoadState('networkidle');
      for (const [name, path, ready] of [
        ['phone-integrations-scim', '/admin/integrations/scim', '#state-off'],
        ['phone-users', '/admin/users', '#user-rows tr'],
        ['phone-user', `/admin/user?id=${adaId}`, '#page-content'],
      ]) {
        await phonePage.goto(path);
        await phonePage.locator(ready).first().waitFor();
        const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect({ name, overflow }).toEqual({ name, overflow: 0 });
        await phonePage.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      }
      expect(phoneWatcher.takeProblems()).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('tells a signed-in user who is not an admin that the pages are for admins', async () => {
    const member = await t.createUser(acme.organisation.id, { email: 'member@acme.test', password: TEST_PASSWORD });
    const memberContext = await newContext(browser, t.baseUrl);
    try {
      const { page: memberPage, watcher: memberWatcher } = await openWatchedPage(memberContext);
      await memberPage.goto('/admin/users');
      await memberPage.waitForURL('**/admin/?next=%2Fadmin%2Fusers');
      await memberPage.getByLabel('Email').fill(member.email!);
      await memberPage.getByLabel('Password').fill(TEST_PASSWORD);
      await memberPage.getByRole('button', { name: 'Sign in' }).click();
      await memberPage.waitForURL('**/admin/users');
      await memberPage.getByRole('alert').filter({ hasText: 'These pages are for administrators.' }).waitFor();
      expect(await memberPage.locator('#page-content').isHidden()).toBe(true);
      expect(memberWatcher.takeProblems()).toEqual([]);
    } finally {
      await memberContext.close();
    }
  });

  it('signs out: the session ends on the server and in the tab, and the pages ask to sign in again', async () => {
    await page.goto('/admin/users');
    // The token the tab signed in with (api-client.js keeps the session as JSON in sessionStorage).
    const token = await page.evaluate(
      () => (JSON.parse(sessionStorage.getItem(sessionStorage.key(0) ?? '') ?? '{}') as { accessToken?: string }).accessToken,
    );
    expect(token).toEqual(expect.any(String));
    await t.http().get('/api/auth/me').auth(token!, { type: 'bearer' }).expect(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/admin/');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // A copy of the token (a saved request, another tool) no longer opens anything.
    await t.http().get('/api/auth/me').auth(token!, { type: 'bearer' }).expect(401);
    await page.goto('/admin/integrations/scim');
    await page.waitForURL('**/admin/?next=%2Fadmin%2Fintegrations%2Fscim');
  });
});
