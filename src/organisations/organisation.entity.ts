import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Timestamped } from '../database/columns';

/** A tenant: every user, team, resource and booking belongs to exactly one organisation. */
@Entity('organisations')
@Index('UQ_organisations_slug', ['slug'], { unique: true })
export class Organisation extends Timestamped {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Lower-case, URL-safe and unique; appears in SCIM tenant URLs. */
  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;
}
