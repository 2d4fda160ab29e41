/**
 * The little the filter and sort compilers need to know about the database they write for. Deliberately not a
 * TypeORM type: a repository builds one from its DataSource (`{ kind, escape: (name) => driver.escape(name) }`),
 * and the compilers stay pure functions that unit tests call without a database.
 */
export interface SqlDialect {
  readonly kind: 'sqlite' | 'mysql';
  /** Quotes an identifier the way the driver does (`"users"` on SQLite, `` `users` `` on MariaDB/MySQL). */
  escape(identifier: string): string;
}

/** Quotes identifiers as TypeORM's better-sqlite3 driver does. */
export const SQLITE_DIALECT: SqlDialect = Object.freeze({
  kind: 'sqlite',
  escape: (identifier: string) => `"${identifier.replace(/"/g, '""')}"`,
});

/** Quotes identifiers as TypeORM's mysql/mariadb driver does. */
export const MYSQL_DIALECT: SqlDialect = Object.freeze({
  kind: 'mysql',
  escape: (identifier: string) => `\`${identifier.replace(/`/g, '``')}\``,
});

/** The dialect of a TypeORM connection type (`dataSource.options.type`). */
export function dialectFor(databaseType: string): SqlDialect {
  return databaseType === 'better-sqlite3' ? SQLITE_DIALECT : MYSQL_DIALECT;
}

/** `"alias"."column"`. */
export function qualifiedColumn(dialect: SqlDialect, alias: string, column: string): string {
  return `${dialect.escape(alias)}.${dialect.escape(column)}`;
}

/**
 * The right-hand side of an exact string comparison (`=`, `<>`, `<`, …). Our MariaDB text columns are
 * `utf8mb4_bin`, a PAD SPACE collation: there `'abc' = 'abc '` and `'  ' = ''` are true, while SQLite and the
 * in-memory evaluator compare every character. Comparing with a binary string makes MariaDB/MySQL compare bytes
 * without padding (UTF-8 bytes sort in code point order, as on SQLite), and an index on the column still serves
 * the comparison (checked with EXPLAIN on MariaDB 10.11).
 */
export function exactString(dialect: SqlDialect, operand: string): string {
  return dialect.kind === 'mysql' ? `BINARY ${operand}` : operand;
}

/**
 * "Has a value" (RFC 7643 §2.5, the `pr` operator): not NULL and, for text, not the empty string. Parenthesised
 * when it is more than one test, so it can be embedded anywhere.
 */
export function presentSql(dialect: SqlDialect, column: string, options: { isText: boolean; nullable: boolean }): string {
  const notEmpty = `${column} <> ${exactString(dialect, "''")}`;
  if (!options.isText) return `${column} IS NOT NULL`;
  return options.nullable ? `(${column} IS NOT NULL AND ${notEmpty})` : notEmpty;
}
