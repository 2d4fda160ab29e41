import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ScimError } from '../errors/scim-error';
import { readResource } from '../resource/read-resource';
import { GROUP_RESOURCE_TYPE, ResourceType, USER_RESOURCE_TYPE } from '../schema';
import { applyPatch } from './apply-patch';
import { parsePatchRequest } from './patch-request';

/**
 * Replays the request body of every PATCH fixture in test/fixtures/idp (a copy of ../shared/fixtures) through the
 * pure engine: the `given` resources are read as POST would read them, the PATCH is applied to the one the request
 * path names, and the result must satisfy the fixture's own expectations (the response body for users, the
 * follow-up GET for groups), with the matching rules of the fixtures README. The HTTP replay of the same files
 * lives in test/conformance; this one needs no app and no database.
 */

type Json = Record<string, unknown>;
type KeyPath = (string | number)[];

interface Expectation {
  status: number;
  body?: Json;
  absent?: KeyPath[];
}

interface Fixture {
  given?: { bind: string; create: string; body: Json }[];
  request: { method: string; path: string; query?: Json; body?: unknown };
  expect: Expectation;
  then?: { request: { method: string; path: string; query?: Json }; expect: Expectation }[];
}

const ROOT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'idp');

const fixtures = ['entra', 'okta']
  .flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((file) => file.endsWith('.json'))
      .map((file) => ({ file: `${folder}/${file}`, fixture: JSON.parse(readFileSync(join(ROOT, folder, file), 'utf8')) as Fixture })),
  )
  .filter(({ fixture }) => fixture.request.method === 'PATCH');

/** Replaces every bound `{name}` inside the strings of a JSON value. */
function bind<T>(value: T, bindings: ReadonlyMap<string, string>): T {
  const text = JSON.stringify(value);
  return text === undefined ? value : JSON.parse(text.replace(/\{(\w+)\}/g, (whole, name: string) => bindings.get(name) ?? whole));
}

/** Why `actual` does not match `expected` under the fixtures README rules, or undefined when it does. */
function mismatch(expected: unknown, actual: unknown, where: string): string | undefined {
  if (expected === '{*}') return actual === undefined || actual === null ? `${where} is missing` : undefined;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${where} is not a list`;
    if (expected.length === 0) return actual.length === 0 ? undefined : `${where} is not empty`;
    return assignEach(expected, actual, where)
      ? undefined
      : `${where}: ${JSON.stringify(actual)} does not hold ${JSON.stringify(expected)}`;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `${where} is not an object`;
    for (const [key, value] of Object.entries(expected)) {
      const problem = mismatch(value, Object.hasOwn(actual, key) ? (actual as Json)[key] : undefined, `${where}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${where} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
}

/** Each expected element matches a different actual element, in any order. */
function assignEach(
  expected: readonly unknown[],
  actual: readonly unknown[],
  where: string,
  used: ReadonlySet<number> = new Set(),
): boolean {
  if (expected.length === 0) return true;
  const [first, ...rest] = expected;
  return actual.some(
    (candidate, index) =>
      !used.has(index) && mismatch(first, candidate, where) === undefined && assignEach(rest, actual, where, new Set([...used, index])),
  );
}

function resolves(value: unknown, path: KeyPath): boolean {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return false;
    current = (current as Json)[String(key)];
  }
  return current !== undefined;
}

function check(resource: Json, expectation: Expectation): string[] {
  const problems: string[] = [];
  if (expectation.body !== undefined) {
    const problem = mismatch(expectation.body, resource, 'body');
    if (problem !== undefined) problems.push(problem);
  }
  for (const path of expectation.absent ?? []) if (resolves(resource, path)) problems.push(`${JSON.stringify(path)} is present`);
  return problems;
}

describe('PATCH fixtures replayed through applyPatch', () => {
  it('finds every PATCH fixture', () => {
    expect(fixtures.map(({ file }) => file)).toEqual(
      expect.arrayContaining([
        'entra/08-update-user-multi-valued.json',
        'entra/q06-filtered-add-address-subattrs.json',
        'okta/12-group-replace-members-empty.json',
      ]),
    );
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
  });

  it.each(fixtures)('$file', ({ fixture }) => {
    const bindings = new Map<string, string>();
    const stored = new Map<string, { type: ResourceType; resource: Json }>();
    (fixture.given ?? []).forEach((given, index) => {
      const id = `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
      const type = given.create === '/Groups' ? GROUP_RESOURCE_TYPE : USER_RESOURCE_TYPE;
      const resource = { schemas: [type.schema.id], id, ...readResource(type, bind(given.body, bindings)) };
      bindings.set(given.bind.replace(/[{}]/g, ''), id);
      stored.set(`${type.endpoint}/${id}`, { type, resource });
    });

    const requestPath = bind(fixture.request.path, bindings);
    const target = stored.get(requestPath);
    if (target === undefined) throw new Error(`no given resource at ${requestPath}`);
    const body = bind(fixture.request.body, bindings);

    if (fixture.expect.status >= 400) {
      expect(() => applyPatch(target.type, target.resource, parsePatchRequest(body))).toThrow(ScimError);
      return;
    }
    const { resource } = applyPatch(target.type, target.resource, parsePatchRequest(body));
    const problems = check(resource, bind(fixture.expect, bindings));
    for (const step of fixture.then ?? []) {
      // Follow-up reads of the patched resource itself; list queries are the conformance suite's to check.
      if (step.request.method !== 'GET' || bind(step.request.path, bindings) !== requestPath) continue;
      const expectation = bind(step.expect, bindings);
      // `excludedAttributes` shapes the response, not the stored resource: keep only the body expectation then.
      problems.push(
        ...check(resource, step.request.query?.excludedAttributes === undefined ? expectation : { ...expectation, absent: [] }),
      );
    }
    expect(problems).toEqual([]);
  });
});
