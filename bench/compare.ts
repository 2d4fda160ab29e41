/**
 * `npm run bench:compare -- <git revision>`: this checkout's server against another revision's, run back to back.
 *
 * Why: on a machine shared by the server, the database and the load generator, one build's figures move between runs
 * by more than most changes do, and the machine's speed changes by the hour (README, Performance). What holds is
 * alternating the builds, several times, in the same hour: base, current, base, current. The figure to read is the
 * CPU a request cost (bench/lib/cpu.ts), which moves less than requests a second.
 *
 * It builds the revision in a temporary git worktree (sharing this checkout's node_modules), then for each of
 * COMPARE_RUNS runs (2) and each build: starts that build's server on a fresh database, seeds COMPARE_USERS users
 * (10,000) through this checkout's mapping (bench/seed-users.ts), and measures each scenario COMPARE_ROUNDS times (4),
 * BENCH_DURATION seconds (5) each at BENCH_CONNECTIONS (16), with the same requests and checks as `npm run bench`
 * (bench/lib/scenarios.ts). The first round of each run is left out of the summary: a server fresh from its start
 * spends it compiling its code paths. Prints every round, then per scenario and build the range and mean of the
 * server's CPU per request, the database's when it runs on this machine, requests a second, and their ratio to the
 * baseline's in the same round; writes it all to bench/results/compare-<date>.json.
 *
 * Both builds run on databases migrated by their own server and seeded by this checkout, so the revision must have
 * the same migrations as this checkout; it refuses otherwise.
 *
 *   npm run bench:compare -- HEAD~1
 *   BENCH_DATABASE_URL=mariadb://booking:booking@127.0.0.1:3307/booking npm run bench:compare -- 76a6ecc
 *   BENCH_ONLY='userName|PATCH' COMPARE_RUNS=3 npm run bench:compare -- main
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMeter, formatCpu, localDatabasePid, type CpuPerRequest } from './lib/cpu';
import { benchUsers } from './lib/entra-users';
import { failedRequests, measure, type Measurement, type Scenario } from './lib/load';
import { ROOT, startOurServer } from './lib/our-server';
import { buildIfNeeded, onTeardown, runBenchmark } from './lib/processes';
import {
  baselineScenario,
  lookupScenario,
  PAGE,
  pageScenario,
  patchScenario,
  postScenario,
  putScenario,
  scimFloorScenario,
} from './lib/scenarios';
import { seedScimUsers } from './seed-users';

const RUNS = positiveInteger('COMPARE_RUNS', 2);
/** At least 2: the first round of each run is a warm-up, left out of the summary. */
const ROUNDS = positiveInteger('COMPARE_ROUNDS', 4, 2);
const USERS = positiveInteger('COMPARE_USERS', 10_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** A regular expression on scenario names (the baseline always runs), as for `npm run bench`. */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
const MIGRATIONS = 'src/database/migrations';
const BASELINE = baselineScenario().name;

interface Build {
  label: string;
  root: string;
}

interface Round {
  build: string;
  run: number;
  round: number;
  scenario: string;
  rps: number;
  p99: number | null;
  cpuMsPerRequest?: CpuPerRequest;
}

runBenchmark(async () => {
  // The SQL counting hook (our-server.ts) costs the server CPU, and statements are not what this compares.
  process.env.BENCH_COUNT_SQL ??= '0';
  const revision = process.argv[2];
  if (!revision) throw new Error('usage: npm run bench:compare -- <git revision>   (the build to compare this checkout with)');
  const commit = git('rev-parse', '--verify', `${revision}^{commit}`).trim();
  if (!gitSucceeds('diff', '--quiet', commit, '--', MIGRATIONS)) {
    throw new Error(`${revision} has other migrations than this checkout (${MIGRATIONS}): the two builds cannot share one seeding`);
  }
  const base: Build = { label: `base ${revision} (${commit.slice(0, 10)})`, root: checkOut(commit) };
  const current: Build = { label: 'current checkout', root: ROOT };
  await buildIfNeeded(base.root);
  await buildIfNeeded(current.root);

  const startedAt = new Date();
  const rounds: Round[] = [];
  const failures: string[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    for (const build of [base, current]) {
      console.log(`\n=== run ${run} of ${RUNS}: ${build.label}`);
      for (const round of await measureBuild(build, run, failures)) rounds.push(round);
    }
  }
  const summary = summarise(rounds, [base, current]);
  printSummary(summary, base, current);

  const folder = join(ROOT, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  const file = join(
    folder,
    `compare-${startedAt
      .toISOString()
      .replace(/:/g, '-')
      .replace(/\.\d+Z$/, 'Z')}.json`,
  );
  const settings = { users: USERS, runs: RUNS, rounds: ROUNDS, durationSeconds: DURATION, connections: CONNECTIONS };
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version };
  writeFileSync(file, `${JSON.stringify({ startedAt, base: { revision, commit }, settings, machine, summary, rounds }, null, 2)}\n`);
  console.log(`\nresults: ${file}`);
  if (failures.length > 0) {
    console.error(`\nscenarios with non-2xx, wrong answers or socket errors: ${failures.join('; ')}`);
    return 1;
  }
  return 0;
});

/** The revision in a temporary worktree with this checkout's node_modules, removed at the end. */
function checkOut(commit: string): string {
  const parent = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  const folder = join(parent, 'tree');
  git('worktree', 'add', '--detach', folder, commit);
  onTeardown(`worktree ${folder}`, () => {
    git('worktree', 'remove', '--force', folder);
    rmSync(parent, { recursive: true, force: true });
  });
  symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'));
  return folder;
}

async function measureBuild(build: Build, run: number, failures: string[]): Promise<Round[]> {
  const server = await startOurServer(`${build.label}, run ${run}`, build.root);
  try {
    const tenant = server.tenantPath;
    const ids = await seedScimUsers(
      server.dataSource,
      server.organisationId,
      benchUsers(USERS).map((user) => user.body),
    );
    const scenarios: Scenario[] = [
      baselineScenario(),
      scimFloorScenario(tenant),
      lookupScenario('GET userName eq (hit/miss)', tenant, USERS, 'userName'),
      lookupScenario('GET externalId eq (hit/miss)', tenant, USERS, 'externalId'),
      pageScenario('GET page of 100, startIndex=1', `${tenant}/Users?startIndex=1&count=${PAGE}`),
      postScenario(tenant, USERS),
      patchScenario(tenant, ids),
      putScenario(tenant, ids),
    ].filter((scenario, index) => index === 0 || !ONLY || ONLY.test(scenario.name));
    const load = { baseUrl: server.origin, token: server.token, connections: CONNECTIONS, durationSeconds: DURATION };
    const databasePid = localDatabasePid(process.env.BENCH_DATABASE_URL);
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const scenario of scenarios) {
        const cpu = cpuMeter(server.pid, databasePid);
        const result = await measure(scenario, load);
        const cpuMsPerRequest = cpu.perRequest(result.requests);
        if (failedRequests(result) > 0) failures.push(`${build.label}, run ${run}: ${scenario.name}`);
        rounds.push({ build: build.label, run, round, scenario: scenario.name, rps: result.rps, p99: result.p99, cpuMsPerRequest });
        console.log(describeRound(round, result, cpuMsPerRequest));
      }
    }
    return rounds;
  } finally {
    await server.stop();
  }
}

