import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AdminSession } from '../auth/admin-session.entity';
import { releaseFutureBookings } from '../bookings/bookings/release-future-bookings';
import { rowsRemoved } from '../organisations/organisation-row-counts';
import { assertAppMayDeleteUser, asUserWriter, userWriterOf } from './managed-by-scim.policy';
import { User } from './user.entity';

/**
 * What losing access means, wherever it happens (admin API, SCIM, CLI): sessions end and future
 * bookings are released. Runs inside the caller's transaction.
 */
@Injectable()
export class UserLifecycleService {
  /** Call after a user went from active to inactive. Returns how many bookings were released. */
  async deactivated(em: EntityManager, user: User): Promise<number> {
    await em.delete(AdminSession, { userId: user.id });
    return releaseFutureBookings(em, user.organisationId, user.id, 'user_deactivated');
  }

  /**
   * Deletes the user, if the SCIM policy allows the writer to. Past bookings keep their rows with
   * userId set to null (foreign key ON DELETE SET NULL), so occupancy history survives without
   * personal data; team memberships, contact details and sessions go with the user (ON DELETE
   * CASCADE). Returns how many future bookings were released.
   */
  async delete(em: EntityManager, user: User): Promise<number> {
    const writer = userWriterOf(em.queryRunner?.data) === 'scim' ? 'scim' : 'policy-checked';
    if (writer !== 'scim') assertAppMayDeleteUser(user);
    const released = await releaseFutureBookings(em, user.organisationId, user.id, 'user_deleted');
    const deleted = await asUserWriter(em, writer, () => em.delete(User, { id: user.id, organisationId: user.organisationId }));
    await rowsRemoved(em, 'users', user.organisationId, deleted.affected ?? 0);
    return released;
  }
}
