import { ScimError } from '../errors/scim-error';
import { parseListQuery } from './list-query';

const limits = { defaultCount: 100, maxCount: 200 };

describe('parseListQuery', () => {
  it('defaults to the first page of the default size', () => {
    expect(parseListQuery({}, limits)).toEqual({ startIndex: 1, count: 100 });
  });

  it("reads Entra's query, ignoring unknown parameters and the case of names", () => {
    expect(
      parseListQuery(
        { excludedAttributes: 'members', filter: 'userName eq "a"', aadOptscim062020: '', STARTINDEX: '3', Count: '2' },
        limits,
      ),
    ).toEqual({ filter: 'userName eq "a"', startIndex: 3, count: 2, excludedAttributes: ['members'] });
  });

  it('reads a .search body with numbers and attribute arrays', () => {
    expect(
      parseListQuery(
        { startIndex: 2, count: 0, attributes: ['userName', 'name.givenName'], sortBy: 'userName', sortOrder: 'descending' },
        limits,
      ),
    ).toEqual({
      startIndex: 2,
      count: 0,
      attributes: ['userName', 'name.givenName'],
      sortBy: 'userName',
      sortOrder: 'descending',
    });
  });

  it.each([
    [{ startIndex: '0' }, { startIndex: 1 }],
    [{ startIndex: '-5' }, { startIndex: 1 }],
    [{ count: '-1' }, { count: 0 }],
    [{ count: '100000' }, { count: 200 }],
  ])('clamps %j', (parameters, expected) => {
    expect(parseListQuery(parameters, limits)).toMatchObject(expected);
  });

  it.each([{ startIndex: 'abc' }, { count: '1.5' }, { count: true }, { filter: ['a eq "1"', 'b eq "2"'] }, { attributes: 5 }])(
    'refuses %j with 400 invalidValue',
    (parameters) => {
      expect(() => parseListQuery(parameters, limits)).toThrow(ScimError);
      try {
        parseListQuery(parameters, limits);
      } catch (error) {
        expect((error as ScimError).scimType).toBe('invalidValue');
      }
    },
  );
});

describe('parseListQuery with a cursor (RFC 9865)', () => {
  const typeOf = (parameters: Record<string, unknown>) => {
    try {
      parseListQuery(parameters, limits);
    } catch (error) {
      return error instanceof ScimError ? `${error.status} ${error.scimType}` : 'not a ScimError';
    }
    return 'accepted';
  };

  it.each([
    [{ cursor: '' }, { cursor: '', startIndex: 1, count: 100 }],
    [{ cursor: null }, { cursor: '', startIndex: 1, count: 100 }],
    [
      { Cursor: 'abc', count: '17' },
      { cursor: 'abc', startIndex: 1, count: 17 },
    ],
    [
      { cursor: '', count: 100000 },
      { cursor: '', startIndex: 1, count: 200 },
    ],
  ])('reads %j', (parameters, expected) => {
    expect(parseListQuery(parameters, limits)).toEqual(expected);
  });

  it('leaves index paging as it was when there is no cursor', () => {
    expect('cursor' in parseListQuery({ startIndex: '3' }, limits)).toBe(false);
  });

  it.each([
    [{ cursor: '', startIndex: '1' }, '400 invalidValue'],
    [{ cursor: 'abc', startIndex: 5 }, '400 invalidValue'],
    [{ cursor: '', count: '0' }, '400 invalidCount'],
    [{ cursor: 'abc', count: -3 }, '400 invalidCount'],
    [{ cursor: ['a', 'b'] }, '400 invalidCursor'],
    [{ cursor: 5 }, '400 invalidCursor'],
  ])('refuses %j with %s', (parameters, expected) => {
    expect(typeOf(parameters)).toBe(expected);
  });
});
