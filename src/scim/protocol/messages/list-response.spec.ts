import { ListPage, cursorListResponse, listResponse } from './list-response';

describe('listResponse', () => {
  it('answers a query without matches with all five members (Test Connection, guide §1.3)', () => {
    expect(listResponse([], { totalResults: 0, startIndex: 1 })).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it.each<[string, unknown[], ListPage, { totalResults: number; startIndex: number; itemsPerPage: number }]>([
    ['one match', [{ id: 'a' }], { totalResults: 1, startIndex: 1 }, { totalResults: 1, startIndex: 1, itemsPerPage: 1 }],
    [
      'a middle page',
      [{ id: 'f' }, { id: 'g' }],
      { totalResults: 11, startIndex: 6, itemsPerPage: 2 },
      { totalResults: 11, startIndex: 6, itemsPerPage: 2 },
    ],
    ['count=0: only the total', [], { totalResults: 42, startIndex: 1 }, { totalResults: 42, startIndex: 1, itemsPerPage: 0 }],
    ['a page past the end', [], { totalResults: 3, startIndex: 101 }, { totalResults: 3, startIndex: 101, itemsPerPage: 0 }],
  ])('%s', (_description, resources, page, expected) => {
    const response = listResponse(resources, page);
    expect({ totalResults: response.totalResults, startIndex: response.startIndex, itemsPerPage: response.itemsPerPage }).toEqual(expected);
    expect(response.Resources).toEqual(resources);
  });

  it('keeps the member order of the RFC examples', () => {
    expect(Object.keys(listResponse([], { totalResults: 0, startIndex: 1 }))).toEqual([
      'schemas',
      'totalResults',
      'startIndex',
      'itemsPerPage',
      'Resources',
    ]);
  });

  it('copies the resource array', () => {
    const resources = [{ id: 'a' }];
    const response = listResponse(resources, { totalResults: 1, startIndex: 1 });
    resources.push({ id: 'b' });
    expect(response.Resources).toHaveLength(1);
  });

  it.each<[string, unknown[], ListPage]>([
    ['totalResults below the page size (trap T19)', [{}, {}], { totalResults: 1, startIndex: 1 }],
    ['a fractional totalResults', [], { totalResults: 1.5, startIndex: 1 }],
    ['a negative totalResults', [], { totalResults: -1, startIndex: 1 }],
    ['a 0-based startIndex', [], { totalResults: 0, startIndex: 0 }],
    ['a startIndex sent as a string (trap T21)', [], { totalResults: 0, startIndex: Number('x') }],
    ['itemsPerPage other than the page size', [{}], { totalResults: 20, startIndex: 1, itemsPerPage: 20 }],
  ])('refuses %s', (_description, resources, page) => {
    expect(() => listResponse(resources, page)).toThrow(RangeError);
  });
});

describe('cursorListResponse', () => {
  it('carries nextCursor and previousCursor, and no startIndex (RFC 9865 §2)', () => {
    expect(cursorListResponse([{ id: 'a' }], { totalResults: 5, nextCursor: 'n', previousCursor: 'p' })).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 5,
      itemsPerPage: 1,
      nextCursor: 'n',
      previousCursor: 'p',
      Resources: [{ id: 'a' }],
    });
  });

  it('leaves nextCursor out on the last page', () => {
    const last = cursorListResponse([{ id: 'a' }], { totalResults: 1 });
    expect('nextCursor' in last).toBe(false);
    expect('previousCursor' in last).toBe(false);
  });

  it.each([{ totalResults: -1 }, { totalResults: 1.5 }, { totalResults: 3, nextCursor: '' }])('refuses %j', (page) => {
    expect(() => cursorListResponse([], page)).toThrow(RangeError);
  });
});
