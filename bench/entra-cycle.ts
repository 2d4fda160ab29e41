/**
 * `npm run bench:entra`: replays what Microsoft Entra ID's provisioning job sends for BENCH_ENTRA_USERS users
 * (default 10,000) against the built server on a fresh database, BENCH_ENTRA_CONCURRENCY (16) requests at a time, in
 * the shapes of test/fixtures/idp/entra and the guide (/work/shared/docs/scim-guide.md §1.2, §1.7, Appendix A):
 *
 * - initial cycle, per user: `GET /Users?filter=userName eq "…"` must find nothing, then `POST /Users` with Entra's
 *   body (core + enterprise schemas, work email, name, addresses, phone numbers, `roles: []`) must answer 201 with an id;
 * - incremental cycle: 20 % of users changed (match query, then a PATCH of the changed attributes in one of Entra's
 *   shapes: capitalised ops, filtered email/address paths, path-less dotted keys, enterprise URN paths, manager as an
 *   object), 5 % soft-deleted (PATCH `active` "False", a string, as Entra sends it) and 2 % hard-deleted (DELETE on
 *   the id Entra keeps from the POST).
 *
 * Reports wall time, requests and req/s per cycle, the server's peak RSS, and every error (status and body); exits 1
 * if there was any. Target (issue 9): the initial cycle of 10,000 users in under 60 s on MariaDB.
 *
 *   npm run bench:entra
 *   BENCH_DATABASE_URL=mariadb://booking:booking@127.0.0.1:3307/booking BENCH_ENTRA_USERS=10000 npm run bench:entra
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, type as osType, release } from 'node:os';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CPU_HEADING, cpuMeter, formatCpu, localDatabasePid, type CpuPerRequest } from './lib/cpu';
import { CORE_USER_SCHEMA, ENTERPRISE_SCHEMA, PATCH_SCHEMA } from './lib/entra-users';
import { http } from './lib/http';
import { ROOT, startOurServer, type OurServer } from './lib/our-server';
import { buildIfNeeded, runBenchmark } from './lib/processes';

const USERS = Number(process.env.BENCH_ENTRA_USERS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_ENTRA_CONCURRENCY ?? 16);
const CHANGED = 0.2;
const SOFT_DELETED = 0.05;
const HARD_DELETED = 0.02;
const INITIAL_CYCLE_TARGET_SECONDS = 60;
const MAX_ERRORS_KEPT = 50;

interface CycleReport {
  name: string;
  users: number;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Milliseconds of server (and local database) CPU per request: bench/lib/cpu.ts. */
  cpuMsPerRequest?: CpuPerRequest;
}

interface EntraError {
  cycle: string;
  request: string;
  status: number;
  body: string;
}

const upn = (index: number) => `entra.user${index}@contoso-test.example`;

/** The POST Entra sends for a new user with the default attribute mappings (guide §1.8, fixture 03). */
function createBody(index: number): Record<string, unknown> {
  const userName = upn(index);
  return {
    schemas: [CORE_USER_SCHEMA, ENTERPRISE_SCHEMA],
    externalId: `entra.user${index}`,
    userName,
    active: true,
    displayName: `Entra User ${index}`,
    title: 'Analyst',
    preferredLanguage: 'en-GB',
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    name: { formatted: `Entra User${index}`, familyName: `User${index}`, givenName: 'Entra' },
    addresses: [
      {
        type: 'work',
        formatted: 'Building 4',
        streetAddress: '1 Example Way',
        locality: 'Springfield',
        postalCode: '40101',
        country: 'US',
        primary: false,
      },
    ],
    phoneNumbers: [
      { type: 'work', value: `+1 555 01${String(index % 10_000).padStart(4, '0')}` },
      { type: 'mobile', value: `+1 555 02${String(index % 10_000).padStart(4, '0')}` },
    ],
    roles: [],
    [ENTERPRISE_SCHEMA]: { employeeNumber: `E-${index}`, department: 'Operations' },
  };
}

/** One of Entra's PATCH shapes for changed attributes, by user (fixtures 08, q01, q03, q06, q09, q13). */
function changeBody(index: number, managerId: string): Record<string, unknown> {
  const shapes = [
    [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: `entra.user${index}@facilities.contoso-test.example` },
      { op: 'Replace', path: 'name.familyName', value: `User${index}-Morgan` },
    ],
    [{ op: 'Add', path: 'displayName', value: `Entra U. ${index}` }],
    [
      { op: 'replace', path: 'emails[type eq "work"].value', value: `entra.u${index}@contoso-test.example` },
      {
        op: 'replace',
        value: {
          displayName: `Entra User-Morgan ${index}`,
          'name.givenName': 'Entra',
          'name.familyName': `User${index}-Morgan`,
          [`${ENTERPRISE_SCHEMA}:employeeNumber`]: `E-${index}-2`,
        },
      },
    ],
    [
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '12 Harbour Road' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Shelbyville' },
    ],
    [{ op: 'replace', path: `${ENTERPRISE_SCHEMA}:manager`, value: { value: managerId } }],
    [
      { op: 'Add', path: `${ENTERPRISE_SCHEMA}:department`, value: 'Facilities' },
      { op: 'Replace', path: `${ENTERPRISE_SCHEMA}:employeeNumber`, value: `E-${index}-3` },
      { op: 'Replace', path: 'title', value: 'Senior Analyst' },
    ],
  ];
  return { schemas: [PATCH_SCHEMA], Operations: shapes[index % shapes.length] };
}

