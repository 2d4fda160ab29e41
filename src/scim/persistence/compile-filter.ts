import { LIKE_ESCAPE, containsPattern, normaliseKey } from '../../common/normalise';
import { ScimError } from '../protocol/errors/scim-error';
import type { AttributeName, AttributePath, ComparisonOperator, ComparisonValue, FilterNode } from '../protocol/filter';
import { formatAttributePath } from '../protocol/filter';
import { FilterMap, MappedAttribute, MappedColumn, lookupMapped } from './filter-map';
import { SqlDialect, exactString, presentSql, qualifiedColumn } from './sql-dialect';

export interface CompiledFilter {
  /** A condition for `queryBuilder.andWhere(where, parameters)`, with TypeORM named parameters `:f0`, `:f1`, … */
  readonly where: string;
  readonly parameters: Readonly<Record<string, string | boolean | Date>>;
}

/**
 * Compiles a parsed filter (RFC 7644 §3.4.2.2) into a parametrised SQL condition over the resource table aliased
 * `rootAlias`, following `map`. Values only ever travel as parameters. The rules, each matching the in-memory
 * evaluator (src/scim/protocol/filter/evaluate-filter.ts), which the e2e suite checks on SQLite and MariaDB:
 *
 * - Attributes resolve case-insensitively, with or without their schema URN; anything the map does not list is
 *   400 invalidFilter (trap T9), as is a value of the wrong type for the attribute (`active eq "x"`).
 * - Strings compare by the attribute's `caseExact`: case-insensitive ones on the normalised column or
 *   `LOWER(column)` against a `normaliseKey`d parameter (trap T12). `co`/`sw`/`ew` are `LIKE` with the wildcards
 *   escaped (trap T14); case-exact ones are `GLOB` on SQLite, whose `LIKE` ignores ASCII case (trap T15).
 * - `ne` also matches a missing value and `pr` wants a non-empty one (trap T16); `eq null` means "no value".
 * - Booleans take true/false, or the strings "True"/"False" in any case (guide Q2), and only eq/ne/pr.
 * - dateTime values are parsed and compared as instants (trap T17), passed as Date parameters.
 * - Multi-valued attributes become subqueries over their element table; all conditions inside `emails[…]` hold for
 *   the same row, and `not` applies to the whole group (trap T2). Where the element table carries the organisation
 *   (`sharedColumn`) and the caller names it (`sharedValue`), the subquery is `id IN (SELECT userId … WHERE
 *   organisationId = :org AND …)`, which stands alone; otherwise `EXISTS (…)` correlated on the resource id.
 *
 * Why the IN form where it can be had: SQLite evaluates a correlated EXISTS once for every user of the organisation
 * (it walks them in list order and probes each one's elements), and an uncorrelated IN once in all, into a set the
 * users are checked against; with statistics (the periodic `PRAGMA optimize`, sqlite-statistics.service.ts) it
 * starts from the element index instead. `emails[type eq "work"].value eq "…"` at 20,000 users: 22.5 ms as EXISTS,
 * 3.4 ms as IN without statistics, 0.12 ms with them (EXISTS got slower with them: 35 ms). MariaDB makes a semi-join
 * of either.
 *
 * Scoping to the organisation is the caller's `andWhere`; subqueries only reach rows of the resources it selects.
 */
export function compileFilter(
  filter: FilterNode,
  map: FilterMap,
  dialect: SqlDialect,
  rootAlias: string,
  sharedValue?: string,
): CompiledFilter {
  const compiler = new FilterCompiler(map, dialect, rootAlias, sharedValue);
  const { sql } = compiler.node(filter, { kind: 'resource' });
  return { where: sql, parameters: compiler.parameters };
}

interface Fragment {
  readonly sql: string;
  /**
   * False when the condition can evaluate to NULL (a comparison on a nullable column). A WHERE treats NULL as
   * false, as the evaluator treats a missing value, but `NOT NULL` is still NULL, so negation needs care.
   */
  readonly twoValued: boolean;
  /** The text is one parenthesised group or an EXISTS, so it needs no more parentheses anywhere. */
  readonly enclosed: boolean;
}

