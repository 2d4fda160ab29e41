import { ScimError } from '../errors/scim-error';
import { AttributePath, COMPARISON_OPERATORS, ComparisonOperator, ComparisonValue, FilterNode, normaliseName } from './filter-ast';
import { SyntaxErrorFactory, Token, tokenize } from './filter-tokenizer';

export interface ParseOptions {
  /**
   * Schema URNs recognised as attribute prefixes. A prefixed name is split after the longest URN listed here,
   * not at its last colon, so the whole URN `urn:…:enterprise:2.0:User` can be a PATCH path and custom
   * extensions resolve the same way. Unlisted URNs fall back to the last colon. Defaults to the core User and
   * Group schemas and the enterprise User extension.
   */
  readonly schemaUrns?: readonly string[];
  /** Longer input is refused before lexing (trap T8). */
  readonly maxLength?: number;
  /** Deepest nesting of `( )`, `not ( )` and `[ ]` accepted; bounds the parser's recursion (trap T8). */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_LENGTH = 2000;
export const DEFAULT_MAX_DEPTH = 20;

const STANDARD_SCHEMA_URNS = [
  'urn:ietf:params:scim:schemas:core:2.0:User',
  'urn:ietf:params:scim:schemas:core:2.0:Group',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
];

/**
 * Parses a `filter` query parameter (RFC 7644 §3.4.2.2) into an AST. Any syntax problem is a ScimError 400
 * `invalidFilter` whose detail names the column and what was expected. Whether the attributes exist, and
 * whether an operator suits them, is for the attribute registry to decide afterwards.
 */
export function parseFilter(filter: string, options: ParseOptions = {}): FilterNode {
  const parser = FilterParser.open(filter, options, { subject: 'filter', syntaxError: ScimError.invalidFilter });
  const node = parser.filter(0, 'resource');
  parser.expectEnd();
  return node;
}

/** Names in `element` scope are sub-attributes of the enclosing value path: `type` in `emails[type eq "work"]`. */
export type NameScope = 'resource' | 'element';

interface ParserContext {
  /** How error messages name the input. */
  readonly subject: 'filter' | 'path';
  readonly syntaxError: SyntaxErrorFactory;
}

/** A name in resource scope: an attribute path, or (PATCH paths only) a bare schema URN. */
export type ParsedName = { kind: 'attribute'; path: AttributePath } | { kind: 'schema'; schema: string };

const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
// `$ref` breaks the RFC name rule but is a real sub-attribute (members.$ref, manager.$ref).
const REF = /^\$ref$/i;
const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]*(?::[A-Za-z0-9._-]+)+$/i;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
// Never valid attribute names, and never to be looked up on a plain object (trap T23).
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const LOGICAL_KEYWORDS = new Set(['and', 'or', 'not']);
const OPERATOR_LIST = `${COMPARISON_OPERATORS.join(', ')}, pr`;

/**
 * Recursive descent over the token list, shared with the PATCH path parser. Precedence comes from the call
 * structure: `filter` (or) → `conjunction` (and) → `unary` (not, parentheses, attribute expressions).
 * Chains of and/or are loops, so only nesting recurses, and nesting is capped by `maxDepth`.
 */
export class FilterParser {
  private index = 0;

  private constructor(
    private readonly tokens: readonly Token[],
    private readonly schemaUrns: readonly string[],
    private readonly maxDepth: number,
    private readonly context: ParserContext,
  ) {}

  static open(input: string, options: ParseOptions, context: ParserContext): FilterParser {
    const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
    const noun = capitalise(context.subject);
    if (input.length > maxLength) {
      throw context.syntaxError(`${noun} is ${input.length} characters long; the limit is ${maxLength}.`);
    }
    if (input.trim() === '') throw context.syntaxError(`${noun} is empty.`);
    // Longest first, so a URN that extends another listed URN wins.
    const schemaUrns = [...(options.schemaUrns ?? STANDARD_SCHEMA_URNS)].sort((a, b) => b.length - a.length);
    return new FilterParser(tokenize(input, context.syntaxError), schemaUrns, options.maxDepth ?? DEFAULT_MAX_DEPTH, context);
  }

