import { randomBytes } from 'node:crypto';
import { hashSecretToken } from '../../src/common/secret-token';
import { createTestDatabase, type TestDatabase } from '../e2e/harness/test-database';
import { runCli, startServer, type ServerProcess } from './server-process';

interface RequestLine {
  level: number;
  msg: string;
  organisationId?: string;
  responseTime: number;
  req: { id: string; method: string; url: string; headers: Record<string, string> };
  res: { statusCode: number };
}

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * The real server, at its most verbose log level, through a whole story on the admin API, the CLI
 * and SCIM; then every line it wrote is searched for the secrets that passed through it.
 */
describe('secrets never reach the logs (real server process, LOG_LEVEL=verbose)', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  const secrets = new Map<string, string>();
  const calls: Array<{ method: string; path: string; status: number; authorised: boolean }> = [];
  let organisationId: string;

  async function call(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${server.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    calls.push({ method, path, status: response.status, authorised: options.token !== undefined });
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  beforeAll(async () => {
    database = await createTestDatabase('process_secrets');
    server = await startServer(database.url, { LOG_LEVEL: 'verbose' });

    const organisation = await runCli(database.url, 'org:create', '--name', 'Log Scan Corp');
    organisationId = String(organisation.id);
    const slug = String(organisation.slug);
    const email = `admin@${slug}.test`;
    const password = `pw-${randomBytes(18).toString('base64url')}`;
    secrets.set('admin password', password);
    await runCli(
      database.url,
      'user:create',
      '--org',
      slug,
      '--email',
      email,
      '--name',
      'Log Admin',
      '--role',
      'admin',
      '--password',
      password,
    );

    expect((await call('POST', '/api/auth/login', { body: { email, password: `${password}-wrong` } })).status).toBe(401);
    // JSON.parse quotes the start of a malformed body in its error message: the password must not follow it into a log.
    expect((await call('POST', '/api/auth/login', { rawBody: `{"password":"${password}", "email": }` })).status).toBe(400);
    const login = await call('POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    const session = String(login.body.accessToken);
    secrets.set('admin session token', session);
    expect((await call('GET', '/api/auth/me', { token: session })).status).toBe(200);

    const enabled = await call('POST', '/api/integrations/scim/enable', { token: session });
    expect(enabled.status).toBe(200);
    const firstToken = String(enabled.body.token);
    secrets.set('first SCIM token', firstToken);
    const users = `/scim/v2/${slug}/Users`;

    const created = await call('POST', users, { token: firstToken, body: { schemas: [SCIM_USER], userName: 'grace@logscan.test' } });
    expect(created.status).toBe(201);
    const userPath = `${users}/${String(created.body.id)}`;
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Grace Hopper' }] };
    expect((await call('PATCH', userPath, { token: firstToken, body: patch })).status).toBe(200);
    expect(
      (await call('GET', `${users}?filter=${encodeURIComponent('userName eq "grace@logscan.test"')}`, { token: firstToken })).status,
    ).toBe(200);
    expect((await call('POST', users, { token: firstToken, rawBody: '{"schemas": [' })).status).toBe(400);
    expect((await call('DELETE', userPath, { token: firstToken })).status).toBe(204);
    const wrongToken = randomBytes(32).toString('base64url');
    secrets.set('wrong SCIM token', wrongToken);
    expect((await call('GET', users, { token: wrongToken })).status).toBe(401);

    const rotated = await call('POST', '/api/integrations/scim/rotate-token', { token: session });
    expect(rotated.status).toBe(200);
    const secondToken = String(rotated.body.token);
    secrets.set('second SCIM token', secondToken);
    expect((await call('GET', users, { token: firstToken })).status).toBe(401);
    expect((await call('GET', users, { token: secondToken })).status).toBe(200);
    expect((await call('POST', '/api/integrations/scim/disable', { token: session })).status).toBe(200);
    expect((await call('GET', users, { token: secondToken })).status).toBe(401);

    // Stopping the server flushes everything and adds the shutdown lines to what is scanned.
    server.child.kill('SIGTERM');
    expect(await server.waitForExit(10_000)).toMatchObject({ code: 0 });
  }, 120_000);

  afterAll(async () => {
    server?.kill();
    await database?.drop();
  });

  const everything = () => `${server.stdout()}\n${server.stderr()}`;

  it('holds no token, password or session token, nor the SHA-256 of any', () => {
    expect(secrets.size).toBe(5);
    for (const [name, secret] of secrets) {
      expect({ name, found: everything().includes(secret) }).toEqual({ name, found: false });
      expect({ name, hashFound: everything().toLowerCase().includes(hashSecretToken(secret)) }).toEqual({ name, hashFound: false });
    }
  });

  it('holds no bearer credential other than the redaction, and no 64-hex-digit value at all', () => {
    expect(everything().match(/Bearer\s+(?!\[Redacted\])\S+/gi)).toBeNull();
    expect(everything().match(/\b[0-9a-f]{64}\b/gi)).toBeNull();
  });

  it('wrote every stdout line as JSON, one request line per call, with the Authorization header redacted', () => {
    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Partial<RequestLine>);
    const requestLines = lines.filter((line): line is RequestLine => line.req !== undefined && line.res !== undefined);
    // /health polls during start-up are logged too; every call of the story is there exactly once.
    const storyLines = requestLines.filter((line) => !line.req.url.startsWith('/health'));
    expect(storyLines.map((line) => [line.req.method, line.req.url, line.res.statusCode])).toEqual(
      calls.map((entry) => [entry.method, entry.path, entry.status]),
    );
    for (const [index, line] of storyLines.entries()) {
      expect(line.req.headers.authorization).toBe(calls[index].authorised ? '[Redacted]' : undefined);
      expect(typeof line.responseTime).toBe('number');
    }
    expect(new Set(storyLines.map((line) => line.req.id)).size).toBe(storyLines.length);
    // The organisation is on every line that got past authentication, SCIM and admin alike.
    const authenticated = storyLines.filter((line) => line.res.statusCode < 400 && line.req.headers.authorization);
    expect(authenticated.length).toBeGreaterThan(8);
    expect(authenticated.every((line) => line.organisationId === organisationId)).toBe(true);
    // Nest's own logs go through the same logger, at the verbose level asked for.
    expect(lines.some((line) => (line as { context?: string }).context === 'RouterExplorer')).toBe(true);
  });
});
