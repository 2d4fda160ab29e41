import { MAX_BOOKING_MS, mayBookResourceType, periodProblem, periodsOverlap } from './booking-rules';

const at = (hour: number, day = 2) => new Date(Date.UTC(2030, 0, day, hour));
const now = at(0, 1);

describe('periodProblem', () => {
  it('accepts a future period', () => expect(periodProblem(at(9), at(17), now)).toBeNull());
  it('accepts a period under way', () => expect(periodProblem(at(9, 1), at(17, 2), at(12, 1))).toBeNull());
  it('refuses an end at or before the start', () => {
    expect(periodProblem(at(9), at(9), now)).toBe('end_not_after_start');
    expect(periodProblem(at(10), at(9), now)).toBe('end_not_after_start');
  });
  it('refuses a period that is over', () => expect(periodProblem(at(1, 1), at(2, 1), at(3, 1))).toBe('ends_in_past'));
  it('refuses a period longer than the maximum', () => {
    expect(periodProblem(at(0), new Date(at(0).getTime() + MAX_BOOKING_MS), now)).toBeNull();
    expect(periodProblem(at(0), new Date(at(0).getTime() + MAX_BOOKING_MS + 1), now)).toBe('too_long');
  });
});

describe('periodsOverlap', () => {
  const morning = { start: at(9), end: at(12) };
  it.each([
    ['identical', { start: at(9), end: at(12) }, true],
    ['inside', { start: at(10), end: at(11) }, true],
    ['enclosing', { start: at(8), end: at(13) }, true],
    ['straddling the start', { start: at(8), end: at(10) }, true],
    ['straddling the end', { start: at(11), end: at(14) }, true],
    ['touching at the end', { start: at(12), end: at(14) }, false],
    ['touching at the start', { start: at(7), end: at(9) }, false],
    ['apart', { start: at(13), end: at(14) }, false],
  ])('%s → %s', (_name, other, expected) => {
    expect(periodsOverlap(morning, other)).toBe(expected);
    expect(periodsOverlap(other, morning)).toBe(expected);
  });
});

describe('mayBookResourceType', () => {
  const user = { canBookDesks: true, canBookRooms: false, canBookParking: true };
  it('follows the permission for each type', () => {
    expect(mayBookResourceType(user, 'desk')).toBe(true);
    expect(mayBookResourceType(user, 'room')).toBe(false);
    expect(mayBookResourceType(user, 'parking')).toBe(true);
  });
});
