/**
 * Replays one recorded IdP exchange (a fixture in the format of test/fixtures/idp/README.md) against a SCIM
 * tenant over real HTTP: create the `given` resources, send the `request`, compare with `expect`, then do the
 * same for each `then` step. It knows only a tenant base URL and a bearer token, never the app or the database,
 * so the same runner works against the in-process app and against a deployed server.
 *
 *   const fixture = loadFixture(FIXTURE_ROOT, 'entra/04-get-user.json');   // throws FixtureFormatError
 *   await runFixture(fixture, { baseUrl: '…/scim/v2/acme', token });      // throws FixtureFailedError
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { matchResponse, type ActualResponse, type ExpectedResponse, type Mismatch } from './match-response';

export interface FixtureRequest {
  method: string;
  /** Relative to the tenant base URL; may hold a pre-encoded query string (then `query` must be absent). */
  path: string;
  /** Decoded values, encoded by the runner in this key order. */
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FixtureExpectation extends ExpectedResponse {
  notes?: string;
}

export interface FixtureStep {
  request: FixtureRequest;
  expect: FixtureExpectation;
}

export interface GivenResource {
  /** `{name}`: the placeholder the created resource's id is bound to. */
  bind: string;
  /** The collection to POST the body to, e.g. `/Users`. */
  create: string;
  body: Record<string, unknown>;
}

export interface IdpFixture extends FixtureStep {
  description: string;
  given?: GivenResource[];
  then?: FixtureStep[];
}

export interface LoadedFixture {
  /** The path relative to the fixture root, with `/` separators (`okta/08-unauthorized.json`). */
  name: string;
  fixture: IdpFixture;
}

/** Where the fixture runs: the tenant base URL (`…/scim/v2/<slug>`, no trailing slash needed) and its token. */
export interface ScimTenant {
  baseUrl: string;
  token: string;
}

/** The fixture itself is wrong (bad JSON, unknown key, unbound placeholder); no server can pass it. */
export class FixtureFormatError extends Error {
  override name = 'FixtureFormatError';
}

/** The server's answers do not match the fixture (or the server could not be reached). */
export class FixtureFailedError extends Error {
  override name = 'FixtureFailedError';
}

const REQUEST_TIMEOUT_MS = 10_000;
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
/** Placeholders every run binds itself. */
const RUNNER_PLACEHOLDERS = ['token', 'unknownId'];
/** The README's list: using one of these without binding it is a fixture mistake, not literal text. */
const DOCUMENTED_PLACEHOLDERS = new Set([
  ...RUNNER_PLACEHOLDERS,
  'id',
  'userId1',
  'userId2',
  'userId3',
  'managerId',
  'groupId',
  'groupId2',
]);

/** All fixture files under root, as sorted relative paths with `/` separators. */
export function findFixtureFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.json'))
    .map((path) => path.split(sep).join('/'))
    .sort();
}

/** Reads and checks one fixture, including that every documented placeholder it uses is bound before use. */
export function loadFixture(root: string, name: string): LoadedFixture {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(root, name), 'utf8'));
  } catch (error) {
    throw new FixtureFormatError(`${name}: cannot read the fixture: ${(error as Error).message}`);
  }
  const fixture = checkFixtureShape(parsed, name);
  checkPlaceholdersAreBound(fixture, name);
  return { name, fixture };
}

/** Runs given, request and then steps in order against a tenant with no SCIM resources yet. */
export async function runFixture({ name, fixture }: LoadedFixture, tenant: ScimTenant): Promise<void> {
  const bindings = new Map<string, string>([
    ['token', tenant.token],
    ['unknownId', randomUUID()],
  ]);
  const context: RunContext = { name, description: fixture.description, tenant };

  for (const [index, given] of (fixture.given ?? []).entries()) {
    const id = await createGivenResource(context, `given[${index}] ${given.bind}`, given, bindings);
    bindings.set(placeholderName(given.bind), id);
  }
  await runStep(context, 'request', fixture, bindings);
  for (const [index, step] of (fixture.then ?? []).entries()) {
    await runStep(context, `then[${index}]`, step, bindings);
  }
}

