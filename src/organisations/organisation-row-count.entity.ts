import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Organisation } from './organisation.entity';

/**
 * How many rows an organisation has in a counted table (`users`, `teams`), kept in the transactions that insert and
 * delete them (organisation-row-counts.ts), so a SCIM list can tell `totalResults` without counting every row.
 * The count is the SUM over the organisation's slots: each writer adds to a slot of its own (on MariaDB one per
 * connection), so concurrent creates in one organisation do not queue on a single counter row. A slot may go
 * below zero (a user created through one connection and deleted through another); only the sum means anything.
 */
@Entity('organisation_row_counts')
export class OrganisationRowCount {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisationId' })
  organisation?: Organisation;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  tableName!: string;

  @PrimaryColumn({ type: 'integer' })
  slot!: number;

  @Column({ type: 'integer' })
  total!: number;

  /**
   * How many inserts and deletes of counted rows this slot has seen. Only ever grows, so the organisation's sum is a
   * version of its rows' positions in the list order (scim/persistence/position-anchors.ts).
   */
  @Column({ type: 'integer', default: 0 })
  changes!: number;
}
