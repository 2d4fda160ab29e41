import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { BooleanColumn, DateTimeColumn, Timestamped } from '../../database/columns';
import { Organisation } from '../../organisations/organisation.entity';

/**
 * An organisation's SCIM connection: whether provisioning is on and the hash of its one bearer
 * token. The token itself is shown once, when it is issued, and never stored.
 */
@Entity('scim_credentials')
export class ScimCredentials extends Timestamped {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  organisationId!: string;

  @OneToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisationId' })
  organisation?: Organisation;

  @BooleanColumn({ default: false })
  enabled!: boolean;

  /** SHA-256 of the current token (hex); null while SCIM is off. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  tokenHash!: string | null;

  @DateTimeColumn({ nullable: true })
  tokenCreatedAt!: Date | null;

  @DateTimeColumn({ nullable: true })
  lastActivityAt!: Date | null;
}