/**
 * Replaces each `{name}` whose name is bound, in every string value (also inside longer strings). Other braces,
 * `"{*}"` among them, stay as they are. Object keys are not touched.
 */
export function substitutePlaceholders<T>(value: T, bindings: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, placeholder: string) => bindings.get(placeholder) ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((element) => substitutePlaceholders(element, bindings)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, substitutePlaceholders(element, bindings)])) as T;
  }
  return value;
}

/**
 * The tenant base URL plus the path, with `query` encoded in its key order by encodeURIComponent (a space
 * becomes %20). A path that already holds `?` is the IdP's own encoding (`+`, bare flags) and is sent unchanged.
 */
export function buildRequestUrl(tenantBaseUrl: string, path: string, query?: FixtureRequest['query']): string {
  const url = `${tenantBaseUrl.replace(/\/+$/, '')}${path}`;
  const entries = Object.entries(query ?? {});
  if (path.includes('?') || entries.length === 0) return url;
  return `${url}?${entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&')}`;
}

interface RunContext {
  name: string;
  description: string;
  tenant: ScimTenant;
}

interface Exchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  /** Missing when no response arrived. */
  response?: ReceivedResponse;
}

interface ReceivedResponse extends ActualResponse {
  /** The raw body, shown when it is not JSON. */
  text: string;
}

async function createGivenResource(
  context: RunContext,
  step: string,
  given: GivenResource,
  bindings: ReadonlyMap<string, string>,
): Promise<string> {
  const request = substitutePlaceholders<FixtureRequest>(
    {
      method: 'POST',
      path: given.create,
      headers: { Authorization: 'Bearer {token}', 'Content-Type': 'application/scim+json', Accept: 'application/scim+json' },
      body: given.body,
    },
    bindings,
  );
  const exchange = await send(context, step, request);
  const { status, body } = exchange.response;
  const id = isObject(body) ? body.id : undefined;
  if (status < 200 || status > 299 || typeof id !== 'string' || id === '') {
    throw failure(context, step, exchange, [{ at: 'given', problem: `expected a 2xx answer whose body has a string id, got ${status}` }]);
  }
  return id;
}

async function runStep(context: RunContext, step: string, fixtureStep: FixtureStep, bindings: ReadonlyMap<string, string>): Promise<void> {
  const request = substitutePlaceholders(fixtureStep.request, bindings);
  const expected = substitutePlaceholders(fixtureStep.expect, bindings);
  const exchange = await send(context, step, request);
  const mismatches = matchResponse(expected, exchange.response);
  if (mismatches.length > 0) throw failure(context, step, exchange, mismatches, expected);
}