function describeRound(round: number, result: Measurement, cpu: CpuPerRequest | undefined): string {
  const wrong = failedRequests(result);
  return (
    `round ${round}${round === 1 ? ' (warm-up)' : ''}  ${result.name.padEnd(40)} ${result.rps.toFixed(0).padStart(6)} req/s` +
    `  CPU ms/req ${cpu ? formatCpu(cpu) : 'n/a'}${wrong > 0 ? `  FAILED ${wrong}` : ''}`
  );
}

/** min, max and mean of a figure over the rounds after the first. */
interface Spread {
  min: number;
  max: number;
  mean: number;
}

interface ScenarioSummary {
  scenario: string;
  /** `vsBaseline`: requests a second over the baseline's in the same round, the ratio the targets of issue 9 are set in. */
  builds: Record<string, { serverCpu?: Spread; databaseCpu?: Spread; rps: Spread; vsBaseline?: Spread }>;
}

function summarise(rounds: readonly Round[], builds: readonly Build[]): ScenarioSummary[] {
  const names = [...new Set(rounds.map((round) => round.scenario))];
  return names.map((scenario) => ({
    scenario,
    builds: Object.fromEntries(
      builds.map((build) => {
        const kept = rounds.filter((round) => round.scenario === scenario && round.build === build.label && round.round > 1);
        return [
          build.label,
          {
            serverCpu: spread(kept.flatMap((round) => (round.cpuMsPerRequest ? [round.cpuMsPerRequest.server] : []))),
            databaseCpu: spread(
              kept.flatMap((round) => (round.cpuMsPerRequest?.database === undefined ? [] : [round.cpuMsPerRequest.database])),
            ),
            rps: spread(kept.map((round) => round.rps)) ?? { min: 0, max: 0, mean: 0 },
            vsBaseline: spread(
              kept.flatMap((round) => {
                const baseline = rounds.find(
                  (other) =>
                    other.scenario === BASELINE && other.build === round.build && other.run === round.run && other.round === round.round,
                );
                return baseline && baseline.rps > 0 ? [round.rps / baseline.rps] : [];
              }),
            ),
          },
        ];
      }),
    ),
  }));
}

