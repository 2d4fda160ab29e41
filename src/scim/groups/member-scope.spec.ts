import fc from 'fast-check';
import { ScimError } from '../protocol/errors/scim-error';
import { applyPatch, parsePatchRequest } from '../protocol/patch';
import { GROUP_RESOURCE_TYPE } from '../protocol/schema';
import { memberScopeOf, type MemberScope } from './member-scope';

const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const scopeOf = (operations: unknown[]): MemberScope => memberScopeOf(parsePatchRequest({ Operations: operations }));

describe('memberScopeOf', () => {
  it.each<[string, unknown[], MemberScope]>([
    ['no operations', [], { kind: 'none' }],
    ['a rename', [{ op: 'Replace', path: 'displayName', value: 'X' }], { kind: 'none' }],
    ["Okta's path-less rename with its id", [{ op: 'replace', value: { id: 'g1', displayName: 'X' } }], { kind: 'none' }],
    [
      'an add of members',
      [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }, { value: 'u2' }] }],
      { kind: 'some', ids: ['u1', 'u2'] },
    ],
    ['an add through the core URN', [{ op: 'add', path: `${GROUP_URN}:members`, value: { value: 'u1' } }], { kind: 'some', ids: ['u1'] }],
    ['a path-less add of members', [{ op: 'add', value: { members: [{ value: 'u1' }], displayName: 'X' } }], { kind: 'some', ids: ['u1'] }],
    [
      "Entra's remove with a value list (Q7)",
      [{ op: 'Remove', path: 'members', value: [{ value: 'u2' }, 'u3'] }],
      { kind: 'some', ids: ['u2', 'u3'] },
    ],
    ['a remove by filter path (Q8)', [{ op: 'remove', path: 'members[value eq "u1"]' }], { kind: 'some', ids: ['u1'] }],
    ['an or of ids', [{ op: 'remove', path: 'members[value eq "u1" or VALUE eq "u2"]' }], { kind: 'some', ids: ['u1', 'u2'] }],
    ['an and with an id', [{ op: 'remove', path: 'members[type eq "User" and value eq "u1"]' }], { kind: 'some', ids: ['u1'] }],
    [
      "Okta's remove and add in one request",
      [
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'add', path: 'members', value: [{ value: 'u2', display: 'Grace' }] },
      ],
      { kind: 'some', ids: ['u1', 'u2'] },
    ],
    ['a replace of the list (Q9)', [{ op: 'replace', path: 'members', value: [] }], { kind: 'all' }],
    ['a path-less replace of the list', [{ op: 'replace', value: { members: [{ value: 'u1' }] } }], { kind: 'all' }],
    ['a remove of the whole attribute', [{ op: 'remove', path: 'members' }], { kind: 'all' }],
    ['a remove by display', [{ op: 'remove', path: 'members', value: [{ display: 'Ann' }] }], { kind: 'all' }],
    ['a filter on display', [{ op: 'remove', path: 'members[display eq "Ann"]' }], { kind: 'all' }],
    ['a negated filter', [{ op: 'remove', path: 'members[not (value eq "u1")]' }], { kind: 'all' }],
    ['a sub-attribute of every member', [{ op: 'remove', path: 'members.display' }], { kind: 'all' }],
  ])('%s', (_case, operations, scope) => {
    expect(scopeOf(operations)).toEqual(scope);
  });
});

/**
 * The property the Groups service relies on: applying a PATCH to the group with only the members in its scope gives
 * the same outcome (error, `changed`, memberDelta, displayName) as applying it to the whole membership.
 */
describe('a PATCH applied within its member scope', () => {
  const ids = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
  const id = fc.constantFrom(...ids, 'unknown');
  const element = fc.oneof(
    id.map((value) => ({ value })),
    id.map((value) => ({ value, display: `Name ${value}` })),
    id.map((value) => ({ $ref: null, value })),
    fc.constant({ display: 'Name u1' }),
    id,
  );
  const elements = fc.array(element, { maxLength: 4 });
  const filter = fc.oneof(
    id.map((value) => `value eq "${value}"`),
    fc.tuple(id, id).map(([a, b]) => `value eq "${a}" or value eq "${b}"`),
    id.map((value) => `type eq "User" and value eq "${value}"`),
    id.map((value) => `display eq "Name ${value}"`),
    id.map((value) => `not (value eq "${value}")`),
    id.map((value) => `value ne "${value}"`),
    fc.constant('value pr'),
  );
  const operation = fc.oneof(
    fc.record({ op: fc.constantFrom('add', 'Add', 'replace'), path: fc.constantFrom('members', `${GROUP_URN}:members`), value: elements }),
    fc.record({ op: fc.constantFrom('remove', 'Remove'), path: fc.constant('members'), value: fc.option(elements, { nil: undefined }) }),
    fc.record({ op: fc.constant('remove'), path: filter.map((text) => `members[${text}]`) }),
    fc.record({
      op: fc.constantFrom('add', 'replace'),
      path: filter.map((text) => `members[${text}]`),
      value: fc.constantFrom({ display: 'Other' }, { display: 'Name u1' }),
    }),
    fc.record({ op: fc.constantFrom('add', 'replace'), path: fc.constant('members[value eq "u2"].display'), value: fc.constant('Other') }),
    fc.record({ op: fc.constant('remove'), path: fc.constant('members.display') }),
    fc.record({
      op: fc.constantFrom('add', 'replace'),
      value: fc.record({ displayName: fc.constantFrom('G', 'H'), members: elements }, { requiredKeys: [] }),
    }),
    fc.record({ op: fc.constant('replace'), path: fc.constant('displayName'), value: fc.constantFrom('G', 'H', '') }),
    fc.record({ op: fc.constant('replace'), value: fc.constant({ id: 'g1', displayName: 'H' }) }),
  );

  const outcome = (members: readonly { value: string; display?: string }[] | undefined, operations: unknown[]) => {
    const group = {
      schemas: [GROUP_URN],
      id: 'g1',
      displayName: 'G',
      ...(members === undefined ? {} : { members: members.map((member) => ({ ...member, type: 'User' })) }),
    };
    try {
      const result = applyPatch(GROUP_RESOURCE_TYPE, group, parsePatchRequest({ Operations: operations }));
      return {
        changed: result.changed,
        displayName: result.resource.displayName,
        added: [...(result.memberDelta?.added ?? [])].sort(),
        removed: [...(result.memberDelta?.removed ?? [])].sort(),
      };
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      return { status: error.status, scimType: error.scimType };
    }
  };

  it('gives the outcome of the whole membership', () => {
    const membership = fc
      .subarray(ids)
      .chain((members) =>
        fc.tuple(
          ...members.map((value) => fc.boolean().map((hasDisplay) => (hasDisplay ? { value, display: `Name ${value}` } : { value }))),
        ),
      );
    fc.assert(
      fc.property(membership, fc.array(operation, { maxLength: 4 }), (members, operations) => {
        const scope = scopeOf(operations);
        const scoped =
          scope.kind === 'all' ? members : scope.kind === 'none' ? undefined : members.filter((member) => scope.ids.includes(member.value));
        expect(outcome(scoped, operations)).toEqual(outcome(members, operations));
      }),
      { numRuns: 3000 },
    );
  });
});
