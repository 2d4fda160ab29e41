import request from 'supertest';
import { MariaDbServer, missingMariaDbBinaries } from './harness/mariadb-server';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import { ERROR, GROUP, body, newUser, patchOf, scimClientOn, type ScimClient } from './harness/scim-races';
import { createTestAppOn, type TestApp } from './harness/test-app';

/**
 * A real database outage: the app runs on a private mariadbd (never the shared test server), which the test stops
 * and starts again. While it is down every request must be answered 503 with Retry-After quickly (no request hangs
 * on a dead connection or in the pool's queue) and nothing may change; once it is back the app must recover by
 * itself, without a restart.
 *
 * It needs the MariaDB server binaries but no TEST_DATABASE_URL, so it runs in both CI passes (it takes ~15 s).
 */
const missing = missingMariaDbBinaries();
const required = process.env.REQUIRE_ALL_SUITES === '1';
const describeWithMariaDb = missing.length === 0 ? describe : describe.skip;

if (missing.length > 0) {
  const reason = `database-outage: skipped, ${missing.join(', ')} not on PATH (install mariadb-server to run it)`;
  if (required) {
    // CI sets REQUIRE_ALL_SUITES=1: a suite that cannot run there is a failure, never a silent skip.
    describe('database outage', () => {
      it('has the MariaDB server binaries it needs', () => {
        throw new Error(`${reason}; REQUIRE_ALL_SUITES=1 forbids skipping`);
      });
    });
  } else {
    process.stdout.write(`${reason}\n`);
  }
}

/** Each answer during the outage must come within this bound: the issue asks for "a second or two". */
const ANSWER_BOUND_MS = 2_000;
/** The app must be healthy again this soon after the database answers again. */
const RECOVERY_BOUND_MS = 30_000;

describeWithMariaDb('database outage (a real mariadbd, stopped and started)', () => {
  let server: MariaDbServer;
  let t: TestApp;
  let acme: ScimTenant;
  let scim: ScimClient;
  const crashes: unknown[] = [];
  const recordCrash = (error: unknown) => crashes.push(error);
  const figures: Record<string, unknown>[] = [];

  beforeAll(async () => {
    process.on('uncaughtException', recordCrash);
    process.on('unhandledRejection', recordCrash);
    server = await MariaDbServer.create();
    // The database lives as long as the private server; the server's directory is removed in afterAll.
    t = await createTestAppOn({ url: server.url, kind: 'mysql', drop: async () => undefined });
    acme = await createScimTenant(t, 'Acme');
    scim = scimClientOn(t, acme);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await server?.destroy();
    process.off('uncaughtException', recordCrash);
    process.off('unhandledRejection', recordCrash);
    process.stdout.write(`database-outage: ${JSON.stringify(figures)}\n`);
  });

  /** Sends a request and measures how long the answer took. */
  async function timed(call: request.Test): Promise<{ response: request.Response; ms: number }> {
    const started = performance.now();
    const response = await call.ok(() => true);
    return { response, ms: Math.round(performance.now() - started) };
  }

  function expectUnavailable({ response, ms }: { response: request.Response; ms: number }, route: string): void {
    expect({ route, status: response.status, fast: ms < ANSWER_BOUND_MS }).toEqual({ route, status: 503, fast: true });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    if (route.includes('/scim/')) {
      expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(body(response)).toMatchObject({ schemas: [ERROR], status: '503' });
    } else {
      expect(response.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    }
  }

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'answers 503 with Retry-After within 2 s while mariadbd is down (%s), changes nothing, and recovers without a restart',
    async (signal) => {
      const tag = signal.toLowerCase();
      const before = body(await scim.post('/Users', newUser(`before-${tag}@acme.test`)).expect(201));
      const group = body(await scim.post('/Groups', { schemas: [GROUP], displayName: `Team ${tag}` }).expect(201));
      await t.http().get('/health').expect(200);

      await server.stop(signal);

      const outage = [
        ['GET /health', () => t.http().get('/health')],
        ['GET /scim/Users', () => scim.get('/Users')],
        ['GET /scim/Users/:id', () => scim.get(`/Users/${before.id}`)],
        ['GET /scim/Users?filter', () => scim.get(`/Users?filter=${encodeURIComponent(`userName eq "before-${tag}@acme.test"`)}`)],
        ['POST /scim/Users', () => scim.post('/Users', newUser(`during-${tag}@acme.test`))],
        [
          'PATCH /scim/Users/:id',
          () => scim.patch(`/Users/${before.id}`, patchOf({ op: 'replace', path: 'title', value: 'during outage' })),
        ],
        [
          'PATCH /scim/Groups/:id',
          () => scim.patch(`/Groups/${group.id}`, patchOf({ op: 'add', path: 'members', value: [{ value: before.id }] })),
        ],
        ['GET /api/users', () => t.http().get('/api/users').auth(acme.adminToken, { type: 'bearer' })],
      ] as const;
      const slowest: Record<string, number> = {};
      for (const [route, send] of outage) {
        const answer = await timed(send());
        expectUnavailable(answer, route);
        slowest[route] = answer.ms;
      }
      // Many at once, as an identity provider's parallel workers would send them: none may wait in a queue.
      const burst = await Promise.all(
        Array.from({ length: 30 }, (_, index) => timed(index % 2 ? scim.get('/Users') : t.http().get('/health'))),
      );
      burst.forEach((answer, index) => expectUnavailable(answer, index % 2 ? 'GET /scim/Users (burst)' : 'GET /health (burst)'));

      const restarting = performance.now();
      await server.start();
      const databaseBackMs = Math.round(performance.now() - restarting);
      const recovering = performance.now();
      let health = await timed(t.http().get('/health'));
      while (health.response.status !== 200 && performance.now() - recovering < RECOVERY_BOUND_MS) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        health = await timed(t.http().get('/health'));
      }
      const recoveryMs = Math.round(performance.now() - recovering);
      expect(health.response.status).toBe(200);

      // Nothing written during the outage exists, and nothing queued was replayed when the database came back.
      expect(body(await scim.get(`/Users/${before.id}`).expect(200))).toEqual(before);
      const during = body(await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "during-${tag}@acme.test"`)}`).expect(200));
      expect(during.totalResults).toBe(0);
      expect(body(await scim.get(`/Groups/${group.id}`).expect(200)).members ?? []).toEqual([]);

      // And it works again: reads, creates and PATCHes, SCIM and admin API alike.
      await scim.post('/Users', newUser(`during-${tag}@acme.test`)).expect(201);
      const patched = body(
        await scim.patch(`/Users/${before.id}`, patchOf({ op: 'replace', path: 'title', value: 'after outage' })).expect(200),
      );
      expect(patched.title).toBe('after outage');
      await scim.patch(`/Groups/${group.id}`, patchOf({ op: 'add', path: 'members', value: [{ value: before.id }] })).expect(204);
      await t.http().get('/api/users').auth(acme.adminToken, { type: 'bearer' }).expect(200);
      expect(crashes).toEqual([]);

      figures.push({
        signal,
        outageAnswersMs: slowest,
        burst: { requests: burst.length, slowestMs: Math.max(...burst.map((answer) => answer.ms)) },
        mariadbRestartMs: databaseBackMs,
        healthyAgainAfterRestartMs: recoveryMs,
      });
    },
    90_000,
  );
});
