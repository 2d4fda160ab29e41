import { QueryRunner, Table } from 'typeorm';
import type { TableOptions } from 'typeorm/schema-builder/options/TableOptions';

/**
 * createTable for migrations that must behave the same on SQLite and MariaDB/MySQL.
 *
 * SQLite compares text byte by byte. MariaDB/MySQL compare with the database's default collation,
 * usually case- and accent-insensitive (utf8mb4_general_ci takes "José" and "jose" as equal), so
 * unique indexes and lookups would answer differently. Binary collation on every text column
 * makes both databases agree; case-insensitivity comes from the normalised columns, explicitly.
 * Shared by migrations, so it must never change meaning once a migration that uses it has landed.
 */
export function createPortableTable(queryRunner: QueryRunner, options: TableOptions): Promise<void> {
  const isSqlite = queryRunner.connection.options.type === 'better-sqlite3';
  const columns = options.columns?.map((column) =>
    column.type === 'varchar' && !isSqlite ? { ...column, charset: 'utf8mb4', collation: 'utf8mb4_bin' } : column,
  );
  return queryRunner.createTable(new Table({ ...options, columns }));
}
