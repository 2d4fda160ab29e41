import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { MariaDbServer, missingMariaDbBinaries } from './harness/mariadb-server';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';
import { ERROR, GROUP, body, newUser, patchOf, scimClientOn, type ScimClient } from './harness/scim-races';
import { describeIfAvailable } from './harness/suite-needs';
import { createTestAppOn, type TestApp } from './harness/test-app';

/**
 * A real database outage: the app runs on a private mariadbd (never the shared test server), which the test stops
 * and starts again. While it is down every request must be answered 503 with Retry-After quickly (no request hangs
 * on a dead connection or in the pool's queue) and nothing may change; once it is back the app must recover by
 * itself, without a restart.
 *
 * The app under test always runs on MariaDB (its own server, not TEST_DATABASE_URL's), so the suite runs once, in the
 * MariaDB pass (TEST_DATABASE_URL names a MariaDB or MySQL server); the SQLite pass would repeat it for nothing. In
 * that pass it needs the MariaDB server binaries, and fails rather than skips without them under REQUIRE_ALL_SUITES=1.
 */
const testUrl = process.env.TEST_DATABASE_URL ?? '';
const inMariaDbPass = testUrl !== '' && !testUrl.startsWith('sqlite:');
const missing = missingMariaDbBinaries();
const describeOutage = inMariaDbPass
  ? describeIfAvailable(
      'database outage',
      missing.length > 0 ? `${missing.join(', ')} not on PATH (install mariadb-server to run it)` : undefined,
    )
  : describe.skip;
if (!inMariaDbPass) {
  process.stdout.write(
    'database-outage: skipped in the SQLite pass; it runs (on its own mariadbd) when TEST_DATABASE_URL names a MariaDB\n',
  );
}

/** Each answer during the outage must come within this bound: the issue asks for "a second or two". */
const ANSWER_BOUND_MS = 2_000;
/**
 * A burst of 30 requests at once shares the test machine's two CPU cores with the rest of the suite, so the last
 * answer may come later than a lone one would; a request stuck in the pool's queue or on a dead connection would
 * take far longer (the connect timeout, or for ever).
 */
const BURST_BOUND_MS = 3_000;
/** The app must be healthy again this soon after the database answers again. */
const RECOVERY_BOUND_MS = 30_000;
/**
 * DATABASE_TIMEOUT_SECONDS for this suite: how long a request waits on a database that does not answer (wait-limit.ts).
 * Short here so the frozen-server test is quick; long enough for every statement the suite makes on a loaded machine.
 */
const DATABASE_TIMEOUT_MS = 2_000;
/**
 * While the server is frozen, an answer takes the timeout (the statement's, the pool's, or the 2 s connect timeout of
 * a new connection), plus the machine's delays: a request that waited for ever would fail this by far.
 */
const FROZEN_BOUND_MS = DATABASE_TIMEOUT_MS + 2_500;

