import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { BooleanColumn } from '../database/columns';
import { User } from './user.entity';

// A user's multi-valued contact attributes (SCIM emails, phoneNumbers, addresses), one row per
// element. Child tables rather than JSON columns: filters such as
// `emails[type eq "work"].value eq "x"` must test type and value on the same element, on an
// index, identically on SQLite and MariaDB, and JSON functions differ between the two.
// `position` keeps the order the identity provider sent; `organisationId` lets a filter find
// matching users through an index without visiting every user of the organisation.

abstract class UserContactElement {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  organisationId!: string;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  type!: string | null;

  @BooleanColumn({ default: false })
  isPrimary!: boolean;
}

@Entity('user_emails')
@Index('IX_user_emails_user', ['userId', 'position'])
@Index('IX_user_emails_org_value', ['organisationId', 'valueNormalized'])
export class UserEmail extends UserContactElement {
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 320 })
  value!: string;

  /** Lower-cased value: email addresses compare case-insensitively (caseExact false). */
  @Column({ type: 'varchar', length: 320 })
  valueNormalized!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  display!: string | null;
}

@Entity('user_phone_numbers')
@Index('IX_user_phone_numbers_user', ['userId', 'position'])
export class UserPhoneNumber extends UserContactElement {
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  /** Stored exactly as sent; numbers are not reformatted. */
  @Column({ type: 'varchar', length: 128 })
  value!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  display!: string | null;
}

@Entity('user_addresses')
@Index('IX_user_addresses_user', ['userId', 'position'])
export class UserAddress extends UserContactElement {
  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  formatted!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  streetAddress!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  locality!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  region!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  postalCode!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  country!: string | null;
}