function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return { min: Math.min(...values), max: Math.max(...values), mean };
}

function printSummary(summary: readonly ScenarioSummary[], base: Build, current: Build): void {
  const rounds = `${ROUNDS === 2 ? 'round 2' : `rounds 2–${ROUNDS}`} of ${RUNS} run${RUNS === 1 ? '' : 's'} each`;
  console.log(`\n${base.label} against the ${current.label}, ${USERS.toLocaleString('en')} users, ${rounds}: min–max (mean)\n`);
  console.log(
    '| scenario | server CPU ms/req, base | current | change | database CPU ms/req, base | current | req/s, base | current | change | × baseline, base | current |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { scenario, builds } of summary) {
    const [before, after] = [builds[base.label], builds[current.label]];
    const cells = [
      scenario,
      show(before.serverCpu, 2),
      show(after.serverCpu, 2),
      change(before.serverCpu, after.serverCpu),
      show(before.databaseCpu, 2),
      show(after.databaseCpu, 2),
      show(before.rps, 0),
      show(after.rps, 0),
      change(before.rps, after.rps),
      show(before.vsBaseline, 2),
      show(after.vsBaseline, 2),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

const show = (figure: Spread | undefined, digits: number) =>
  figure ? `${figure.min.toFixed(digits)}–${figure.max.toFixed(digits)} (${figure.mean.toFixed(digits)})` : '–';

const change = (before: Spread | undefined, after: Spread | undefined) =>
  before && after && before.mean > 0
    ? `${after.mean >= before.mean ? '+' : '−'}${Math.abs((after.mean / before.mean - 1) * 100).toFixed(0)} %`
    : '–';

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Whether the git command exited 0 (false for 1, e.g. `diff --quiet` finding differences); throws on other failures. */
function gitSucceeds(...args: string[]): boolean {
  try {
    git(...args);
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 1) return false;
    throw error;
  }
}

function positiveInteger(name: string, fallback: number, least = 1): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < least)
    throw new Error(`${name} must be an integer of at least ${least}, got ${process.env[name]}`);
  return value;
}
