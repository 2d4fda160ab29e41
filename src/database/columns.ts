import { BeforeInsert, BeforeUpdate, Column, ColumnOptions } from 'typeorm';

/**
 * Timestamps with millisecond precision on MySQL/MariaDB (`datetime(3)`); SQLite stores the same
 * ISO text. Times are always UTC: the mysql driver runs with timezone 'Z'.
 */
export function DateTimeColumn(options: Omit<ColumnOptions, 'type' | 'precision'> = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, ...options });
}

/**
 * A boolean: `tinyint(1)` on MySQL/MariaDB (both report that display width, so the entity must
 * declare it for the drift check to agree), `boolean` on SQLite.
 */
export function BooleanColumn(options: { default: boolean }): PropertyDecorator {
  return Column({ type: 'boolean', width: 1, ...options });
}

/** createdAt/updatedAt stamped by the application, so both databases store identical values. */
export abstract class Timestamped {
  @DateTimeColumn()
  createdAt!: Date;

  @DateTimeColumn()
  updatedAt!: Date;

  @BeforeInsert()
  protected stampCreation(): void {
    const now = new Date();
    this.createdAt ??= now;
    this.updatedAt ??= now;
  }

  @BeforeUpdate()
  protected stampUpdate(): void {
    this.updatedAt = new Date();
  }
}