type MultiValuedAttribute = Extract<MappedAttribute, { kind: 'multiValued' }>;
type ComplexAttribute = Extract<MappedAttribute, { kind: 'complex' }>;

/** Where names resolve: on the resource, or inside `attr[…]`, where they are sub-attributes of one element. */
type Scope = { readonly kind: 'resource' } | { readonly kind: 'element'; readonly path: AttributeName; readonly alias: string };

/** What a path in a filter stands for. `written` is the path as the client wrote it, for error details. */
type Target =
  /** One value of the row `alias`: a simple attribute, a sub-attribute of a single-valued complex one, an element's. */
  | { readonly kind: 'column'; readonly written: string; readonly alias: string; readonly column: MappedColumn }
  /** A single-valued complex attribute as a whole: `name`, `manager`. */
  | { readonly kind: 'complex'; readonly written: string; readonly attribute: ComplexAttribute }
  /** A multi-valued attribute outside brackets: `emails` (column undefined) or `emails.value`. */
  | { readonly kind: 'elements'; readonly written: string; readonly attribute: MultiValuedAttribute; readonly column?: MappedColumn };

const ORDERING: Record<'gt' | 'ge' | 'lt' | 'le', string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

class FilterCompiler {
  readonly parameters: Record<string, string | boolean | Date> = {};
  private parameterCount = 0;
  private aliasCount = 0;
  /** The one parameter holding `sharedValue`, made when a subquery first needs it. */
  private sharedParameter?: string;

  constructor(
    private readonly map: FilterMap,
    private readonly dialect: SqlDialect,
    private readonly rootAlias: string,
    /** The value of child tables' `sharedColumn` in every row the caller selects (the organisation), when known. */
    private readonly sharedValue: string | undefined,
  ) {}

  node(node: FilterNode, scope: Scope): Fragment {
    switch (node.kind) {
      case 'and':
      case 'or': {
        if (node.filters.length === 0) throw ScimError.invalidFilter(`An "${node.kind}" needs operands.`);
        const operands = node.filters.map((child) => this.node(child, scope));
        const joined = operands.map((operand) => operand.sql).join(node.kind === 'and' ? ' AND ' : ' OR ');
        return { sql: `(${joined})`, twoValued: operands.every((operand) => operand.twoValued), enclosed: true };
      }
      case 'not':
        return negate(this.node(node.filter, scope));
      case 'present':
        return this.present(this.target(node.path, scope));
      case 'compare':
        return this.compare(this.target(node.path, scope), node.operator, node.value);
      case 'valuePath':
        return this.valuePath(node.path, node.filter, scope);
    }
  }

  private target(path: AttributePath, scope: Scope): Target {
    if (scope.kind === 'element') {
      const written = `${formatAttributePath(scope.path)}.${formatAttributePath(path)}`;
      // Inside brackets the parser only produces bare sub-attribute names; a hand-built tree may not.
      if (path.schema !== undefined || path.subAttribute !== undefined) throw unfilterable(written, 'notMapped');
      const lookup = lookupMapped(this.map, scope.path, path.name);
      if (!lookup.found || lookup.subAttribute === undefined) throw unfilterable(written, lookup.found ? 'notMapped' : lookup.reason);
      return { kind: 'column', written, alias: scope.alias, column: lookup.subAttribute };
    }
    const written = formatAttributePath(path);
    const lookup = lookupMapped(this.map, path);
    if (!lookup.found) throw unfilterable(written, lookup.reason);
    const { attribute, subAttribute } = lookup;
    switch (attribute.kind) {
      case 'column':
        return { kind: 'column', written, alias: this.rootAlias, column: attribute.column };
      case 'complex':
        return subAttribute === undefined
          ? { kind: 'complex', written, attribute }
          : { kind: 'column', written, alias: this.rootAlias, column: subAttribute };
      case 'multiValued':
        return { kind: 'elements', written, attribute, column: subAttribute };
    }
  }

