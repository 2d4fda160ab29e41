/** What every secret found in a log line is replaced with; the same word pino's `redact` writes. */
export const REDACTED = '[Redacted]';

/**
 * Patterns of secrets that can hide inside free text: error messages and stacks, and messages
 * that interpolate an exception. Headers are redacted by path (see pino-options.ts); these catch
 * what a path cannot name.
 */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // A credential after its HTTP auth scheme, e.g. an Authorization header quoted in an error.
  [/\b(Bearer|Basic)\s+(?!\[Redacted\])[^\s"',;)}\]]+/gi, `$1 ${REDACTED}`],
  // SHA-256 in hex: how SCIM and session tokens are stored, so what a failed query's parameters hold.
  [/\b[0-9a-f]{64}\b/gi, REDACTED],
  // MySQL/MariaDB repeat the offending value in duplicate-key errors ("Duplicate entry '<value>' for key …").
  [/(Duplicate entry ')(?:[^'\\]|\\.)*(')/gi, `$1${REDACTED}$2`],
];

/** The text with every recognisable secret replaced by [Redacted]. */
export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((scrubbed, [pattern, replacement]) => scrubbed.replace(pattern, replacement), text);
}
