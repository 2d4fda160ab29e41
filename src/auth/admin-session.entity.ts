import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../database/columns';
import { User } from '../users/user.entity';

/**
 * An admin API access token. Only its SHA-256 hash is stored; the token itself is shown once at
 * login. Sessions live in the database so that deactivating a user ends their access at once.
 */
@Entity('admin_sessions')
@Index('UQ_admin_sessions_token_hash', ['tokenHash'], { unique: true })
export class AdminSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: User;

  @DateTimeColumn()
  createdAt!: Date;

  @DateTimeColumn()
  expiresAt!: Date;
}
