import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../database/columns';
import { Organisation } from '../../organisations/organisation.entity';

export const PROVISIONING_OPERATIONS = [
  'create',
  'update',
  'deactivate',
  'reactivate',
  'delete',
  'adopt',
  'bookings_released',
  'rejected',
] as const;
export type ProvisioningOperation = (typeof PROVISIONING_OPERATIONS)[number];
export type ProvisioningOutcome = 'success' | 'failure';

/**
 * What the identity provider did to the organisation's people, as the integrations page shows it:
 * one row per effect (a deactivation that released bookings is two rows). Names the attributes
 * that changed, never their values.
 */
@Entity('provisioning_events')
@Index('IX_provisioning_events_org_at', ['organisationId', 'at'])
export class ProvisioningEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisationId' })
  organisation?: Organisation;

  @DateTimeColumn()
  at!: Date;

  @Column({ type: 'varchar', length: 32 })
  operation!: ProvisioningOperation;

  /** No foreign key: the event outlives a deleted user. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  userId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  userName!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: ProvisioningOutcome;

  @Column({ type: 'integer' })
  httpStatus!: number;

  @Column({ type: 'varchar', length: 1024 })
  summary!: string;
}
