import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Organisation } from '../../organisations/organisation.entity';
import { DateTimeColumn } from '../../database/columns';

/**
 * One SCIM call, for the organisation's provisioning log: what was asked and how it ended. Never
 * the token, never a request body (it can carry passwords and personal data).
 */
@Entity('scim_request_log')
@Index('IX_scim_request_log_org_at', ['organisationId', 'at'])
export class ScimRequestLog {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisationId' })
  organisation?: Organisation;

  @DateTimeColumn()
  at!: Date;

  @Column({ type: 'varchar', length: 8 })
  method!: string;

  /** Path and query string as received, cut to 1024 characters. */
  @Column({ type: 'varchar', length: 1024 })
  path!: string;

  @Column({ type: 'integer' })
  status!: number;

  @Column({ type: 'integer' })
  durationMs!: number;

  /** The id the call addressed or created, when there is one. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  resourceId!: string | null;
}