/** Soft delete as Entra sends it (guide Q2, fixture q02): the string "False". */
const softDeleteBody = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };

runBenchmark(async () => {
  if (!Number.isInteger(USERS) || USERS < 100)
    throw new Error(`BENCH_ENTRA_USERS must be an integer ≥ 100, got ${process.env.BENCH_ENTRA_USERS}`);
  await buildIfNeeded(ROOT);
  const loadAtStart = loadavg()[0];
  const server = await startOurServer(`entra-${USERS}`);
  console.log(`${server.database.version}, ${USERS.toLocaleString('en')} users, concurrency ${CONCURRENCY}`);
  const errors: EntraError[] = [];
  let errorCount = 0;
  const fail = (error: EntraError) => {
    errorCount++;
    if (errors.length < MAX_ERRORS_KEPT) errors.push({ ...error, body: error.body.slice(0, 1000) });
  };

  const ids = new Array<string | undefined>(USERS);
  const initial = await cycle('initial', server, [...Array(USERS).keys()], fail, async (client, index) => {
    const match = await client.get(`/Users?filter=${entraFilter(`userName eq "${upn(index)}"`)}`);
    if (match.ok && totalOf(match.body) !== 0) return client.fail(match, `match query for a new user found ${totalOf(match.body)}`);
    const created = await client.send('POST', '/Users', createBody(index), 201);
    if (created.ok) ids[index] = (JSON.parse(created.body) as { id: string }).id;
  });

  // Disjoint random sets: the changed, the soft-deleted and the hard-deleted users of this cycle.
  const shuffled = [...Array(USERS).keys()].filter((index) => ids[index] !== undefined).sort(() => Math.random() - 0.5);
  const changed = shuffled.splice(0, Math.round(USERS * CHANGED));
  const softDeleted = shuffled.splice(0, Math.round(USERS * SOFT_DELETED));
  const hardDeleted = shuffled.splice(0, Math.round(USERS * HARD_DELETED));
  const managerId = ids.find((id) => id !== undefined) ?? '';
  const work = [
    ...changed.map((index) => ({ index, kind: 'change' as const })),
    ...softDeleted.map((index) => ({ index, kind: 'soft' as const })),
    ...hardDeleted.map((index) => ({ index, kind: 'hard' as const })),
  ].sort(() => Math.random() - 0.5);
  const incremental = await cycle('incremental', server, work, fail, async (client, { index, kind }) => {
    const id = ids[index] ?? '';
    if (kind === 'hard') return void (await client.send('DELETE', `/Users/${id}`, undefined, 204));
    if (kind === 'soft') return void (await client.send('PATCH', `/Users/${id}`, softDeleteBody, 200));
    const match = await client.get(`/Users?filter=${entraFilter(`userName eq "${upn(index)}"`)}`);
    if (match.ok && totalOf(match.body) !== 1) return client.fail(match, `match query for an existing user found ${totalOf(match.body)}`);
    await client.send('PATCH', `/Users/${id}`, changeBody(index, managerId), 200);
  });

  // What the cycles should have left behind, read through the API.
  const remaining = totalOf((await new Client(server, 'check', fail).get('/Users?count=0')).body);
  if (remaining !== USERS - hardDeleted.length) {
    fail({
      cycle: 'check',
      request: 'GET /Users?count=0',
      status: 200,
      body: `totalResults ${remaining}, expected ${USERS - hardDeleted.length}`,
    });
  }
  const inactive = totalOf((await new Client(server, 'check', fail).get(`/Users?count=0&filter=${entraFilter('active eq false')}`)).body);
  if (inactive !== softDeleted.length) {
    fail({
      cycle: 'check',
      request: 'GET /Users?filter=active eq false',
      status: 200,
      body: `totalResults ${inactive}, expected ${softDeleted.length}`,
    });
  }

  const rssMaxMb = Math.round(server.rssMaxMb() ?? 0);
  const database = server.database.version;
  Client.closeConnections();
  await server.stop();

  console.log(`\n| cycle | users | requests | wall time s | req/s | p50 ms | p99 ms | errors | ${CPU_HEADING} |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const report of [initial, incremental]) {
    const cpu = report.cpuMsPerRequest ? formatCpu(report.cpuMsPerRequest) : '';
    console.log(
      `| ${report.name} | ${report.users} | ${report.requests} | ${report.seconds} | ${report.rps} | ${report.p50} | ${report.p99} | ${report.errors} | ${cpu} |`,
    );
  }
  console.log(
    `incremental: ${changed.length} changed, ${softDeleted.length} soft-deleted ("False"), ${hardDeleted.length} hard-deleted; server RSS max ${rssMaxMb} MB`,
  );
  const met = initial.seconds < INITIAL_CYCLE_TARGET_SECONDS;
  console.log(
    `target: initial cycle of ${USERS.toLocaleString('en')} users < ${INITIAL_CYCLE_TARGET_SECONDS} s: ${met ? 'met' : 'MISSED'} (${initial.seconds} s)`,
  );
  for (const error of errors) console.log(`  ! [${error.cycle}] ${error.request} → ${error.status}: ${error.body}`);
  if (errorCount > errors.length) console.log(`  … and ${errorCount - errors.length} more errors`);

  const folder = join(ROOT, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(
    folder,
    `entra-${new Date()
      .toISOString()
      .replace(/:/g, '-')
      .replace(/\.\d+Z$/, 'Z')}.json`,
  );
  // The 1-minute load average at start and end: on a shared machine, how much else was running.
  const loadAverage = { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadavg()[0] * 100) / 100 };
  console.log(`load average ${loadAverage.start} → ${loadAverage.end} on ${cpus().length} CPUs`);
  const machine = {
    loadAverage,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    os: `${osType()} ${release()}`,
    node: process.version,
    database,
  };
  const settings = { users: USERS, concurrency: CONCURRENCY, changed: CHANGED, softDeleted: SOFT_DELETED, hardDeleted: HARD_DELETED };
  writeFileSync(
    file,
    `${JSON.stringify({ machine, settings, cycles: [initial, incremental], serverRssMaxMb: rssMaxMb, errorCount, errors }, null, 2)}\n`,
  );
  console.log(`results: ${file}`);
  console.log(errorCount === 0 ? 'errors: 0' : `errors: ${errorCount}`);
  return errorCount === 0 ? 0 : 1;
});

/** Entra encodes spaces in filters as `+` (guide, conventions). */
const entraFilter = (filter: string) => encodeURIComponent(filter).replace(/%20/g, '+');

function totalOf(body: string): number | undefined {
  try {
    return (JSON.parse(body) as { totalResults?: number }).totalResults;
  } catch {
    return undefined;
  }
}

interface Answer {
  ok: boolean;
  status: number;
  body: string;
  request: string;
}

/** Entra's side of the conversation for one cycle: every request timed, every unexpected answer recorded. */
class Client {
  readonly latencies: number[] = [];
  /** Entra keeps its connections open between requests; so do we, CONCURRENCY of them. */
  private static readonly agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  /** Closes the kept connections, so that the server can stop without waiting for them. */
  static closeConnections(): void {
    Client.agent.destroy();
  }

  constructor(
    private readonly server: OurServer,
    private readonly cycleName: string,
    private readonly onError: (error: EntraError) => void,
  ) {}

  get(path: string): Promise<Answer> {
    return this.send('GET', path, undefined, 200);
  }

  async send(method: string, path: string, body: unknown, expected: number): Promise<Answer> {
    const request = `${method} ${path}`;
    const started = performance.now();
    try {
      const response = await http(`${this.server.origin}${this.server.tenantPath}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.server.token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/scim+json; charset=utf-8' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // Entra gives up after 60 s (guide §2).
        timeoutMs: 60_000,
        agent: Client.agent,
      });
      this.latencies.push(performance.now() - started);
      const answer = { ok: response.status === expected, status: response.status, body: response.text, request };
      if (!answer.ok) this.onError({ cycle: this.cycleName, request, status: response.status, body: response.text });
      return answer;
    } catch (error) {
      this.latencies.push(performance.now() - started);
      this.onError({ cycle: this.cycleName, request, status: 0, body: (error as Error).message });
      return { ok: false, status: 0, body: '', request };
    }
  }

  /** A 2xx answer that is still wrong for Entra (e.g. a match query that finds the wrong number of users). */
  fail(answer: Answer, problem: string): void {
    this.onError({ cycle: this.cycleName, request: answer.request, status: answer.status, body: `${problem}: ${answer.body}` });
  }
}

/** Runs `step` for every item, CONCURRENCY at a time, as Entra's job works through its queue. */
async function cycle<T>(
  name: string,
  server: OurServer,
  items: readonly T[],
  onError: (error: EntraError) => void,
  step: (client: Client, item: T) => Promise<void>,
): Promise<CycleReport> {
  let errors = 0;
  const client = new Client(server, name, (error) => {
    errors++;
    onError(error);
  });
  let next = 0;
  const cpu = cpuMeter(server.pid, localDatabasePid(process.env.BENCH_DATABASE_URL));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await step(client, items[next++]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMsPerRequest = cpu.perRequest(client.latencies.length);
  const sorted = [...client.latencies].sort((left, right) => left - right);
  const at = (fraction: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] * 10) / 10;
  console.log(`${name} cycle: ${items.length} users, ${sorted.length} requests in ${seconds.toFixed(1)} s, ${errors} errors`);
  return {
    name,
    users: items.length,
    requests: sorted.length,
    seconds: Math.round(seconds * 10) / 10,
    rps: Math.round((sorted.length / seconds) * 10) / 10,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    ...(cpuMsPerRequest ? { cpuMsPerRequest } : {}),
  };
}