  /** filter := conjunction ("or" conjunction)* */
  filter(depth: number, scope: NameScope): FilterNode {
    const operands = [this.conjunction(depth, scope)];
    while (this.peekKeyword('or')) {
      this.next();
      operands.push(this.conjunction(depth, scope));
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', filters: operands };
  }

  /** conjunction := unary ("and" unary)* */
  private conjunction(depth: number, scope: NameScope): FilterNode {
    const operands = [this.unary(depth, scope)];
    while (this.peekKeyword('and')) {
      this.next();
      operands.push(this.unary(depth, scope));
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', filters: operands };
  }

  /** unary := "not" "(" filter ")" | "(" filter ")" | attribute expression */
  private unary(depth: number, scope: NameScope): FilterNode {
    const token = this.peek();
    if (token.kind === 'word' && normaliseName(token.text) === 'not') {
      this.next();
      // The grammar only has `not (…)`; binding `not` to the next comparison is a known trap (T3).
      const open = this.next();
      if (open.kind !== '(') this.fail(`Expected "(" after "not" at column ${open.start + 1}, found ${this.describe(open)}.`);
      return { kind: 'not', filter: this.group(open, depth, scope) };
    }
    if (token.kind === '(') return this.group(this.next(), depth, scope);
    if (token.kind === 'word' && !LOGICAL_KEYWORDS.has(normaliseName(token.text))) return this.attributeExpression(depth, scope);
    const where = this.previousKeyword();
    return this.fail(`Expected an attribute name, "(" or "not"${where} at column ${token.start + 1}, found ${this.describe(token)}.`);
  }

  private group(open: Token, depth: number, scope: NameScope): FilterNode {
    this.enter(depth + 1, open);
    const inner = this.filter(depth + 1, scope);
    const close = this.next();
    if (close.kind !== ')') {
      this.fail(`Expected ")" to close the "(" at column ${open.start + 1}, found ${this.describe(close)} at column ${close.start + 1}.`);
    }
    return inner;
  }

  private attributeExpression(depth: number, scope: NameScope): FilterNode {
    const word = this.next();
    const path = this.attributePath(word, scope);
    if (this.peek().kind === '[') {
      if (scope === 'element') this.fail(`Value filters cannot be nested: "[" at column ${this.peek().start + 1}.`);
      const { filter, subAttribute } = this.valueFilter(path, depth);
      if (subAttribute === undefined) return { kind: 'valuePath', path, filter };
      // Entra's `emails[type eq "work"].value eq "x"` is not RFC grammar; both conditions must hold for the
      // same element (quirk Q18), which is exactly `emails[type eq "work" and value eq "x"]`.
      const condition = this.comparison({ name: subAttribute });
      const filters = filter.kind === 'and' ? [...filter.filters, condition] : [filter, condition];
      return { kind: 'valuePath', path, filter: { kind: 'and', filters } };
    }
    return this.comparison(path);
  }

  /** Parses `[valFilter]` and an optional `.subAttribute` right after `path`. */
  valueFilter(path: AttributePath, depth: number): { filter: FilterNode; subAttribute?: string } {
    const open = this.next();
    if (path.subAttribute !== undefined) {
      this.fail(
        `A value filter must follow a multi-valued attribute, not the sub-attribute "${path.subAttribute}" (column ${open.start + 1}).`,
      );
    }
    this.enter(depth + 1, open);
    const filter = this.filter(depth + 1, 'element');
    const close = this.next();
    if (close.kind !== ']') {
      this.fail(`Expected "]" to close the "[" at column ${open.start + 1}, found ${this.describe(close)} at column ${close.start + 1}.`);
    }
    const after = this.peek();
    if (after.kind !== 'word' || !after.text.startsWith('.')) return { filter };
    this.next();
    const subAttribute = after.text.slice(1);
    this.rejectReserved([subAttribute], after);
    if (!isSubAttributeName(subAttribute)) {
      this.fail(`Invalid sub-attribute "${truncate(after.text)}" after "]" at column ${after.start + 1}: expected ".name".`);
    }
    return { filter, subAttribute };
  }

  /** comparison := path "pr" | path operator value */
  private comparison(path: AttributePath): FilterNode {
    const token = this.next();
    const operator = token.kind === 'word' ? normaliseName(token.text) : '';
    if (operator === 'pr') {
      const after = this.peek();
      if (after.kind === 'string' || (after.kind === 'word' && isLiteral(after.text))) {
        this.fail(`"pr" takes no value, found ${this.describe(after)} at column ${after.start + 1}.`);
      }
      return { kind: 'present', path };
    }
    if (!isComparisonOperator(operator)) {
      const found = token.kind === 'word' ? `unknown operator "${truncate(token.text)}"` : this.describe(token);
      this.fail(`Expected an operator (${OPERATOR_LIST}) at column ${token.start + 1}, found ${found}.`);
    }
    return { kind: 'compare', path, operator, value: this.comparisonValue(operator) };
  }

  private comparisonValue(operator: ComparisonOperator): ComparisonValue {
    const token = this.next();
    const expected = `Expected a comparison value after "${operator}" at column ${token.start + 1} (a quoted string, a number, true, false or null)`;
    if (token.kind === 'string') return token.value;
    if (token.kind !== 'word') return this.fail(`${expected}, found ${this.describe(token)}.`);
    const keyword = normaliseName(token.text);
    if (keyword === 'true') return true;
    if (keyword === 'false') return false;
    if (keyword === 'null') return null;
    if (JSON_NUMBER.test(token.text)) {
      const value = Number(token.text);
      if (!Number.isFinite(value)) this.fail(`Number "${truncate(token.text)}" at column ${token.start + 1} is out of range.`);
      return value;
    }
    // Microsoft's old examples show `externalId eq jyoung`; it is not grammar, so say how to fix it (Q21).
    return this.fail(`${expected}, found the bare word "${truncate(token.text)}"; put strings in double quotes.`);
  }

  /** Reads a name in resource scope, where a bare schema URN is not an attribute (filters). */
  private attributePath(token: Token, scope: NameScope): AttributePath {
    if (scope === 'element') return { name: this.subAttributeName(token) };
    const parsed = this.name(token);
    if (parsed.kind === 'schema') {
      this.fail(`"${truncate(parsed.schema)}" at column ${token.start + 1} names a schema, not an attribute.`);
    }
    return parsed.path;
  }

  /** The name inside brackets: a sub-attribute of the value path, without URN or dots. */
  private subAttributeName(token: Token): string {
    this.rejectReserved([token.text], token);
    if (!isSubAttributeName(token.text)) {
      this.fail(`Expected a sub-attribute name inside "[ ]" at column ${token.start + 1}, found "${truncate(token.text)}".`);
    }
    return token.text;
  }

  /** attrPath := [URN ":"] name ["." subAttribute], or a URN alone (which PATCH paths accept). */
  name(token: Token): ParsedName {
    const text = token.text;
    const column = token.start + 1;
    let schema: string | undefined;
    let rest = text;
    if (/^urn:/i.test(text)) {
      const known = this.schemaUrns.find(
        (urn) =>
          normaliseName(text.slice(0, urn.length)) === normaliseName(urn) && (text.length === urn.length || text[urn.length] === ':'),
      );
      const split = known === undefined ? text.lastIndexOf(':') : known.length;
      schema = text.slice(0, split);
      if (split === text.length) return { kind: 'schema', schema };
      rest = text.slice(split + 1);
      if (!URN.test(schema)) this.fail(`Invalid schema URN "${truncate(schema)}" at column ${column}.`);
    }
    const parts = rest.split('.');
    this.rejectReserved(parts, token);
    const [name, subAttribute] = parts;
    if (parts.length > 2 || !isAttributeName(name) || (subAttribute !== undefined && !isSubAttributeName(subAttribute))) {
      this.fail(
        `Invalid attribute path "${truncate(text)}" at column ${column}: expected name or name.subAttribute, optionally after a schema URN and ":".`,
      );
    }
    const path: AttributePath = {
      ...(schema === undefined ? {} : { schema }),
      name,
      ...(subAttribute === undefined ? {} : { subAttribute }),
    };
    return { kind: 'attribute', path };
  }

  peek(): Token {
    return this.tokens[this.index];
  }

  next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'end') this.index++;
    return token;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    const column = token.start + 1;
    if (token.kind === ')') this.fail(`Unexpected ")" at column ${column}: there is no "(" to close.`);
    if (token.kind === ']') this.fail(`Unexpected "]" at column ${column}: there is no "[" to close.`);
    const expected = this.context.subject === 'filter' ? '"and", "or" or the end of the filter' : 'the end of the path';
    this.fail(`Expected ${expected} at column ${column}, found ${this.describe(token)}.`);
  }

