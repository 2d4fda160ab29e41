import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestAppOn, type TestApp } from '../e2e/harness/test-app';
import { createTestDatabase } from '../e2e/harness/test-database';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('admin CLI (the real `npm run --silent cli` command)', () => {
  let t: TestApp;

  /** Runs the CLI as a user would, on the same database as the running server. */
  async function cli(...args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run('npm', ['run', '--silent', 'cli', '--', ...args], {
        cwd: `${__dirname}/../..`,
        env: { ...process.env, DATABASE_URL: t.database.url, PUBLIC_BASE_URL: 'https://booking.example.test' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  }

  beforeAll(async () => {
    // The server runs first: the CLI must work beside it on the same database.
    t = await createTestAppOn(await createTestDatabase('cli'));
  });
  afterAll(() => t.close());

  it('creates an organisation and an admin who can log in and see themselves through the API', async () => {
    const org = await cli('org:create', '--name', 'Acme Corp');
    expect(org).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(org.stdout)).toEqual({ id: expect.any(String), slug: 'acme-corp', name: 'Acme Corp' });
    expect(org.stdout.trim().split('\n')).toHaveLength(1);

    const user = await cli(
      'user:create',
      '--org',
      'acme-corp',
      '--email',
      'ada@acme.test',
      '--name',
      'Ada Lovelace',
      '--role',
      'admin',
      '--password',
      'correct horse battery',
    );
    expect(user).toMatchObject({ code: 0, stderr: '' });
    const created = JSON.parse(user.stdout);
    expect(created).toMatchObject({
      email: 'ada@acme.test',
      userName: 'ada@acme.test',
      displayName: 'Ada Lovelace',
      role: 'admin',
      managedBy: null,
    });
    expect(created).not.toHaveProperty('passwordHash');

    const token = await t.login('ada@acme.test', 'correct horse battery');
    const viaApi = await t.http().get(`/api/users/${created.id}`).auth(token, { type: 'bearer' }).expect(200);
    expect(viaApi.body).toEqual(created);
  });

  it('takes an explicit slug and refuses one that exists, with one line on stderr and a non-zero exit', async () => {
    expect((await cli('org:create', '--name', 'Globex', '--slug', 'globex')).code).toBe(0);
    const again = await cli('org:create', '--name', 'Globex Two', '--slug', 'globex');
    expect(again.code).not.toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/ORGANISATION_SLUG_TAKEN/);
  });

  it('enables SCIM with a tenant URL and a token shown once, rotates it and disables it', async () => {
    expect((await cli('org:create', '--name', 'Initech', '--slug', 'initech')).code).toBe(0);
    const enabled = await cli('scim:enable', '--org', 'initech');
    expect(enabled).toMatchObject({ code: 0, stderr: '' });
    const first = JSON.parse(enabled.stdout);
    expect(first).toEqual({ tenantUrl: 'https://booking.example.test/scim/v2/initech', token: expect.any(String) });
    expect(Buffer.from(first.token, 'base64url').length).toBeGreaterThanOrEqual(32);
    const stored = await t.dataSource.query('SELECT tokenHash FROM scim_credentials');
    expect(stored).toHaveLength(1);
    expect(stored[0].tokenHash).not.toContain(first.token);

    const again = await cli('scim:enable', '--org', 'initech');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/SCIM_ALREADY_ENABLED/);

    const rotated = JSON.parse((await cli('scim:rotate-token', '--org', 'initech')).stdout);
    expect(rotated.tenantUrl).toBe(first.tenantUrl);
    expect(rotated.token).not.toBe(first.token);

    expect(JSON.parse((await cli('scim:disable', '--org', 'initech')).stdout)).toEqual({ enabled: false });
    const afterDisable = await cli('scim:rotate-token', '--org', 'initech');
    expect(afterDisable.code).not.toBe(0);
    expect(afterDisable.stderr).toMatch(/SCIM_NOT_ENABLED/);
  });

  it('rebuilds the row counts behind totalResults after users were deleted by hand in SQL', async () => {
    expect((await cli('org:create', '--name', 'Hooli', '--slug', 'hooli')).code).toBe(0);
    for (const name of ['gavin', 'denpok']) {
      expect((await cli('user:create', '--org', 'hooli', '--email', `${name}@hooli.test`, '--name', name)).code).toBe(0);
    }
    expect(JSON.parse((await cli('counts:rebuild', '--org', 'hooli')).stdout)).toEqual({ organisations: 1, corrected: [] });

    await t.dataSource.query("DELETE FROM users WHERE userName = 'denpok@hooli.test'");
    const rebuilt = await cli('counts:rebuild');
    expect(rebuilt).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(rebuilt.stdout)).toEqual({
      organisations: expect.any(Number),
      corrected: [{ organisation: 'hooli', table: 'users', counted: 2, rows: 1 }],
    });
    expect(JSON.parse((await cli('counts:rebuild')).stdout).corrected).toEqual([]);
  });

  it.each([
    [['counts:rebuild', '--org', 'no-such-org'], /ORGANISATION_NOT_FOUND/],
    [['scim:enable'], /--org is required/],
    [['user:create', '--org', 'acme-corp', '--email', 'not-an-email', '--name', 'X'], /email/],
    [['user:create', '--org', 'no-such-org', '--email', 'x@acme.test', '--name', 'X'], /ORGANISATION_NOT_FOUND/],
    [['user:create', '--org', 'acme-corp', '--email', 'x@acme.test', '--name', 'X', '--role', 'owner'], /role/],
    [['org:create', '--name', 'X', '--colour', 'red'], /colour/],
    [['org:create', '--slug', 'x'], /--name is required/],
    [['org:delete', '--slug', 'x'], /unknown command/],
  ])('refuses %j with a one-line error', async (args, message) => {
    const result = await cli(...args);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
