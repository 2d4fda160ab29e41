import type { UserRole } from '../users/user.entity';

/** Who is calling the admin API: the signed-in user, always inside one organisation. */
export interface Actor {
  userId: string;
  organisationId: string;
  role: UserRole;
  canBookOnBehalf: boolean;
}

export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';
