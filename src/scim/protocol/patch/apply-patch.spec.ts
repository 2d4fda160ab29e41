import { isDeepStrictEqual } from 'node:util';
import { ScimError } from '../errors/scim-error';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema';
import { applyPatch } from './apply-patch';
import { parsePatchRequest } from './patch-request';
import table from './patch.cases.json';

type Json = Record<string, unknown>;

interface PatchCase {
  name: string;
  source?: string;
  resourceType?: string;
  given: string;
  operations?: unknown[];
  body?: unknown;
  expected?: Json;
  changes?: { set?: Json; unset?: string[] };
  changed?: boolean;
  memberDelta?: { added: string[]; removed: string[] };
  error?: { scimType: string; detail?: string };
}

const resources: Record<string, Json> = table.resources;
const cases: PatchCase[] = table.cases;
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// JSON.parse, not structuredClone: Jest compares prototypes, and structuredClone builds objects of another realm.
const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

/** The given resource with `changes` applied: `set` replaces top-level keys, `unset` removes them. */
function expectedOf(given: Json, patchCase: PatchCase): Json {
  if (patchCase.expected !== undefined) return patchCase.expected;
  const expected: Json = { ...cloneJson(given), ...cloneJson(patchCase.changes?.set ?? {}) };
  for (const key of patchCase.changes?.unset ?? []) delete expected[key];
  return expected;
}

function run(patchCase: PatchCase, given: Json) {
  const type = patchCase.resourceType === 'Group' ? GROUP_RESOURCE_TYPE : USER_RESOURCE_TYPE;
  const body = patchCase.body !== undefined ? patchCase.body : { schemas: [PATCH_OP], Operations: patchCase.operations };
  return applyPatch(type, given, parsePatchRequest(body));
}

describe('applyPatch', () => {
  const successes = cases.filter((patchCase) => patchCase.error === undefined);
  const failures = cases.filter((patchCase) => patchCase.error !== undefined);

  it('has a resource for every case and enough cases', () => {
    expect(cases.filter((patchCase) => resources[patchCase.given] === undefined).map((patchCase) => patchCase.name)).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(80);
    expect(new Set(cases.map((patchCase) => patchCase.name)).size).toBe(cases.length);
  });

  it.each(successes)('$name', (patchCase) => {
    const given = resources[patchCase.given];
    const input = deepFreeze(cloneJson(given));
    const result = run(patchCase, input);
    const expected = expectedOf(given, patchCase);

    expect(result.resource).toStrictEqual(expected);
    expect(result.changed).toBe(patchCase.changed ?? !isDeepStrictEqual(given, expected));
    if (patchCase.changed !== undefined) expect(patchCase.changed).toBe(!isDeepStrictEqual(given, expected));
    if (patchCase.memberDelta !== undefined) expect(result.memberDelta).toEqual(patchCase.memberDelta);
    expect(input).toStrictEqual(given);
    expect(result.resource).not.toBe(input);
  });

  it.each(failures)('$name', (patchCase) => {
    const given = resources[patchCase.given];
    const input = deepFreeze(cloneJson(given));
    let thrown: unknown;
    try {
      run(patchCase, input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScimError);
    const scimError = thrown instanceof ScimError ? thrown : undefined;
    expect(scimError?.status).toBe(400);
    expect(scimError?.scimType).toBe(patchCase.error?.scimType);
    expect(scimError?.detail).toContain(patchCase.error?.detail ?? '');
    expect(input).toStrictEqual(given);
  });

  it('returns memberDelta for Groups only', () => {
    const operations = parsePatchRequest({ Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] });
    expect(applyPatch(USER_RESOURCE_TYPE, resources.ann, operations).memberDelta).toBeUndefined();
    expect(applyPatch(GROUP_RESOURCE_TYPE, resources.group, operations).memberDelta).toEqual({ added: [], removed: [] });
  });

  it('patches a group of thousands of members without comparing every pair (trap T35)', () => {
    const members = Array.from({ length: 5000 }, (_, index) => ({ value: `user-${index}` }));
    const group = deepFreeze({ id: 'g-big', displayName: 'Everyone', members });
    const started = Date.now();
    const replaced = applyPatch(
      GROUP_RESOURCE_TYPE,
      group,
      parsePatchRequest({
        Operations: [
          { op: 'replace', path: 'members', value: members.map(({ value }, index) => ({ value: index < 2500 ? value : `new-${index}` })) },
          { op: 'remove', path: 'members', value: members.slice(0, 100) },
          { op: 'add', path: 'members', value: members.slice(0, 50) },
        ],
      }),
    );
    expect(replaced.memberDelta?.added).toHaveLength(2500);
    expect(replaced.memberDelta?.removed).toHaveLength(2550);
    expect(replaced.resource.members).toHaveLength(4950);
    // Quadratic comparisons took minutes here; linear ones take well under a second.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('leaves Object.prototype alone after every case', () => {
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Json).isAdmin).toBeUndefined();
  });
});
