/**
 * The filter AST (RFC 7644 §3.4.2.2). Names are kept exactly as the client wrote them, so error messages and
 * logs can quote them; compare them only through `attributePathKey` or `normaliseName`, because SCIM attribute names
 * are case-insensitive.
 */

/** An attribute with its optional schema URN, before any sub-attribute: `emails`, `urn:…:User:manager`. */
export interface AttributeName {
  /** The schema URN prefix as written, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
  readonly schema?: string;
  readonly name: string;
}

/** `userName`, `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`. */
export interface AttributePath extends AttributeName {
  readonly subAttribute?: string;
}

export type ComparisonOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A JSON literal: strings arrive decoded (`"CONTOSO\\ann"` holds one backslash). */
export type ComparisonValue = string | number | boolean | null;

export type FilterNode =
  | { readonly kind: 'compare'; readonly path: AttributePath; readonly operator: ComparisonOperator; readonly value: ComparisonValue }
  | { readonly kind: 'present'; readonly path: AttributePath }
  /** Two or more operands; a chain `a and b and c` is one node, parentheses make nested ones. */
  | { readonly kind: 'and'; readonly filters: readonly FilterNode[] }
  | { readonly kind: 'or'; readonly filters: readonly FilterNode[] }
  | { readonly kind: 'not'; readonly filter: FilterNode }
  /**
   * `emails[type eq "work"]`: every condition in `filter` applies to the same element, and the names inside
   * `filter` are sub-attributes of `path`. Entra's `emails[type eq "work"].value eq "x"` arrives here as
   * `emails[type eq "work" and value eq "x"]` (quirk Q18).
   */
  | { readonly kind: 'valuePath'; readonly path: AttributeName; readonly filter: FilterNode };

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** The normal form of a SCIM name: attribute names and schema URNs are case-insensitive. */
export function normaliseName(name: string): string {
  return name.toLowerCase();
}

/**
 * A lower-case key for comparing paths: `name.givenname`, `urn:…:enterprise:2.0:user:manager.value`.
 * Two paths that differ only in case have the same key.
 */
export function attributePathKey(path: AttributePath): string {
  return normaliseName(formatAttributePath(path));
}

export function formatAttributePath(path: AttributePath): string {
  const prefix = path.schema === undefined ? '' : `${path.schema}:`;
  const suffix = path.subAttribute === undefined ? '' : `.${path.subAttribute}`;
  return `${prefix}${path.name}${suffix}`;
}
