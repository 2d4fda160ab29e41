import { ScimError } from '../errors/scim-error';
import { AttributeName, AttributePath, FilterNode } from '../filter/filter-ast';
import { FilterParser, ParseOptions } from '../filter/parse-filter';

/**
 * A PATCH operation's `path` (RFC 7644 §3.5.2, figure 7: `PATH = attrPath / valuePath [subAttr]`), with names
 * as written; compare them with `attributePathKey`/`normaliseName`.
 */
export type PatchPath =
  /** `members`, `name.familyName`, `urn:…:enterprise:2.0:User:manager` */
  | { readonly kind: 'attribute'; readonly path: AttributePath }
  /**
   * `members[value eq "…"]`, `emails[type eq "work"].value`: the elements of `path` that match `filter` (whose
   * names are sub-attributes), or their `subAttribute` when one follows the brackets.
   */
  | { readonly kind: 'valuePath'; readonly path: AttributeName; readonly filter: FilterNode; readonly subAttribute?: string }
  /** A whole extension, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`, as a path of its own. */
  | { readonly kind: 'schema'; readonly schema: string };

/**
 * Parses a PATCH path with the filter grammar's tokenizer and parser, so `members[value eq "…"]` means the same
 * here as in a list filter. Any syntax problem is a ScimError 400 `invalidPath`. Whether the attribute exists is
 * for the attribute registry to decide; resolve every path there before touching data (trap T23).
 */
export function parsePath(path: string, options: ParseOptions = {}): PatchPath {
  const parser = FilterParser.open(path, options, { subject: 'path', syntaxError: ScimError.invalidPath });
  const first = parser.next();
  if (first.kind !== 'word') {
    return parser.fail(`Expected an attribute name or schema URN at column ${first.start + 1}, found ${parser.describe(first)}.`);
  }
  const name = parser.name(first);
  if (name.kind === 'schema' || parser.peek().kind !== '[') {
    parser.expectEnd();
    return name;
  }
  // valueFilter refuses `name.sub[…]`, so `name.path` is a bare attribute name here.
  const { filter, subAttribute } = parser.valueFilter(name.path, 0);
  parser.expectEnd();
  return { kind: 'valuePath', path: name.path, filter, ...(subAttribute === undefined ? {} : { subAttribute }) };
}