  private present(target: Target): Fragment {
    switch (target.kind) {
      case 'column':
        return this.columnPresent(target.alias, target.column);
      case 'complex': {
        // RFC 7644: a complex attribute is present when one of its sub-attributes is.
        const operands = [...target.attribute.subAttributes.values()].map((column) => this.columnPresent(this.rootAlias, column));
        if (operands.length === 1) return operands[0];
        return { sql: `(${operands.map((operand) => operand.sql).join(' OR ')})`, twoValued: true, enclosed: true };
      }
      case 'elements': {
        const column = target.column;
        return column === undefined
          ? this.exists(target.attribute)
          : this.exists(target.attribute, (alias) => this.columnPresent(alias, column));
      }
    }
  }

  private columnPresent(alias: string, column: MappedColumn): Fragment {
    const isText = column.type === 'string';
    const sql = presentSql(this.dialect, qualifiedColumn(this.dialect, alias, column.column), { isText, nullable: column.nullable });
    return { sql, twoValued: true, enclosed: isText && column.nullable };
  }

  private compare(target: Target, operator: ComparisonOperator, value: ComparisonValue): Fragment {
    if (value === null) {
      // `eq null` asks for "no value", `ne null` for "some value", as in the evaluator.
      if (operator === 'eq') return negate(this.present(target));
      if (operator === 'ne') return this.present(target);
      throw ScimError.invalidFilter(`"${target.written} ${operator} null" is not a valid comparison: null only goes with eq and ne.`);
    }
    switch (target.kind) {
      case 'column':
        return this.compareColumn(target.alias, target.column, operator, value, target.written);
      case 'complex':
        return this.compareColumn(this.rootAlias, valueOf(target.attribute, target.written), operator, value, target.written);
      case 'elements': {
        const column = target.column ?? valueOf(target.attribute, target.written);
        if (operator === 'ne') {
          // As in the evaluator: no element has a value, or one element's value differs. `emails.type ne "work"`
          // is false for a user whose only typed email is a work email, even if another has no type.
          const noValue = negate(this.exists(target.attribute, column.nullable ? (alias) => this.columnNotNull(alias, column) : undefined));
          const differs = this.exists(target.attribute, (alias) => this.compareColumn(alias, column, 'ne', value, target.written, false));
          return { sql: `(${noValue.sql} OR ${differs.sql})`, twoValued: true, enclosed: true };
        }
        return this.exists(target.attribute, (alias) => this.compareColumn(alias, column, operator, value, target.written));
      }
    }
  }

  /**
   * One comparison on one column. `absentIsUnequal`: `ne` also matches NULL (trap T16); the element-wise `ne`
   * above turns it off, because there a NULL element is "no value", not "a different value".
   */
  private compareColumn(
    alias: string,
    column: MappedColumn,
    operator: ComparisonOperator,
    value: string | number | boolean,
    written: string,
    absentIsUnequal = true,
  ): Fragment {
    const ref = qualifiedColumn(this.dialect, alias, column.column);
    const equality = (left: string, right: string): Fragment => {
      if (operator === 'eq') return { sql: `${left} = ${right}`, twoValued: !column.nullable, enclosed: false };
      if (!column.nullable || !absentIsUnequal) return { sql: `${left} <> ${right}`, twoValued: !column.nullable, enclosed: false };
      return { sql: `(${left} <> ${right} OR ${ref} IS NULL)`, twoValued: true, enclosed: true };
    };
    const leaf = (sql: string): Fragment => ({ sql, twoValued: !column.nullable, enclosed: false });

    switch (column.type) {
      case 'boolean': {
        if (operator !== 'eq' && operator !== 'ne') {
          throw ScimError.invalidFilter(`"${written}" is a boolean: it supports eq, ne and pr, not ${operator}.`);
        }
        return equality(ref, this.parameter(booleanValue(value, written)));
      }
      case 'dateTime': {
        if (operator === 'co' || operator === 'sw' || operator === 'ew') {
          throw ScimError.invalidFilter(`"${written}" is a dateTime: it supports eq, ne, gt, ge, lt, le and pr, not ${operator}.`);
        }
        const instant = this.parameter(dateTimeValue(value, written));
        return operator === 'eq' || operator === 'ne' ? equality(ref, instant) : leaf(`${ref} ${ORDERING[operator]} ${instant}`);
      }
      case 'string': {
        if (typeof value !== 'string') {
          throw ScimError.invalidFilter(`"${written}" is a string: compare it with a quoted string, not ${JSON.stringify(value)}.`);
        }
        const folded = column.caseExact ? value : normaliseKey(value);
        const left = column.caseExact
          ? ref
          : column.normalizedColumn !== undefined
            ? qualifiedColumn(this.dialect, alias, column.normalizedColumn)
            : `LOWER(${ref})`;
        if (operator === 'co' || operator === 'sw' || operator === 'ew') {
          if (column.caseExact && this.dialect.kind === 'sqlite') {
            // SQLite's LIKE ignores ASCII case (trap T15); GLOB is its case-sensitive matcher.
            return leaf(`${ref} GLOB ${this.parameter(globPattern(operator, value))}`);
          }
          return leaf(`${left} LIKE ${this.parameter(likePattern(operator, folded))} ESCAPE '${LIKE_ESCAPE}'`);
        }
        const right = exactString(this.dialect, this.parameter(folded));
        return operator === 'eq' || operator === 'ne' ? equality(left, right) : leaf(`${left} ${ORDERING[operator]} ${right}`);
      }
    }
  }

