import type { ResourceType } from '../resources/resource.entity';

/** The longest single booking; a desk for a month is a booking mistake, not a plan. */
export const MAX_BOOKING_MS = 14 * 24 * 60 * 60 * 1000;

export type PeriodProblem = 'end_not_after_start' | 'ends_in_past' | 'too_long';

/** What is wrong with a booking period, if anything. Pure, so the rules read and test in one place. */
export function periodProblem(start: Date, end: Date, now: Date): PeriodProblem | null {
  if (end.getTime() <= start.getTime()) return 'end_not_after_start';
  if (end.getTime() <= now.getTime()) return 'ends_in_past';
  if (end.getTime() - start.getTime() > MAX_BOOKING_MS) return 'too_long';
  return null;
}

/** Half-open periods [start, end): a booking ending at 10:00 and one starting at 10:00 do not overlap. */
export function periodsOverlap(a: { start: Date; end: Date }, b: { start: Date; end: Date }): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

export interface BookingPermissions {
  canBookDesks: boolean;
  canBookRooms: boolean;
  canBookParking: boolean;
}

export function mayBookResourceType(user: BookingPermissions, type: ResourceType): boolean {
  switch (type) {
    case 'desk':
      return user.canBookDesks;
    case 'room':
      return user.canBookRooms;
    case 'parking':
      return user.canBookParking;
  }
}
