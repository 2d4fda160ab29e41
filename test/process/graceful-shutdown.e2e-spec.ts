import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../src/config/load-config';
import { buildDataSourceOptions } from '../../src/database/data-source';
import { User } from '../../src/users/user.entity';
import { createTestDatabase, type TestDatabase } from '../e2e/harness/test-database';
import { runCli, startServer, type ServerProcess } from './server-process';

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/**
 * A SCIM POST whose body arrives in two halves: the server has the request in flight (headers read,
 * body parser waiting) until `finish()` sends the rest.
 */
function startSlowPost(server: ServerProcess, path: string, token: string, body: unknown) {
  const payload = Buffer.from(JSON.stringify(body));
  const half = Math.floor(payload.length / 2);
  const outgoing: ClientRequest = httpRequest({
    host: '127.0.0.1',
    port: server.port,
    method: 'POST',
    path,
    agent: false,
    headers: { 'content-type': 'application/scim+json', 'content-length': payload.length, authorization: `Bearer ${token}` },
  });
  const response = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    outgoing.on('error', reject);
    outgoing.on('response', (incoming) => {
      let text = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
  });
  outgoing.write(payload.subarray(0, half));
  return { response, finish: () => outgoing.end(payload.subarray(half)), abandon: () => outgoing.destroy() };
}

/** Resolves true once a new TCP connection to the port is refused, false if it is still accepted at the deadline. */
async function refusesConnections(port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe('graceful shutdown on SIGTERM (real server process)', () => {
  let database: TestDatabase;
  let server: ServerProcess | undefined;
  let slug: string;
  let organisationId: string;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('process_shutdown');
    const organisation = await runCli(database.url, 'org:create', '--name', 'Shutdown Corp');
    slug = String(organisation.slug);
    organisationId = String(organisation.id);
    token = String((await runCli(database.url, 'scim:enable', '--org', slug)).token);
  }, 90_000);

  afterEach(() => server?.kill());
  afterAll(() => database?.drop());

  it('refuses new connections at once, finishes the request in flight, closes the pool and exits 0', async () => {
    server = await startServer(database.url);
    // An idle keep-alive connection must not hold the shutdown up.
    expect((await fetch(`${server.baseUrl}/health`, { headers: { connection: 'keep-alive' } })).status).toBe(200);
    const slow = startSlowPost(server, `/scim/v2/${slug}/Users`, token, { schemas: [SCIM_USER], userName: 'in.flight@shutdown.test' });
    await new Promise((resolve) => setTimeout(resolve, 300));

    server.child.kill('SIGTERM');
    await server.waitForOutput(/"msg":"SIGTERM received/, 2_000);
    expect(await refusesConnections(server.port, 1_000)).toBe(true);

    slow.finish();
    const answered = await slow.response;
    expect(answered).toMatchObject({ status: 201, body: { userName: 'in.flight@shutdown.test' } });

    const exit = await server.waitForExit(5_000);
    // Code 0 by itself, without process.exit: nothing was left open, the database pool included.
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(server.stdout()).toMatch(/"context":"Shutdown","msg":"shutdown complete in \d+ ms"/);

    const dataSource = await new DataSource(buildDataSourceOptions(parseDatabaseUrl(database.url))).initialize();
    try {
      const stored = await dataSource.getRepository(User).findOneBy({ organisationId, userName: 'in.flight@shutdown.test' });
      expect(stored?.id).toBe(answered.body.id);
    } finally {
      await dataSource.destroy();
    }
  }, 90_000);

  it('gives up on a client that never finishes after SHUTDOWN_TIMEOUT_SECONDS, logs it and exits 1', async () => {
    server = await startServer(database.url, { SHUTDOWN_TIMEOUT_SECONDS: '1' });
    const stuck = startSlowPost(server, `/scim/v2/${slug}/Users`, token, { schemas: [SCIM_USER], userName: 'never@shutdown.test' });
    stuck.response.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));

    server.child.kill('SIGTERM');
    const exit = await server.waitForExit(5_000);
    stuck.abandon();
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(exit.afterMs).toBeGreaterThanOrEqual(900);
    expect(server.stdout()).toMatch(
      /"level":50,.*"context":"Shutdown","msg":"shutdown did not finish within 1000 ms; exiting with work abandoned"/,
    );
  }, 90_000);
});