  private columnNotNull(alias: string, column: MappedColumn): Fragment {
    return { sql: `${qualifiedColumn(this.dialect, alias, column.column)} IS NOT NULL`, twoValued: true, enclosed: false };
  }

  private valuePath(path: AttributeName, filter: FilterNode, scope: Scope): Fragment {
    const written = formatAttributePath(path);
    if (scope.kind === 'element') throw ScimError.invalidFilter(`Value filters cannot be nested: "${written}[…]".`);
    const lookup = lookupMapped(this.map, path);
    if (!lookup.found) throw unfilterable(written, lookup.reason);
    const { attribute } = lookup;
    if (attribute.kind === 'column') {
      throw ScimError.invalidFilter(
        `"${written}[…]": a value filter needs a complex attribute such as emails, and "${written}" is simple.`,
      );
    }
    if (attribute.kind === 'multiValued') return this.exists(attribute, (alias) => this.node(filter, { kind: 'element', path, alias }));
    // A single-valued complex attribute (`name[givenName eq "Ann"]`): its sub-attributes are columns of the row,
    // and like the evaluator, the filter only matches when the attribute has a value at all.
    const inner = this.node(filter, { kind: 'element', path, alias: this.rootAlias });
    const columns = [...attribute.subAttributes.values()];
    if (columns.some((column) => !column.nullable)) return inner;
    const exists = columns.map((column) => this.columnNotNull(this.rootAlias, column).sql).join(' OR ');
    return { sql: `(${columns.length === 1 ? exists : `(${exists})`} AND ${inner.sql})`, twoValued: inner.twoValued, enclosed: true };
  }

  /**
   * Whether the row `rootAlias` has an element of a multi-valued attribute, optionally one meeting a condition: an
   * organisation-scoped `IN` where the element table allows it, else a correlated `EXISTS` (see compileFilter). The
   * IN is two-valued as EXISTS is: neither the resource id nor the element's owner column is ever NULL.
   */
  private exists(attribute: MultiValuedAttribute, condition?: (alias: string) => Fragment): Fragment {
    const { table } = attribute;
    const alias = `${table.alias}${this.aliasCount++}`;
    if (alias === this.rootAlias) throw new TypeError(`Subquery alias ${alias} would shadow the root alias.`);
    const element = (column: string) => qualifiedColumn(this.dialect, alias, column);
    const resource = (column: string) => qualifiedColumn(this.dialect, this.rootAlias, column);
    const from = `FROM ${this.dialect.escape(table.table)} ${this.dialect.escape(alias)}`;
    const also = (scope: string) => (condition === undefined ? scope : `${scope} AND ${condition(alias).sql}`);
    if (table.sharedColumn !== undefined && this.sharedValue !== undefined) {
      this.sharedParameter ??= this.parameter(this.sharedValue);
      const scope = `${element(table.sharedColumn)} = ${this.sharedParameter}`;
      return {
        sql: `${resource(this.map.idColumn)} IN (SELECT ${element(table.parentColumn)} ${from} WHERE ${also(scope)})`,
        twoValued: true,
        enclosed: false,
      };
    }
    const owner = `${element(table.parentColumn)} = ${resource(this.map.idColumn)}`;
    const correlation =
      table.sharedColumn === undefined ? owner : `${owner} AND ${element(table.sharedColumn)} = ${resource(table.sharedColumn)}`;
    return { sql: `EXISTS (SELECT 1 ${from} WHERE ${also(correlation)})`, twoValued: true, enclosed: true };
  }