describeOutage('database outage (a real mariadbd, stopped and started)', () => {
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
    t = await createTestAppOn(
      { url: server.url, kind: 'mysql', drop: async () => undefined },
      { DATABASE_TIMEOUT_SECONDS: String(DATABASE_TIMEOUT_MS / 1000) },
    );
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
  async function timed(call: request.Test): Promise<{ response: request.Response; ms: number; endedAt: number }> {
    const started = performance.now();
    const response = await call.ok(() => true);
    const endedAt = performance.now();
    return { response, ms: Math.round(endedAt - started), endedAt };
  }

  function expectUnavailable({ response, ms }: { response: request.Response; ms: number }, route: string, boundMs = ANSWER_BOUND_MS): void {
    expect({ route, status: response.status, fast: ms < boundMs }).toEqual({ route, status: 503, fast: true });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    if (route.includes('/scim/')) {
      expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(body(response)).toMatchObject({ schemas: [ERROR], status: '503' });
    } else {
      expect(response.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    }
  }

  /** Polls /health until it answers 200, and says how long that took; fails after RECOVERY_BOUND_MS. */
  async function waitUntilHealthy(): Promise<number> {
    const recovering = performance.now();
    let health = await timed(t.http().get('/health'));
    while (health.response.status !== 200 && performance.now() - recovering < RECOVERY_BOUND_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await timed(t.http().get('/health'));
    }
    expect(health.response.status).toBe(200);
    return Math.round(performance.now() - recovering);
  }

  /** What the tests send while the database is unavailable: reads and writes, SCIM and the admin API. */
  function outageRequests(tag: string, userId: unknown, groupId: unknown) {
    return [
      ['GET /health', () => t.http().get('/health')],
      ['GET /scim/Users', () => scim.get('/Users')],
      ['GET /scim/Users/:id', () => scim.get(`/Users/${userId}`)],
      ['GET /scim/Users?filter', () => scim.get(`/Users?filter=${encodeURIComponent(`userName eq "before-${tag}@acme.test"`)}`)],
      ['POST /scim/Users', () => scim.post('/Users', newUser(`during-${tag}@acme.test`))],
      ['PATCH /scim/Users/:id', () => scim.patch(`/Users/${userId}`, patchOf({ op: 'replace', path: 'title', value: 'during outage' }))],
      [
        'PATCH /scim/Groups/:id',
        () => scim.patch(`/Groups/${groupId}`, patchOf({ op: 'add', path: 'members', value: [{ value: userId }] })),
      ],
      ['GET /api/users', () => t.http().get('/api/users').auth(acme.adminToken, { type: 'bearer' })],
    ] as const;
  }

  /** Once the database is back: nothing sent during the outage was written or replayed, and everything works again. */
  async function expectNothingWrittenAndWorkingAgain(tag: string, before: Record<string, unknown>, groupId: unknown): Promise<void> {
    expect(body(await scim.get(`/Users/${before.id}`).expect(200))).toEqual(before);
    const during = body(await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "during-${tag}@acme.test"`)}`).expect(200));
    expect(during.totalResults).toBe(0);
    expect(body(await scim.get(`/Groups/${groupId}`).expect(200)).members ?? []).toEqual([]);

    // And it works again: reads, creates and PATCHes, SCIM and admin API alike.
    await scim.post('/Users', newUser(`during-${tag}@acme.test`)).expect(201);
    const patched = body(
      await scim.patch(`/Users/${before.id}`, patchOf({ op: 'replace', path: 'title', value: 'after outage' })).expect(200),
    );
    expect(patched.title).toBe('after outage');
    await scim.patch(`/Groups/${groupId}`, patchOf({ op: 'add', path: 'members', value: [{ value: before.id }] })).expect(204);
    await t.http().get('/api/users').auth(acme.adminToken, { type: 'bearer' }).expect(200);
  }

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'answers 503 with Retry-After within 2 s while mariadbd is down (%s), changes nothing, and recovers without a restart',
    async (signal) => {
      const tag = signal.toLowerCase();
      const before = body(await scim.post('/Users', newUser(`before-${tag}@acme.test`)).expect(201));
      const group = body(await scim.post('/Groups', { schemas: [GROUP], displayName: `Team ${tag}` }).expect(201));
      await t.http().get('/health').expect(200);

      await server.stop(signal);

      const outage = outageRequests(tag, before.id, group.id);
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
      burst.forEach((answer, index) =>
        expectUnavailable(answer, index % 2 ? 'GET /scim/Users (burst)' : 'GET /health (burst)', BURST_BOUND_MS),
      );

      const restarting = performance.now();
      await server.start();
      const databaseBackMs = Math.round(performance.now() - restarting);
      const recoveryMs = await waitUntilHealthy();

      await expectNothingWrittenAndWorkingAgain(tag, before, group.id);
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

  it('answers 503 within the database timeout while mariadbd is frozen (SIGSTOP), changes nothing, and recovers when it resumes', async () => {
    const before = body(await scim.post('/Users', newUser('before-frozen@acme.test')).expect(201));
    const group = body(await scim.post('/Groups', { schemas: [GROUP], displayName: 'Team frozen' }).expect(201));
    await t.http().get('/health').expect(200);

    // Connections stay open and new ones are accepted by the kernel, but nothing answers: without a limit on how long
    // a request waits, every one of these would wait until the server resumes.
    server.freeze();
    const slowest: Record<string, number> = {};
    let burst: Awaited<ReturnType<typeof timed>>[];
    try {
      // Liveness does not ask the database, so an orchestrator does not restart the app for the outage (health.controller.ts).
      await t.http().get('/health/live').expect(200);
      for (const [route, send] of outageRequests('frozen', before.id, group.id)) {
        const answer = await timed(send());
        expectUnavailable(answer, route, FROZEN_BOUND_MS);
        slowest[route] = answer.ms;
      }
      // Three times the pool's ten connections at once: two thirds of them wait in the pool's queue.
      burst = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          timed(index % 2 ? scim.get('/Users') : t.http().get('/api/users').auth(acme.adminToken, { type: 'bearer' })),
        ),
      );
    } finally {
      server.thaw();
    }
    burst.forEach((answer, index) =>
      expectUnavailable(answer, index % 2 ? 'GET /scim/Users (burst)' : 'GET /api/users (burst)', FROZEN_BOUND_MS),
    );

    const recoveryMs = await waitUntilHealthy();
    await expectNothingWrittenAndWorkingAgain('frozen', before, group.id);
    expect(crashes).toEqual([]);
    figures.push({
      signal: 'SIGSTOP, then SIGCONT',
      databaseTimeoutMs: DATABASE_TIMEOUT_MS,
      outageAnswersMs: slowest,
      burst: { requests: burst.length, slowestMs: Math.max(...burst.map((answer) => answer.ms)) },
      healthyAgainAfterResumeMs: recoveryMs,
    });
  }, 90_000);

  it('answers 503 when a row lock is held past the database timeout, writes nothing, and serves the retry once it is free', async () => {
    const user = body(await scim.post('/Users', newUser('locked@acme.test')).expect(201));
    // Another client of the database (an admin's SQL session, a stuck job) holds the user's row.
    const holder = await createConnection({ uri: server.url });
    try {
      await holder.query('START TRANSACTION');
      await holder.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [user.id]);

      const patch = () => scim.patch(`/Users/${user.id}`, patchOf({ op: 'replace', path: 'title', value: 'while locked' }));
      const answer = await timed(patch());
      // InnoDB would make the PATCH wait 50 s for the lock; the identity provider gives up at 60 s.
      expectUnavailable(answer, 'PATCH /scim/Users/:id (row locked)', FROZEN_BOUND_MS);
      expect(answer.ms).toBeGreaterThanOrEqual(DATABASE_TIMEOUT_MS - 100);

      await holder.query('COMMIT');
      // The abandoned PATCH held its writes until after the lock (write-batch.ts), so none reached the server.
      expect(body(await scim.get(`/Users/${user.id}`).expect(200))).toEqual(user);
      expect(body(await patch().expect(200)).title).toBe('while locked');
    } finally {
      await holder.end();
    }
    expect(crashes).toEqual([]);
  }, 60_000);

  it('answers requests in flight when mariadbd is killed with 2xx or a clean 503, and keeps every write it answered 2xx', async () => {
    const user = body(await scim.post('/Users', newUser('in-flight@acme.test')).expect(201));
    // PATCHes of one user queue on its row lock, so some are done, some mid-transaction and some waiting when the
    // server dies. A write answered 2xx must have been committed; one answered 503 may or may not have been (the
    // connection can drop after the COMMIT reached the server), which is why identity providers retry idempotently.
    const emails = Array.from({ length: 30 }, (_, index) => `in-flight-${index}@mail.test`);
    // Kill the server once three PATCHes are answered: the rest are then mid-transaction or waiting.
    let patchesAnswered = 0;
    let someAnswered: () => void = () => undefined;
    const fewAreBack = new Promise<void>((resolve) => (someAnswered = resolve));
    const inFlight = Promise.all(
      emails.map((value, index) =>
        timed(
          index % 3 === 2
            ? scim.get(`/Users/${user.id}`)
            : scim.patch(`/Users/${user.id}`, patchOf({ op: 'add', path: 'emails', value: [{ value, type: 'other' }] })),
        ).then((answer) => {
          if (index % 3 !== 2 && ++patchesAnswered === 3) someAnswered();
          return answer;
        }),
      ),
    );
    await fewAreBack;
    const killedAt = performance.now();
    await server.stop('SIGKILL');
    // What the bound is about: how long a request waits once the database is gone (not its time in the queue before).
    const answers = (await inFlight).map((answer) => ({ ...answer, ms: Math.round(Math.max(0, answer.endedAt - killedAt)) }));
    const statuses: Record<string, number> = {};
    answers.forEach(({ response }, index) => {
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status !== 200) expectUnavailable(answers[index], 'in-flight /scim/Users/:id', BURST_BOUND_MS);
    });
    // The kill landed mid-race, or this test proved nothing.
    expect(answers.filter(({ response }, index) => index % 3 !== 2 && response.status === 200).length).toBeGreaterThanOrEqual(3);
    expect(statuses['503']).toBeGreaterThan(0);

    await server.start();
    const recoveryMs = await waitUntilHealthy();
    const stored = body(await scim.get(`/Users/${user.id}`).expect(200));
    const storedEmails = (stored.emails as Array<{ value: string }>).map((email) => email.value);
    answers.forEach(({ response }, index) => {
      if (index % 3 !== 2 && response.status === 200) expect(storedEmails).toContain(emails[index]);
    });
    expect(crashes).toEqual([]);
    figures.push({
      signal: 'SIGKILL mid-race',
      requests: answers.length,
      statuses,
      slowestMs: Math.max(...answers.map((a) => a.ms)),
      healthyAgainAfterRestartMs: recoveryMs,
    });
  }, 90_000);
});
