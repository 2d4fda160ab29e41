import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AdminSession } from '../auth/admin-session.entity';
import { releaseFutureBookings } from '../bookings/bookings/release-future-bookings';
import { User } from './user.entity';

/**
 * What losing access means, wherever it happens (admin API, SCIM, CLI): sessions end and future
 * bookings are released. Runs inside the caller's transaction.
 */
@Injectable()
export class UserLifecycleService {
  /** Call after a user went from active to inactive. */
  async deactivated(em: EntityManager, user: User): Promise<void> {
    await em.delete(AdminSession, { userId: user.id });
    await releaseFutureBookings(em, user.organisationId, user.id, 'user_deactivated');
  }

  /**
   * Deletes the user. Past bookings keep their rows with userId set to null (foreign key ON DELETE
   * SET NULL), so occupancy history survives without personal data; team memberships, contact
   * details and sessions go with the user (ON DELETE CASCADE).
   */
  async delete(em: EntityManager, user: User): Promise<void> {
    await releaseFutureBookings(em, user.organisationId, user.id, 'user_deleted');
    await em.delete(User, { id: user.id, organisationId: user.organisationId });
  }
}
