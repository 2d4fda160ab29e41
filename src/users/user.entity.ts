import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { BooleanColumn, Timestamped } from '../database/columns';
import { Organisation } from '../organisations/organisation.entity';

export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Who owns a user's identity fields: the app (null) or the organisation's identity provider. */
export type UserManager = 'scim';

/**
 * The app's one user model. SCIM maps onto it directly (no separate SCIM table), so `id` is the
 * same everywhere. Identity fields describe the person; permission fields say what they may do
 * here and stay with the app's admins even when an identity provider manages the identity.
 */
@Entity('users')
@Index('UQ_users_org_user_name', ['organisationId', 'userNameNormalized'], { unique: true })
@Index('IX_users_org_email', ['organisationId', 'emailNormalized'])
@Index('IX_users_org_external_id', ['organisationId', 'externalId', 'createdAt', 'id'])
// The default list order (creation time, then id) for index and cursor paging.
@Index('IX_users_org_created', ['organisationId', 'createdAt', 'id'])
export class User extends Timestamped {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisationId' })
  organisation?: Organisation;

  // --- identity fields -------------------------------------------------------------------------

  @Column({ type: 'varchar', length: 255 })
  userName!: string;

  /**
   * Lower-cased userName with the unique index: case-insensitive uniqueness that behaves the same
   * on SQLite (binary comparison) and MariaDB (case-insensitive collations).
   */
  @Column({ type: 'varchar', length: 255 })
  userNameNormalized!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  emailNormalized!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  displayName!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  givenName!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  familyName!: string | null;

  @BooleanColumn({ default: true })
  active!: boolean;

  @Column({ type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  jobTitle!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  department!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  phone!: string | null;

  // The rest of the SCIM core and enterprise User attributes, stored as sent.

  @Column({ type: 'varchar', length: 512, nullable: true })
  nameFormatted!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  middleName!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  honorificPrefix!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  honorificSuffix!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  nickName!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  profileUrl!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  userType!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  preferredLanguage!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  locale!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  employeeNumber!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  costCenter!: string | null;

  /** The enterprise extension's `organization` (a division of the company, not our tenant). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  organization!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  division!: string | null;

  /**
   * The manager's id as the identity provider sent it. No foreign key: Entra may send a manager
   * before provisioning them, and the reference is informational here (guide Q10).
   */
  @Column({ type: 'varchar', length: 255, nullable: true })
  managerId!: string | null;

  // --- permission fields -----------------------------------------------------------------------

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role!: UserRole;

  @BooleanColumn({ default: true })
  canBookDesks!: boolean;

  @BooleanColumn({ default: true })
  canBookRooms!: boolean;

  @BooleanColumn({ default: false })
  canBookParking!: boolean;

  @BooleanColumn({ default: false })
  canBookOnBehalf!: boolean;

  // --- bookkeeping -----------------------------------------------------------------------------

  @Column({ type: 'varchar', length: 16, nullable: true })
  managedBy!: UserManager | null;

  /** scrypt hash (see auth/password-hasher.ts); null for users who never sign in with a password. */
  @Column({ type: 'varchar', length: 255, nullable: true, select: false })
  passwordHash?: string | null;

  @VersionColumn()
  version!: number;
}