  fail(detail: string): never {
    throw this.context.syntaxError(detail);
  }

  describe(token: Token): string {
    switch (token.kind) {
      case 'end':
        return `the end of the ${this.context.subject}`;
      case 'string':
        return `the string ${truncate(token.text)}`;
      default:
        return `"${truncate(token.text)}"`;
    }
  }

  private rejectReserved(names: readonly string[], token: Token): void {
    const reserved = names.find((name) => RESERVED_NAMES.has(normaliseName(name)));
    if (reserved !== undefined) this.fail(`"${reserved}" at column ${token.start + 1} is not allowed as an attribute name.`);
  }

  private enter(depth: number, open: Token): void {
    if (depth > this.maxDepth) {
      this.fail(`${capitalise(this.context.subject)} nests deeper than ${this.maxDepth} levels at column ${open.start + 1}.`);
    }
  }

  private peekKeyword(keyword: 'and' | 'or'): boolean {
    const token = this.peek();
    return token.kind === 'word' && normaliseName(token.text) === keyword;
  }

  /** ` after "and"` when the previous token was a logical keyword: the usual cause of a dangling operand. */
  private previousKeyword(): string {
    const previous = this.tokens[this.index - 1];
    if (previous?.kind !== 'word' || !LOGICAL_KEYWORDS.has(normaliseName(previous.text))) return '';
    return ` after "${previous.text}"`;
  }
}

function isAttributeName(text: string | undefined): text is string {
  return text !== undefined && ATTRIBUTE_NAME.test(text);
}

function isSubAttributeName(text: string): boolean {
  return isAttributeName(text) || REF.test(text);
}

function isComparisonOperator(text: string): text is ComparisonOperator {
  return COMPARISON_OPERATORS.some((operator) => operator === text);
}

function isLiteral(text: string): boolean {
  return ['true', 'false', 'null'].includes(normaliseName(text)) || JSON_NUMBER.test(text);
}

/** Error details quote client input; keep them short whatever was sent. */
function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
