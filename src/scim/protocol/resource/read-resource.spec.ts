import { ScimError } from '../errors/scim-error';
import { USER_RESOURCE_TYPE } from '../schema';
import { readResource } from './read-resource';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const read = (body: unknown) => readResource(USER_RESOURCE_TYPE, body);

function errorOf(body: unknown): ScimError {
  try {
    read(body);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('readResource (User)', () => {
  it("reads Entra's create body: ignores meta, roles and an extension URN without attributes", () => {
    expect(
      read({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        externalId: 'ac115525',
        userName: 'ann.lee@contoso-test.example',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'ann.lee@contoso-test.example' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'Ann Lee', familyName: 'Lee', givenName: 'Ann' },
        roles: [],
      }),
    ).toEqual({
      externalId: 'ac115525',
      userName: 'ann.lee@contoso-test.example',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'ann.lee@contoso-test.example' }],
      name: { formatted: 'Ann Lee', familyName: 'Lee', givenName: 'Ann' },
    });
  });

  it('resolves names in any case to their canonical spelling', () => {
    expect(read({ USERNAME: 'a', DisplayName: 'A', Name: { GIVENNAME: 'Ann' }, Active: 'True' })).toEqual({
      userName: 'a',
      displayName: 'A',
      name: { givenName: 'Ann' },
      active: true,
    });
  });

  it('treats null and empty strings as absent and drops emptied complex values', () => {
    expect(read({ userName: 'a', displayName: null, title: '', name: { givenName: null }, emails: [null] })).toEqual({ userName: 'a' });
  });

  it.each([
    ['a bare string', 'm-1'],
    ['a value object', { value: 'm-1' }],
    ['a one-element array', [{ value: 'm-1', $ref: '../Users/m-1' }]],
  ])('reads manager given as %s', (_case, manager) => {
    expect(read({ userName: 'a', [ENTERPRISE]: { manager } })[ENTERPRISE]).toMatchObject({ manager: { value: 'm-1' } });
  });

  it('reads extension attributes given by full URN path at the top level', () => {
    expect(read({ userName: 'a', [`${ENTERPRISE}:department`]: 'Facilities', [ENTERPRISE]: { employeeNumber: '7' } })).toEqual({
      userName: 'a',
      [ENTERPRISE]: { department: 'Facilities', employeeNumber: '7' },
    });
  });

  it('ignores read-only and unknown attributes, and keeps the first primary only', () => {
    expect(
      read({
        userName: 'a',
        id: 'mine',
        groups: [{ value: 'g' }],
        favouriteColour: 'blue',
        emails: [
          { value: 'a@x', primary: true },
          { value: 'b@x', primary: 'true' },
        ],
      }),
    ).toEqual({
      userName: 'a',
      emails: [
        { value: 'a@x', primary: true },
        { value: 'b@x', primary: false },
      ],
    });
  });

  it('never reads prototype keys', () => {
    const body = JSON.parse('{"userName":"a","__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}');
    const resource = read(body);
    expect(resource).toEqual({ userName: 'a' });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each([
    ['a missing userName', { displayName: 'x' }, 'invalidValue', /userName is required/],
    ['an empty userName', { userName: '' }, 'invalidValue', /userName is required/],
    ['a number for userName', { userName: 42 }, 'invalidValue', /userName must be a string/],
    ['a string for active', { userName: 'a', active: 'yes' }, 'invalidValue', /active must be true or false/],
    ['an object for displayName', { userName: 'a', displayName: { x: 1 } }, 'invalidValue', /displayName must be a string/],
    ['a string for name', { userName: 'a', name: 'Ann' }, 'invalidValue', /name must be an object/],
    ['an over-long userName', { userName: 'x'.repeat(256) }, 'invalidValue', /userName is longer than 255/],
    ['a number as email value', { userName: 'a', emails: [{ value: 5 }] }, 'invalidValue', /emails\[0\]\.value must be a string/],
    [
      'two managers',
      { userName: 'a', [ENTERPRISE]: { manager: [{ value: 'a' }, { value: 'b' }] } },
      'invalidValue',
      /manager takes one value/,
    ],
    ['an array body', [{ userName: 'a' }], 'invalidSyntax', /JSON object/],
    ['a string body', 'userName', 'invalidSyntax', /JSON object/],
  ])('refuses %s', (_case, body, scimType, detail) => {
    const error = errorOf(body);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toMatch(detail);
  });
});
