import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Timestamped } from '../../database/columns';
import { Organisation } from '../../organisations/organisation.entity';

export const RESOURCE_TYPES = ['desk', 'room', 'parking'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Something bookable: a desk, a meeting room or a parking space. */
@Entity('resources')
@Index('UQ_resources_org_name', ['organisationId', 'nameNormalized'], { unique: true })
export class Resource extends Timestamped {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisationId' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  nameNormalized!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: ResourceType;
}
