// Unit cases for the fixture matcher (pure, no app). Named *.e2e-spec.ts only so the e2e jest project, which
// owns test/, picks it up next to the runner it serves.
import {
  assignDistinctElements,
  formatKeyPath,
  matchResponse,
  resolveKeyPath,
  type ActualResponse,
  type ExpectedResponse,
} from './match-response';

const SCIM_JSON = { 'Content-Type': 'application/scim+json; charset=utf-8' };

function response(body: unknown, overrides: Partial<ActualResponse> = {}): ActualResponse {
  return { status: 200, headers: SCIM_JSON, body, ...overrides };
}

interface Case {
  rule: string;
  expected: ExpectedResponse;
  actual: ActualResponse;
}

const passing: Case[] = [
  { rule: 'status: the same number', expected: { status: 204 }, actual: response(undefined, { status: 204 }) },
  {
    rule: 'headers: the name in another case, the value with parameters',
    expected: { status: 200, headers: { 'content-type': 'application/scim+json' } },
    actual: response({}),
  },
  {
    rule: 'headers: a relative expectation inside an absolute Location',
    expected: { status: 201, headers: { Location: '/Users/' } },
    actual: response({}, { status: 201, headers: { location: 'http://127.0.0.1:4000/scim/v2/acme/Users/42' } }),
  },
  {
    rule: 'body: extra keys in the actual object',
    expected: { status: 200, body: { id: '42' } },
    actual: response({ id: '42', userName: 'ann' }),
  },
  {
    rule: 'body: nested partial objects',
    expected: { status: 200, body: { name: { familyName: 'Lee' } } },
    actual: response({ name: { familyName: 'Lee', givenName: 'Ann', formatted: 'Ann Lee' } }),
  },
  { rule: 'body: booleans of the same type', expected: { status: 200, body: { active: false } }, actual: response({ active: false }) },
  { rule: 'body: status as the string "404"', expected: { status: 200, body: { status: '404' } }, actual: response({ status: '404' }) },
  { rule: 'body: "{*}" accepts a string', expected: { status: 200, body: { id: '{*}' } }, actual: response({ id: 'a1b2' }) },
  {
    rule: 'body: "{*}" accepts a number, an object or an empty string',
    expected: { status: 200, body: { a: '{*}', b: '{*}', c: '{*}' } },
    actual: response({ a: 0, b: { x: 1 }, c: '' }),
  },
  { rule: 'body: [] with an empty array', expected: { status: 200, body: { Resources: [] } }, actual: response({ Resources: [] }) },
  {
    rule: 'body: array elements in another order',
    expected: { status: 200, body: { members: [{ value: 'u2' }, { value: 'u1' }] } },
    actual: response({ members: [{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }] }),
  },
  {
    rule: 'body: array needing backtracking (the first expected element could take either actual element)',
    expected: { status: 200, body: { emails: [{ type: 'work' }, { type: 'work', primary: true }] } },
    actual: response({ emails: [{ type: 'work', primary: true }, { type: 'work' }] }),
  },
  {
    rule: 'body: arrays of scalars in any order',
    expected: { status: 200, body: { schemas: ['urn:b', 'urn:a'] } },
    actual: response({ schemas: ['urn:a', 'urn:b'] }),
  },
  { rule: 'body: null expects null', expected: { status: 200, body: { title: null } }, actual: response({ title: null }) },
  { rule: 'absent: a missing key', expected: { status: 200, absent: [['password']] }, actual: response({ id: '42' }) },
  {
    rule: 'absent: ["members", 0] with members missing',
    expected: { status: 200, absent: [['members', 0]] },
    actual: response({ id: 'g' }),
  },
  {
    rule: 'absent: ["members", 0] with members empty',
    expected: { status: 200, absent: [['members', 0]] },
    actual: response({ members: [] }),
  },
  {
    rule: 'absent: ["Resources", 1] with exactly one resource',
    expected: { status: 200, absent: [['Resources', 1]] },
    actual: response({ Resources: [{ id: '1' }] }),
  },
  {
    rule: 'absent: a dotted key is literal, so a nested name.givenName does not count',
    expected: { status: 200, absent: [['name.givenName']] },
    actual: response({ name: { givenName: 'Ann' } }),
  },
  {
    rule: 'absent: a nested key path under an extension URN',
    expected: { status: 200, absent: [['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'manager']] },
    actual: response({ 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Facilities' } }),
  },
  {
    rule: 'absent: a number does not index an object, a string does not index an array',
    expected: {
      status: 200,
      absent: [
        ['meta', 0],
        ['members', '0'],
      ],
    },
    actual: response({ meta: { 0: 'x' }, members: ['a'] }),
  },
  {
    rule: 'absent: nothing resolves in a missing body',
    expected: { status: 204, absent: [['members']] },
    actual: response(undefined, { status: 204 }),
  },
];

const failing: Array<Case & { at: string }> = [
  { rule: 'status: a different number', expected: { status: 200 }, actual: response({}, { status: 201 }), at: 'status' },
  {
    rule: 'headers: a missing header',
    expected: { status: 201, headers: { location: '/Users/' } },
    actual: response({}, { status: 201 }),
    at: 'header location',
  },
  {
    rule: 'headers: a value that does not contain the expected text',
    expected: { status: 200, headers: { 'content-type': 'application/scim+json' } },
    actual: response({}, { headers: { 'content-type': 'application/json; charset=utf-8' } }),
    at: 'header content-type',
  },
  {
    rule: 'body: a missing key',
    expected: { status: 200, body: { externalId: 'x' } },
    actual: response({ id: '42' }),
    at: 'body.externalId',
  },
  {
    rule: 'body: the string "False" for false',
    expected: { status: 200, body: { active: false } },
    actual: response({ active: 'False' }),
    at: 'body.active',
  },
  {
    rule: 'body: the number 404 for "404"',
    expected: { status: 200, body: { status: '404' } },
    actual: response({ status: 404 }),
    at: 'body.status',
  },
  {
    rule: 'body: userName in another letter case',
    expected: { status: 200, body: { userName: 'Kenji.Sato@Fabrikam-Test.example' } },
    actual: response({ userName: 'kenji.sato@fabrikam-test.example' }),
    at: 'body.userName',
  },
  {
    rule: 'body: "{*}" with null',
    expected: { status: 200, body: { detail: '{*}' } },
    actual: response({ detail: null }),
    at: 'body.detail',
  },
  {
    rule: 'body: "{*}" with the key missing',
    expected: { status: 200, body: { meta: { created: '{*}' } } },
    actual: response({ meta: {} }),
    at: 'body.meta.created',
  },
  {
    rule: 'body: "{*}" inside a longer string is literal text',
    expected: { status: 200, body: { location: '/Users/{*}' } },
    actual: response({ location: '/Users/42' }),
    at: 'body.location',
  },
  {
    rule: 'body: [] with a non-empty array',
    expected: { status: 200, body: { Resources: [] } },
    actual: response({ Resources: [{ id: '1' }] }),
    at: 'body.Resources',
  },
  {
    rule: 'body: [] with the key missing',
    expected: { status: 200, body: { Resources: [] } },
    actual: response({ totalResults: 0 }),
    at: 'body.Resources',
  },
  {
    rule: 'body: [] with null',
    expected: { status: 200, body: { Resources: [] } },
    actual: response({ Resources: null }),
    at: 'body.Resources',
  },
  {
    rule: 'body: two expected elements cannot share one actual element',
    expected: { status: 200, body: { emails: [{ type: 'work' }, { type: 'work' }] } },
    actual: response({
      emails: [
        { type: 'work', value: 'a@x' },
        { type: 'home', value: 'b@x' },
      ],
    }),
    at: 'body.emails',
  },
  {
    rule: 'body: an array element that matches nothing',
    expected: { status: 200, body: { members: [{ value: 'u2' }] } },
    actual: response({ members: [{ value: 'u1' }] }),
    at: 'body.members',
  },
  {
    rule: 'body: an array expected, an object found',
    expected: { status: 200, body: { emails: [{ type: 'work' }] } },
    actual: response({ emails: { type: 'work' } }),
    at: 'body.emails',
  },
  {
    rule: 'body: an object expected, an array found',
    expected: { status: 200, body: { name: { givenName: 'Ann' } } },
    actual: response({ name: [{ givenName: 'Ann' }] }),
    at: 'body.name',
  },
  {
    rule: 'body: a plain string where the extension wants {"value": id}',
    expected: { status: 200, body: { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'm1' } } } },
    actual: response({ 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: 'm1' } }),
    at: 'body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].manager',
  },
  {
    rule: 'body: null expected, a value found',
    expected: { status: 200, body: { title: null } },
    actual: response({ title: 'Lead' }),
    at: 'body.title',
  },
  {
    rule: 'body: expected but the response had none',
    expected: { status: 204, body: { id: '42' } },
    actual: response(undefined, { status: 204 }),
    at: 'body',
  },
  {
    rule: 'absent: a present key',
    expected: { status: 200, absent: [['password']] },
    actual: response({ password: 'x' }),
    at: 'absent body.password',
  },
  {
    rule: 'absent: a key holding null still resolves',
    expected: { status: 200, absent: [['members']] },
    actual: response({ members: null }),
    at: 'absent body.members',
  },
  {
    rule: 'absent: ["members"] with an empty array present',
    expected: { status: 200, absent: [['members']] },
    actual: response({ members: [] }),
    at: 'absent body.members',
  },
  {
    rule: 'absent: ["Resources", 1] with two resources',
    expected: { status: 200, absent: [['Resources', 1]] },
    actual: response({ Resources: [{ id: '1' }, { id: '2' }] }),
    at: 'absent body.Resources[1]',
  },
  {
    rule: 'absent: a literal dotted key stored as-is',
    expected: { status: 200, absent: [['name.givenName']] },
    actual: response({ name: { givenName: 'Ann' }, 'name.givenName': 'Ann' }),
    at: 'absent body["name.givenName"]',
  },
];

describe('matchResponse', () => {
  it.each(passing)('passes: $rule', ({ expected, actual }) => {
    expect(matchResponse(expected, actual)).toEqual([]);
  });

  it.each(failing)('fails: $rule', ({ expected, actual, at }) => {
    const mismatches = matchResponse(expected, actual);
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches.map((mismatch) => mismatch.at)).toContain(at);
  });

  it('reports every mismatch, not only the first', () => {
    const mismatches = matchResponse(
      { status: 200, headers: { 'content-type': 'application/scim+json' }, body: { id: '42', active: true }, absent: [['password']] },
      { status: 404, headers: { 'content-type': 'text/html' }, body: { id: '43', password: 'x' } },
    );
    expect(mismatches.map((mismatch) => mismatch.at)).toEqual([
      'status',
      'header content-type',
      'body.id',
      'body.active',
      'absent body.password',
    ]);
  });

  it('names the JSON types when a boolean arrives as a string', () => {
    const [mismatch] = matchResponse({ status: 200, body: { active: false } }, response({ active: 'False' }));
    expect(mismatch.problem).toBe('expected false (boolean), got "False" (string)');
  });

  it('shows the nearest actual element when an array element matches nothing', () => {
    const mismatches = matchResponse(
      { status: 200, body: { Resources: [{ id: 'u1', active: false }] } },
      response({
        Resources: [
          { id: 'u2', active: true },
          { id: 'u1', active: true },
        ],
      }),
    );
    expect(mismatches).toContainEqual({
      at: 'body.Resources[1].active',
      problem: '(nearest) expected false (boolean), got true (boolean)',
    });
  });
});

describe('assignDistinctElements', () => {
  it('moves an earlier choice to make room for a later element', () => {
    expect(assignDistinctElements([[0, 1], [0]], 2)).toEqual([1, 0]);
  });

  it('leaves -1 for an element that cannot get its own actual element', () => {
    expect(assignDistinctElements([[0], [0], [0, 1]], 2)).toEqual([0, -1, 1]);
  });
});

describe('resolveKeyPath and formatKeyPath', () => {
  it('resolves object keys and array indices, including a key that holds null', () => {
    expect(resolveKeyPath({ a: [{ b: null }] }, ['a', 0, 'b'])).toEqual({ resolved: true, value: null });
    expect(resolveKeyPath({ a: [] }, ['a', 0])).toEqual({ resolved: false });
    expect(resolveKeyPath(undefined, [])).toEqual({ resolved: false });
  });

  it('writes identifiers with dots and other keys in brackets', () => {
    expect(formatKeyPath(['Resources', 0, 'name.givenName', 'x'])).toBe('body.Resources[0]["name.givenName"].x');
  });
});
