import type { UserRole } from '../users/user.entity';

/** Who is calling the admin API: the signed-in user, always inside one organisation. */
export interface Actor {
  /** The admin session the caller's token opened; signing out ends it (and only it). */
  sessionId: string;
  userId: string;
  organisationId: string;
  role: UserRole;
  canBookOnBehalf: boolean;
}

export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';
