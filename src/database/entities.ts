import { AdminSession } from '../auth/admin-session.entity';
import { Booking } from '../bookings/bookings/booking.entity';
import { Resource } from '../bookings/resources/resource.entity';
import { Organisation } from '../organisations/organisation.entity';
import { OrganisationRowCount } from '../organisations/organisation-row-count.entity';
import { ProvisioningEvent } from '../scim/audit/provisioning-event.entity';
import { ScimRequestLog } from '../scim/audit/scim-request-log.entity';
import { ScimCredentials } from '../scim/auth/scim-credentials.entity';
import { Team, TeamMember } from '../teams/team.entity';
import { UserAddress, UserEmail, UserPhoneNumber } from '../users/user-contact.entity';
import { User } from '../users/user.entity';
import { UserWriteGuardSubscriber } from '../users/user-write-guard.subscriber';

/** Listed explicitly (not globbed) so the compiled app, ts-node and the tests see the same set. */
export const ENTITIES = [
  Organisation,
  OrganisationRowCount,
  User,
  UserEmail,
  UserPhoneNumber,
  UserAddress,
  Team,
  TeamMember,
  Resource,
  Booking,
  AdminSession,
  ScimCredentials,
  ScimRequestLog,
  ProvisioningEvent,
];

/** Subscribers that enforce rules on every write, whichever module makes it. */
export const SUBSCRIBERS = [UserWriteGuardSubscriber];
