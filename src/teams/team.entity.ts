import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { DateTimeColumn, Timestamped } from '../database/columns';
import { Organisation } from '../organisations/organisation.entity';
import { User } from '../users/user.entity';

@Entity('teams')
@Index('UQ_teams_org_name', ['organisationId', 'nameNormalized'], { unique: true })
// The default list order (creation time, then id) for index and cursor paging.
@Index('IX_teams_org_created', ['organisationId', 'createdAt', 'id'])
export class Team extends Timestamped {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisationId' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 255 })
  nameNormalized!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  managedBy!: 'scim' | null;

  @VersionColumn()
  version!: number;
}

/**
 * One row per membership, so adding or removing members is an insert or delete of rows and never
 * a rewrite of the whole list (groups of 10,000 members stay cheap to change).
 */
@Entity('team_members')
@Index('IX_team_members_user', ['userId'])
export class TeamMember {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  teamId!: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'teamId' })
  team?: Team;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @DateTimeColumn()
  addedAt!: Date;
}
