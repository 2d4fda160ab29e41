import type { User, UserManager, UserRole } from './user.entity';

export interface UserPermissions {
  canBookDesks: boolean;
  canBookRooms: boolean;
  canBookParking: boolean;
  canBookOnBehalf: boolean;
}

/** A user as the admin API and the CLI show it. */
export interface UserView {
  id: string;
  organisationId: string;
  userName: string;
  email: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  jobTitle: string | null;
  department: string | null;
  phone: string | null;
  externalId: string | null;
  active: boolean;
  role: UserRole;
  permissions: UserPermissions;
  managedBy: UserManager | null;
  createdAt: string;
  updatedAt: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    organisationId: user.organisationId,
    userName: user.userName,
    email: user.email,
    displayName: user.displayName,
    givenName: user.givenName,
    familyName: user.familyName,
    jobTitle: user.jobTitle,
    department: user.department,
    phone: user.phone,
    externalId: user.externalId,
    active: user.active,
    role: user.role,
    permissions: {
      canBookDesks: user.canBookDesks,
      canBookRooms: user.canBookRooms,
      canBookParking: user.canBookParking,
      canBookOnBehalf: user.canBookOnBehalf,
    },
    managedBy: user.managedBy,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