  private parameter(value: string | boolean | Date): string {
    const name = `f${this.parameterCount++}`;
    this.parameters[name] = value;
    return `:${name}`;
  }
}

/**
 * `not (…)`. SQL's NOT leaves NULL as NULL, so `NOT (displayName = 'x')` would drop users without a displayName,
 * which the filter matches; `IS NOT TRUE` counts "unknown" as "not matched" before negating.
 */
function negate(fragment: Fragment): Fragment {
  const group = fragment.enclosed ? fragment.sql : `(${fragment.sql})`;
  return { sql: fragment.twoValued ? `NOT ${group}` : `${group} IS NOT TRUE`, twoValued: true, enclosed: false };
}

/** `manager eq "…"` and `emails co "…"` compare the `value` sub-attribute (RFC 7644 §3.4.2.2, guide §4.5). */
function valueOf(attribute: ComplexAttribute | MultiValuedAttribute, written: string): MappedColumn {
  const value = attribute.subAttributes.get('value');
  if (value === undefined) {
    throw ScimError.invalidFilter(
      `"${written}" is complex and has no value to compare: name one of its sub-attributes, e.g. "${written}.${firstSubAttribute(attribute)}".`,
    );
  }
  return value;
}

function firstSubAttribute(attribute: ComplexAttribute | MultiValuedAttribute): string {
  const [first] = attribute.subAttributes.values();
  return first.path.slice(first.path.lastIndexOf('.') + 1);
}

function unfilterable(written: string, reason: 'unknown' | 'notMapped'): ScimError {
  return reason === 'unknown'
    ? ScimError.invalidFilter(`Unknown attribute "${written}" in filter.`)
    : ScimError.invalidFilter(`Filtering on "${written}" is not supported.`);
}

/** Booleans, and "true"/"false" in any case for boolean attributes only (guide Q2). */
function booleanValue(value: string | number | boolean, written: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw ScimError.invalidFilter(`"${written}" is a boolean: compare it with true or false, not ${JSON.stringify(value)}.`);
}

/** An RFC 3339 date-time with a time zone, checked field by field: Date.parse accepts 2025-02-30 and 24:00. */
function dateTimeValue(value: string | number | boolean, written: string): Date {
  const fields = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (typeof value === 'string' && fields !== null) {
    const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = fields.slice(1).map((field) => Number(field ?? '0'));
    const calendar = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    const isReal =
      calendar.getUTCFullYear() === year &&
      calendar.getUTCMonth() === month - 1 &&
      calendar.getUTCDate() === day &&
      calendar.getUTCHours() === hour &&
      calendar.getUTCMinutes() === minute &&
      calendar.getUTCSeconds() === second &&
      offsetHours <= 23 &&
      offsetMinutes <= 59;
    const instant = Date.parse(value);
    if (isReal && !Number.isNaN(instant)) return new Date(instant);
  }
  throw ScimError.invalidFilter(
    `"${written}" is a dateTime: compare it with a quoted date-time such as "2025-03-01T00:00:00Z", not ${JSON.stringify(value)}.`,
  );
}

/** `containsPattern` gives `%value%` with LIKE wildcards escaped; a prefix or suffix match drops one `%`. */
function likePattern(operator: 'co' | 'sw' | 'ew', value: string): string {
  const contains = containsPattern(value);
  if (operator === 'sw') return contains.slice(1);
  if (operator === 'ew') return contains.slice(0, -1);
  return contains;
}

/** A GLOB pattern (SQLite) matching `value` literally: `*`, `?` and `[` become one-character classes. */
function globPattern(operator: 'co' | 'sw' | 'ew', value: string): string {
  const literal = value.replace(/[*?[]/g, (char) => `[${char}]`);
  if (operator === 'sw') return `${literal}*`;
  if (operator === 'ew') return `*${literal}`;
  return `*${literal}*`;
}
