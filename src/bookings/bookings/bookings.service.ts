import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, LessThan, MoreThan } from 'typeorm';
import { isAdmin, type Actor } from '../../auth/actor';
import { DomainError, NotFoundError } from '../../common/domain-error';
import { TransactionService, writeLock } from '../../database/transaction.service';
import { findUserInOrganisation } from '../../users/users.service';
import { Resource } from '../resources/resource.entity';
import { Booking, type BookingStatus, type CancelledReason } from './booking.entity';
import { mayBookResourceType, periodProblem, type PeriodProblem } from './booking-rules';

export interface BookingView {
  id: string;
  resourceId: string;
  userId: string | null;
  bookedById: string | null;
  start: string;
  end: string;
  status: BookingStatus;
  cancelledReason: CancelledReason | null;
  cancelledAt: string | null;
  createdAt: string;
}

export interface BookingRequest {
  resourceId: string;
  /** Defaults to the caller. */
  userId?: string;
  start: Date;
  end: Date;
}

export interface BookingQuery {
  userId?: string;
  resourceId?: string;
  status?: BookingStatus;
  from?: Date;
  to?: Date;
}

const PERIOD_MESSAGES: Record<PeriodProblem, string> = {
  end_not_after_start: 'end must be after start',
  ends_in_past: 'the booking would end in the past',
  too_long: 'a booking may last at most 14 days',
};

@Injectable()
export class BookingsService {
  constructor(
    private readonly transactions: TransactionService,
    private readonly dataSource: DataSource,
  ) {}

  async book(actor: Actor, request: BookingRequest): Promise<BookingView> {
    const problem = periodProblem(request.start, request.end, new Date());
    if (problem) throw new DomainError('VALIDATION_FAILED', PERIOD_MESSAGES[problem], { fields: ['start', 'end'], problem });
    const userId = request.userId ?? actor.userId;
    if (userId !== actor.userId && !isAdmin(actor) && !actor.canBookOnBehalf) {
      throw new DomainError('FORBIDDEN', 'you may only book for yourself');
    }

    return this.transactions.run(async (em) => {
      // Locking the resource row serialises bookings of one resource, so two concurrent requests
      // cannot both pass the overlap check.
      const resource = await em.findOne(Resource, {
        where: { id: request.resourceId, organisationId: actor.organisationId },
        ...writeLock(em),
      });
      if (!resource) throw new NotFoundError('RESOURCE_NOT_FOUND', 'resource', request.resourceId);
      // Locking the user too makes a concurrent deactivation or deletion either finish first (and
      // we see it) or wait for this booking and then release it with the user's other future
      // bookings. Unlocked, a booking could slip in after that release and outlive the user's access.
      const user = await findUserInOrganisation(em, actor.organisationId, userId, writeLock(em));
      if (!user.active) throw new DomainError('USER_INACTIVE', 'inactive users cannot book', { userId });
      if (!mayBookResourceType(user, resource.type)) {
        throw new DomainError('BOOKING_NOT_PERMITTED', `this user may not book a ${resource.type}`, { userId, type: resource.type });
      }
      await this.assertResourceFree(em, resource.id, request.start, request.end);

      const booking = em.create(Booking, {
        id: randomUUID(),
        organisationId: actor.organisationId,
        resourceId: resource.id,
        userId,
        bookedById: userId === actor.userId ? null : actor.userId,
        start: request.start,
        end: request.end,
        status: 'confirmed',
        cancelledReason: null,
        cancelledAt: null,
      });
      return toBookingView(await em.save(booking));
    });
  }

  async list(actor: Actor, query: BookingQuery): Promise<{ items: BookingView[] }> {
    if (!isAdmin(actor) && query.userId !== undefined && query.userId !== actor.userId) {
      throw new DomainError('FORBIDDEN', 'you may only list your own bookings');
    }
    const userId = isAdmin(actor) ? query.userId : actor.userId;
    const bookings = await this.dataSource.getRepository(Booking).find({
      where: {
        organisationId: actor.organisationId,
        ...(userId !== undefined && { userId }),
        ...(query.resourceId !== undefined && { resourceId: query.resourceId }),
        ...(query.status !== undefined && { status: query.status }),
        ...(query.from !== undefined && { end: MoreThan(query.from) }),
        ...(query.to !== undefined && { start: LessThan(query.to) }),
      },
      order: { start: 'ASC', id: 'ASC' },
      take: 500,
    });
    return { items: bookings.map(toBookingView) };
  }

  async get(actor: Actor, id: string): Promise<BookingView> {
    return toBookingView(await findVisibleBooking(this.dataSource.manager, actor, id));
  }

  async cancel(actor: Actor, id: string): Promise<void> {
    await this.transactions.run(async (em) => {
      // Locked, so of two concurrent cancellations the second sees the first and gets 409.
      const booking = await findVisibleBooking(em, actor, id, writeLock(em));
      if (booking.status === 'cancelled') throw new DomainError('BOOKING_ALREADY_CANCELLED', 'this booking is already cancelled');
      const mine = booking.userId === actor.userId || booking.bookedById === actor.userId;
      booking.status = 'cancelled';
      booking.cancelledReason = mine ? 'cancelled_by_user' : 'cancelled_by_admin';
      booking.cancelledAt = new Date();
      await em.save(booking);
    });
  }

  private async assertResourceFree(em: EntityManager, resourceId: string, start: Date, end: Date): Promise<void> {
    const clash = await em.findOne(Booking, {
      where: { resourceId, status: 'confirmed', start: LessThan(end), end: MoreThan(start) },
      select: { id: true, start: true, end: true },
    });
    if (clash) {
      throw new DomainError('BOOKING_OVERLAP', 'the resource is already booked for part of this period', {
        conflictingBookingId: clash.id,
        conflictingStart: clash.start.toISOString(),
        conflictingEnd: clash.end.toISOString(),
      });
    }
  }
}

/** Admins see every booking of their organisation; others see those they hold or made. */
async function findVisibleBooking(em: EntityManager, actor: Actor, id: string, lock: ReturnType<typeof writeLock> = {}): Promise<Booking> {
  const booking = await em.findOne(Booking, { where: { id, organisationId: actor.organisationId }, ...lock });
  const visible = booking && (isAdmin(actor) || booking.userId === actor.userId || booking.bookedById === actor.userId);
  if (!visible) throw new NotFoundError('BOOKING_NOT_FOUND', 'booking', id);
  return booking;
}

function toBookingView(booking: Booking): BookingView {
  return {
    id: booking.id,
    resourceId: booking.resourceId,
    userId: booking.userId,
    bookedById: booking.bookedById,
    start: booking.start.toISOString(),
    end: booking.end.toISOString(),
    status: booking.status,
    cancelledReason: booking.cancelledReason,
    cancelledAt: booking.cancelledAt?.toISOString() ?? null,
    createdAt: booking.createdAt.toISOString(),
  };
}
