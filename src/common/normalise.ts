/**
 * The one normal form for case-insensitive keys (userName, email, team and resource names):
 * Unicode NFC, then lower case. Stored beside the original in a uniquely indexed column.
 */
export function normaliseKey(value: string): string {
  return value.normalize('NFC').toLowerCase();
}

/**
 * The escape character for LIKE patterns. Not a backslash: MariaDB string literals would need it
 * doubled and SQLite would not, so `ESCAPE '!'` is the spelling both read the same way.
 */
export const LIKE_ESCAPE = '!';

/** `%value%` with LIKE wildcards in the value matched literally; use with `ESCAPE '!'`. */
export function containsPattern(value: string): string {
  return `%${value.replace(/[!%_]/g, (char) => `${LIKE_ESCAPE}${char}`)}%`;
}
