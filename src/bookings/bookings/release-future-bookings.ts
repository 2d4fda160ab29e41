import { EntityManager, MoreThan } from 'typeorm';
import { Booking, type CancelledReason } from './booking.entity';

/**
 * Cancels a user's bookings that have not started yet, freeing their resources. Bookings already
 * under way or in the past stay as they are: they are history. Returns how many were released.
 */
export async function releaseFutureBookings(
  em: EntityManager,
  organisationId: string,
  userId: string,
  reason: CancelledReason,
  now = new Date(),
): Promise<number> {
  const result = await em.update(
    Booking,
    { organisationId, userId, status: 'confirmed', start: MoreThan(now) },
    { status: 'cancelled', cancelledReason: reason, cancelledAt: now, updatedAt: now },
  );
  return result.affected ?? 0;
}