async function send(context: RunContext, step: string, request: FixtureRequest): Promise<Required<Exchange>> {
  const exchange: Exchange = {
    method: request.method,
    url: buildRequestUrl(context.tenant.baseUrl, request.path, request.query),
    requestHeaders: request.headers ?? {},
    requestBody: request.body,
  };
  let response: Response;
  let text: string;
  try {
    response = await fetch(exchange.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    const cause =
      error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
    throw failure(context, step, exchange, [{ at: 'request', problem: `no response: ${cause}` }]);
  }
  return {
    ...exchange,
    response: { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: parseJson(text), text },
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The failure message: enough to understand a red CI run without re-running it. The token never appears: every
// occurrence (the Authorization header, an echo in a response) is shown as {token}.

const SHOWN_BODY_LIMIT = 4000;
const HIDDEN_RESPONSE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-powered-by']);

function failure(
  context: RunContext,
  step: string,
  exchange: Exchange,
  mismatches: Mismatch[],
  expected?: FixtureExpectation,
): FixtureFailedError {
  const lines = [
    `IdP fixture ${context.name} failed at ${step}`,
    `  ${context.description}`,
    `Request: ${exchange.method} ${exchange.url}`,
  ];
  lines.push('Mismatches:', ...mismatches.map((mismatch) => `  - ${mismatch.at}: ${mismatch.problem}`));
  lines.push('Sent:', ...Object.entries(exchange.requestHeaders).map(([header, value]) => `  ${header}: ${value}`));
  if (exchange.requestBody !== undefined) lines.push(`  body ${showJson(exchange.requestBody, '  ')}`);
  if (expected) {
    lines.push('Expected:', `  status ${expected.status}`);
    if (expected.headers) lines.push(`  headers ${JSON.stringify(expected.headers)}`);
    if (expected.body !== undefined) lines.push(`  body ${showJson(expected.body, '  ')}`);
    if (expected.absent) lines.push(`  absent ${JSON.stringify(expected.absent)}`);
    if (expected.notes) lines.push(`  notes: ${expected.notes}`);
  }
  if (exchange.response) {
    const { status, headers, body, text } = exchange.response;
    lines.push('Actual:', `  status ${status}`);
    for (const [header, value] of Object.entries(headers)) {
      if (!HIDDEN_RESPONSE_HEADERS.has(header)) lines.push(`  ${header}: ${value}`);
    }
    lines.push(`  body ${body === undefined ? (text === '' ? '(empty)' : truncate(JSON.stringify(text))) : showJson(body, '  ')}`);
  }
  return new FixtureFailedError(redact(lines.join('\n'), context.tenant.token));
}

function showJson(value: unknown, indent: string): string {
  return truncate(JSON.stringify(value, null, 2)).replace(/\n/g, `\n${indent}`);
}

function truncate(text: string): string {
  return text.length > SHOWN_BODY_LIMIT
    ? `${text.slice(0, SHOWN_BODY_LIMIT)}\n… (${text.length - SHOWN_BODY_LIMIT} more characters)`
    : text;
}

function redact(text: string, token: string): string {
  return token ? text.split(token).join('{token}') : text;
}

// ---------------------------------------------------------------------------------------------------------------
// Checking a fixture's shape, so a typo in a fixture fails with its file name instead of as a puzzling mismatch.

const FIXTURE_KEYS = ['description', 'given', 'request', 'expect', 'then'];
const GIVEN_KEYS = ['bind', 'create', 'body'];
const STEP_KEYS = ['request', 'expect'];
const REQUEST_KEYS = ['method', 'path', 'query', 'headers', 'body'];
const EXPECT_KEYS = ['status', 'headers', 'body', 'absent', 'notes'];

function checkFixtureShape(value: unknown, name: string): IdpFixture {
  const fail = (where: string, problem: string): never => {
    throw new FixtureFormatError(`${name}: ${where} ${problem}`);
  };
  const object = (candidate: unknown, where: string, keys: string[]): Record<string, unknown> => {
    if (!isObject(candidate)) return fail(where, 'must be an object');
    const unknownKeys = Object.keys(candidate).filter((key) => !keys.includes(key));
    if (unknownKeys.length > 0) fail(where, `has unknown key(s) ${unknownKeys.join(', ')} (allowed: ${keys.join(', ')})`);
    return candidate;
  };
  const stringMap = (candidate: unknown, where: string, allowScalars = false): void => {
    if (candidate === undefined) return;
    if (!isObject(candidate)) return fail(where, 'must be an object');
    for (const [key, entry] of Object.entries(candidate)) {
      const isAllowed = typeof entry === 'string' || (allowScalars && (typeof entry === 'number' || typeof entry === 'boolean'));
      if (!isAllowed) fail(`${where}.${key}`, allowScalars ? 'must be a string, number or boolean' : 'must be a string');
    }
  };
  const request = (candidate: unknown, where: string): void => {
    const checked = object(candidate, where, REQUEST_KEYS);
    if (typeof checked.method !== 'string' || !/^[A-Z]+$/.test(checked.method))
      fail(`${where}.method`, 'must be an upper-case HTTP method');
    if (typeof checked.path !== 'string' || !checked.path.startsWith('/')) fail(`${where}.path`, 'must be a string starting with /');
    stringMap(checked.query, `${where}.query`, true);
    stringMap(checked.headers, `${where}.headers`);
    if ((checked.path as string).includes('?') && isObject(checked.query) && Object.keys(checked.query).length > 0) {
      fail(where, 'has both a pre-encoded query string in path and a query object; use one of them');
    }
    if ((checked.method === 'GET' || checked.method === 'HEAD') && checked.body !== undefined)
      fail(where, `is a ${checked.method} with a body`);
  };
  const expectation = (candidate: unknown, where: string): void => {
    const checked = object(candidate, where, EXPECT_KEYS);
    if (!Number.isInteger(checked.status)) fail(`${where}.status`, 'must be an integer');
    stringMap(checked.headers, `${where}.headers`);
    if (checked.notes !== undefined && typeof checked.notes !== 'string') fail(`${where}.notes`, 'must be a string');
    if (checked.absent !== undefined) {
      const isKeyPathList =
        Array.isArray(checked.absent) &&
        checked.absent.every(
          (path) =>
            Array.isArray(path) &&
            path.length > 0 &&
            path.every((step) => typeof step === 'string' || (Number.isInteger(step) && (step as number) >= 0)),
        );
      if (!isKeyPathList) fail(`${where}.absent`, 'must be a list of non-empty key paths (object keys and array indices)');
    }
  };

  const fixture = object(value, 'the fixture', FIXTURE_KEYS);
  if (typeof fixture.description !== 'string') fail('description', 'must be a string');
  if (fixture.given !== undefined) {
    if (!Array.isArray(fixture.given)) fail('given', 'must be an array');
    const bound = new Set<string>();
    (fixture.given as unknown[]).forEach((candidate, index) => {
      const given = object(candidate, `given[${index}]`, GIVEN_KEYS);
      if (typeof given.bind !== 'string' || !new RegExp(`^${PLACEHOLDER.source}$`).test(given.bind)) {
        fail(`given[${index}].bind`, 'must be a placeholder like "{userId1}"');
      }
      const bind = placeholderName(given.bind as string);
      if (RUNNER_PLACEHOLDERS.includes(bind)) fail(`given[${index}].bind`, `must not rebind {${bind}}, which the runner provides`);
      if (bound.has(bind)) fail(`given[${index}].bind`, `binds {${bind}} a second time`);
      bound.add(bind);
      if (typeof given.create !== 'string' || !given.create.startsWith('/'))
        fail(`given[${index}].create`, 'must be a path starting with /');
      if (!isObject(given.body)) fail(`given[${index}].body`, 'must be an object');
    });
  }
  request(fixture.request, 'request');
  expectation(fixture.expect, 'expect');
  if (fixture.then !== undefined) {
    if (!Array.isArray(fixture.then)) fail('then', 'must be an array');
    (fixture.then as unknown[]).forEach((candidate, index) => {
      const step = object(candidate, `then[${index}]`, STEP_KEYS);
      request(step.request, `then[${index}].request`);
      expectation(step.expect, `then[${index}].expect`);
    });
  }
  return fixture as unknown as IdpFixture;
}

/** A documented placeholder (or one some given entry binds) used where nothing has bound it yet. */
function checkPlaceholdersAreBound(fixture: IdpFixture, name: string): void {
  const givens = fixture.given ?? [];
  const bindable = new Set([...DOCUMENTED_PLACEHOLDERS, ...givens.map((given) => placeholderName(given.bind))]);
  const available = new Set(RUNNER_PLACEHOLDERS);
  const check = (value: unknown, where: string): void => {
    for (const used of placeholdersIn(value)) {
      if (bindable.has(used) && !available.has(used)) {
        throw new FixtureFormatError(`${name}: ${where} uses {${used}}, which no earlier given entry binds`);
      }
    }
  };
  givens.forEach((given, index) => {
    check([given.create, given.body], `given[${index}]`);
    available.add(placeholderName(given.bind));
  });
  check(fixture.request, 'request');
  check(fixture.expect, 'expect');
  (fixture.then ?? []).forEach((step, index) => check(step, `then[${index}]`));
}

function placeholdersIn(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((match) => match[1]);
  if (Array.isArray(value)) return value.flatMap(placeholdersIn);
  if (isObject(value)) return Object.values(value).flatMap(placeholdersIn);
  return [];
}

function placeholderName(bind: string): string {
  return bind.slice(1, -1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
