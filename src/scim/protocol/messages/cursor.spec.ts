import { ScimError } from '../errors/scim-error';
import { CursorPosition, CursorScope, decodeCursor, encodeCursor } from './cursor';

const scope: CursorScope = {
  organisationId: 'org-a',
  resourceType: 'User',
  filter: 'active eq true',
  sortBy: undefined,
  sortOrder: undefined,
};
const position: CursorPosition = { direction: 'after', key: '2026-11-29T16:00:00.123Z', id: 'bd2c61d9-3e02-4756-b772-55d3a5467af6' };

function scimTypeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof ScimError) return `${error.status} ${error.scimType}`;
    throw error;
  }
  return undefined;
}

describe('encodeCursor / decodeCursor', () => {
  it.each<CursorPosition>([
    position,
    { direction: 'before', key: 'ann.lee@contoso-test.example', id: 'x' },
    { direction: 'after', key: true, id: 'y' },
    { direction: 'after', key: 'ünïcødé "quoted" \\ key', id: 'z' },
  ])('round-trips %j', (original) => {
    expect(decodeCursor(encodeCursor(original, scope), scope)).toEqual(original);
  });

  it('uses only RFC 3986 unreserved characters', () => {
    expect(encodeCursor(position, scope)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each<[string, CursorScope]>([
    ['another organisation', { ...scope, organisationId: 'org-b' }],
    ['another resource type', { ...scope, resourceType: 'Group' }],
    ['another filter', { ...scope, filter: 'active eq false' }],
    ['no filter', { ...scope, filter: undefined }],
    ['another sortBy', { ...scope, sortBy: 'userName' }],
    ['another sortOrder', { ...scope, sortOrder: 'descending' }],
  ])('refuses a cursor sent with %s as 400 invalidCursor', (_, other) => {
    expect(scimTypeOf(() => decodeCursor(encodeCursor(position, scope), other))).toBe('400 invalidCursor');
  });

  it('refuses every single-character change of a cursor', () => {
    const cursor = encodeCursor(position, scope);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let index = 0; index < cursor.length; index++) {
      const replacement = alphabet[(alphabet.indexOf(cursor[index]) + 1) % alphabet.length];
      const altered = cursor.slice(0, index) + replacement + cursor.slice(index + 1);
      expect(scimTypeOf(() => decodeCursor(altered, scope))).toBe('400 invalidCursor');
    }
  });

  it('refuses a truncated or extended cursor', () => {
    const cursor = encodeCursor(position, scope);
    expect(scimTypeOf(() => decodeCursor(cursor.slice(0, -1), scope))).toBe('400 invalidCursor');
    expect(scimTypeOf(() => decodeCursor(cursor.slice(0, 20), scope))).toBe('400 invalidCursor');
    expect(scimTypeOf(() => decodeCursor(`${cursor}A`, scope))).toBe('400 invalidCursor');
  });

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['garbage', 'not a cursor!'],
    ['padding', `${encodeCursor(position, scope)}=`],
    ['base64 that is not JSON', Buffer.from('hello').toString('base64url')],
    ['a JSON object', encode({ v: 1 })],
    ['a short array', encode([1, 'a', 'k', 'id'])],
    ['another version', encode([2, 'a', 'k', 'id', 'tag'])],
    ['an unknown direction', encode([1, 'c', 'k', 'id', 'tag'])],
    ['a key that is an object', encode([1, 'a', { k: 1 }, 'id', 'tag'])],
    ['an empty id', encode([1, 'a', 'k', '', 'tag'])],
    ['a forged tag', encode([1, 'a', 'k', 'id', 'AAAAAAAAAAAAAAAA'])],
    ['an overlong cursor', 'A'.repeat(2000)],
  ])('refuses %s as 400 invalidCursor', (_, cursor) => {
    expect(scimTypeOf(() => decodeCursor(cursor, scope))).toBe('400 invalidCursor');
  });
});
