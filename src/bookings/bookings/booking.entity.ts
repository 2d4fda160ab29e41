import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, Timestamped } from '../../database/columns';
import { Organisation } from '../../organisations/organisation.entity';
import { User } from '../../users/user.entity';
import { Resource } from '../resources/resource.entity';

export type BookingStatus = 'confirmed' | 'cancelled';
export type CancelledReason = 'cancelled_by_user' | 'cancelled_by_admin' | 'user_deactivated' | 'user_deleted';

@Entity('bookings')
@Index('IX_bookings_resource_start', ['resourceId', 'start'])
@Index('IX_bookings_user_start', ['userId', 'start'])
export class Booking extends Timestamped {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisationId' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 36 })
  resourceId!: string;

  @ManyToOne(() => Resource, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resourceId' })
  resource?: Resource;

  /**
   * Null once the user is deleted: past bookings stay for occupancy reporting without pointing at
   * a person any more.
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  /** Who made the booking when it was made on someone else's behalf. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  bookedById!: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'bookedById' })
  bookedBy?: User;

  @DateTimeColumn()
  start!: Date;

  @DateTimeColumn()
  end!: Date;

  @Column({ type: 'varchar', length: 16, default: 'confirmed' })
  status!: BookingStatus;

  @Column({ type: 'varchar', length: 32, nullable: true })
  cancelledReason!: CancelledReason | null;

  @DateTimeColumn({ nullable: true })
  cancelledAt!: Date | null;
}
