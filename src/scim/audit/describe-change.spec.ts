import { changedAttributes } from './describe-change';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('changedAttributes', () => {
  it('names changed, added and removed attributes, sub-attributes and extension attributes', () => {
    expect(
      changedAttributes(
        { userName: 'a', displayName: 'A', name: { givenName: 'Ann', familyName: 'Lee' }, title: 'x', [ENTERPRISE]: { department: 'D' } },
        {
          userName: 'a',
          displayName: 'B',
          name: { givenName: 'Ann', familyName: 'Li' },
          emails: [{ value: 'a@x' }],
          [ENTERPRISE]: { department: 'E' },
        },
      ),
    ).toEqual(['displayName', 'emails', 'name.familyName', 'title', `${ENTERPRISE}:department`]);
  });

  it('ignores meta, id, schemas and active, and finds nothing when nothing changed', () => {
    expect(
      changedAttributes({ id: '1', active: true, meta: { version: 'W/"1"' } }, { id: '1', active: false, meta: { version: 'W/"2"' } }),
    ).toEqual([]);
  });
});
