import { ScimError } from '../protocol/errors/scim-error';
import { GROUP_FILTER_MAP } from './group-filter-columns';
import { keysetCondition, keysetSort, positionOf } from './keyset-pagination';
import { MYSQL_DIALECT, SQLITE_DIALECT } from './sql-dialect';
import { USER_FILTER_MAP } from './user-filter-columns';

describe('keysetSort', () => {
  it('keys the default order on creation time, then id', () => {
    const sort = keysetSort({}, USER_FILTER_MAP, SQLITE_DIALECT, 'user');
    expect(sort).toMatchObject({ keyColumn: 'createdAt', keyType: 'dateTime', order: 'ASC' });
    expect(sort.terms.map((term) => `${term.expression} ${term.order}`)).toEqual(['"user"."createdAt" ASC', '"user"."id" ASC']);
  });

  it('keys a case-insensitive attribute on its lower-cased column', () => {
    expect(keysetSort({ sortBy: 'userName', sortOrder: 'descending' }, USER_FILTER_MAP, MYSQL_DIALECT, 'user')).toMatchObject({
      keyColumn: 'userNameNormalized',
      order: 'DESC',
    });
    expect(keysetSort({ sortBy: 'displayName' }, GROUP_FILTER_MAP, SQLITE_DIALECT, 'team')).toMatchObject({ keyColumn: 'nameNormalized' });
  });

  it.each(['displayName', 'name.familyName', 'externalId', 'title'])(
    'refuses sortBy %s, which may be empty, with 400 invalidValue',
    (sortBy) => {
      expect(() => keysetSort({ sortBy }, USER_FILTER_MAP, SQLITE_DIALECT, 'user')).toThrow(ScimError);
      try {
        keysetSort({ sortBy }, USER_FILTER_MAP, SQLITE_DIALECT, 'user');
      } catch (error) {
        expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
        expect((error as ScimError).detail).toMatch(/cannot be combined with cursor paging/);
      }
    },
  );
});

describe('keysetCondition', () => {
  const id = 'bd2c61d9-3e02-4756-b772-55d3a5467af6';

  it('seeks past the key and id of the last row, with a leading range on the key', () => {
    const sort = keysetSort({}, USER_FILTER_MAP, MYSQL_DIALECT, 'user');
    const condition = keysetCondition(sort, { direction: 'after', key: '2026-01-02T03:04:05.678Z', id });
    expect(condition.where).toBe(
      '(`user`.`createdAt` >= :cursorKey AND (`user`.`createdAt` > :cursorKey OR (`user`.`createdAt` = :cursorKey AND `user`.`id` > :cursorId)))',
    );
    expect(condition.parameters).toEqual({ cursorKey: new Date('2026-01-02T03:04:05.678Z'), cursorId: id });
  });

  it('compares strings byte-wise on MariaDB, as the ORDER BY does', () => {
    const sort = keysetSort({ sortBy: 'userName' }, USER_FILTER_MAP, MYSQL_DIALECT, 'user');
    expect(keysetCondition(sort, { direction: 'after', key: 'ann', id }).where).toContain(
      '`user`.`userNameNormalized` > BINARY :cursorKey',
    );
  });

  it.each([
    ['after', 'ASC', '>'],
    ['before', 'ASC', '<'],
    ['after', 'DESC', '<'],
    ['before', 'DESC', '>'],
  ] as const)('goes %s in %s order with %s', (direction, order, operator) => {
    const sort = keysetSort(
      { sortBy: 'id', sortOrder: order === 'ASC' ? 'ascending' : 'descending' },
      USER_FILTER_MAP,
      SQLITE_DIALECT,
      'u',
    );
    expect(keysetCondition(sort, { direction, key: id, id })).toEqual({
      where: `"u"."id" ${operator} :cursorId`,
      parameters: { cursorId: id },
    });
  });

  it.each([
    ['a date key that is not a date', {}, 'yesterday'],
    ['a date key that is not canonical', {}, '2026-01-02T03:04:05Z'],
    ['a boolean key for a string column', { sortBy: 'userName' }, true],
    ['a string key for a boolean column', { sortBy: 'active' }, 'true'],
  ])('refuses %s with 400 invalidCursor', (_, request, key) => {
    const sort = keysetSort(request, USER_FILTER_MAP, SQLITE_DIALECT, 'user');
    expect(() => keysetCondition(sort, { direction: 'after', key, id })).toThrow(expect.objectContaining({ scimType: 'invalidCursor' }));
  });
});

describe('positionOf', () => {
  it('reads the key and id of a row, dates as ISO strings', () => {
    const sort = keysetSort({}, USER_FILTER_MAP, SQLITE_DIALECT, 'user');
    const createdAt = new Date('2026-01-02T03:04:05.678Z');
    expect(positionOf(sort, 'after', { id: 'x', createdAt })).toEqual({ direction: 'after', key: '2026-01-02T03:04:05.678Z', id: 'x' });
  });
});
