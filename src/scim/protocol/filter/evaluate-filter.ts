import { AttributeName, AttributePath, ComparisonOperator, ComparisonValue, FilterNode, normaliseName } from './filter-ast';

export interface EvaluateOptions {
  /**
   * Whether string comparisons on an attribute are case-sensitive (RFC 7643 `caseExact`). The callback gets the
   * full path as written (inside `emails[…]` it sees `emails.type`). Default: no attribute is case-exact.
   */
  readonly isCaseExact?: (path: AttributePath) => boolean;
  /**
   * Set when `target` is one element of this multi-valued attribute rather than a resource, as when a PATCH
   * planner tests `members[value eq "…"]` against each member: the filter's names are then sub-attributes.
   */
  readonly elementOf?: AttributeName;
}

/**
 * Tests a parsed filter against a plain JSON resource. It never throws, whatever the resource's shape: a value
 * of an unexpected type simply does not match. Names are looked up case-insensitively among the object's own
 * keys only, so nothing is ever read from a prototype.
 */
export function evaluateFilter(filter: FilterNode, target: unknown, options: EvaluateOptions = {}): boolean {
  return matches(filter, target, { isCaseExact: options.isCaseExact ?? (() => false), elementOf: options.elementOf });
}

interface Scope {
  readonly isCaseExact: (path: AttributePath) => boolean;
  readonly elementOf: AttributeName | undefined;
}

type JsonRecord = Record<string, unknown>;

const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const CORE_SCHEMA_PREFIX = 'urn:ietf:params:scim:schemas:core:';
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

function matches(node: FilterNode, target: unknown, scope: Scope): boolean {
  switch (node.kind) {
    case 'and':
      return node.filters.every((child) => matches(child, target, scope));
    case 'or':
      return node.filters.some((child) => matches(child, target, scope));
    case 'not':
      return !matches(node.filter, target, scope);
    case 'present':
      return valuesAt(target, node.path, scope).some((value) => isPresent(value));
    case 'compare':
      return compareAny(valuesAt(target, node.path, scope), node.operator, node.value, scope.isCaseExact(fullPath(node.path, scope)));
    case 'valuePath': {
      // The parser never nests value paths; a hand-built tree that does simply matches nothing.
      if (scope.elementOf !== undefined) return false;
      const inner: Scope = { ...scope, elementOf: node.path };
      // All conditions in the brackets must hold for the same element (quirk Q18).
      return valuesAt(target, node.path, scope).some((element) => isRecord(element) && matches(node.filter, element, inner));
    }
  }
}

/** Every value the path reaches; the elements of a multi-valued attribute count one by one. */
function valuesAt(target: unknown, path: AttributePath, scope: Scope): unknown[] {
  const container = scope.elementOf === undefined ? containerOf(target, path) : target;
  const values = asList(ownValue(container, path.name));
  if (path.subAttribute === undefined) return values;
  const subAttribute = path.subAttribute;
  return values.flatMap((value) => asList(ownValue(value, subAttribute)));
}

/**
 * Where a top-level name lives: core attributes at the top of the resource, extension attributes in the object
 * keyed by their schema URN. An unqualified name is looked up in the core first, then in the one extension
 * object that has it (Entra sends a bare `manager`).
 */
function containerOf(resource: unknown, path: AttributePath): unknown {
  if (!isRecord(resource)) return undefined;
  if (path.schema !== undefined) {
    return normaliseName(path.schema).startsWith(CORE_SCHEMA_PREFIX) ? resource : ownValue(resource, path.schema);
  }
  if (ownValue(resource, path.name) !== undefined) return resource;
  const extensions = Object.keys(resource)
    .filter((key) => normaliseName(key).startsWith('urn:'))
    .map((key) => resource[key])
    .filter((extension) => ownValue(extension, path.name) !== undefined);
  return extensions.length === 1 ? extensions[0] : resource;
}

function ownValue(container: unknown, name: string): unknown {
  if (!isRecord(container)) return undefined;
  const wanted = normaliseName(name);
  if (RESERVED_NAMES.has(wanted)) return undefined;
  const key = Object.keys(container).find((candidate) => normaliseName(candidate) === wanted);
  return key === undefined ? undefined : container[key];
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.filter((element) => element !== undefined && element !== null) : [value];
}

function fullPath(path: AttributePath, scope: Scope): AttributePath {
  return scope.elementOf === undefined ? path : { ...scope.elementOf, subAttribute: path.name };
}

/**
 * RFC 7643 §2.5: null, "", [] and an object without values all mean "no value". The depth bound only keeps
 * pathological data from recursing; deeper structure counts as a value.
 */
function isPresent(value: unknown, depth = 0): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.length > 0;
  if (depth >= 2) return true;
  if (Array.isArray(value)) return value.some((element) => isPresent(element, depth + 1));
  if (isRecord(value)) return Object.keys(value).some((key) => isPresent(value[key], depth + 1));
  return true;
}

function compareAny(candidates: unknown[], operator: ComparisonOperator, expected: ComparisonValue, caseExact: boolean): boolean {
  if (expected === null) {
    // `eq null` asks for "no value", `ne null` for "some value"; null has no order and no substrings.
    if (operator === 'eq') return !candidates.some((value) => isPresent(value));
    if (operator === 'ne') return candidates.some((value) => isPresent(value));
    return false;
  }
  // `emails co "x"` and `manager eq "id"` compare the element's `value` (the RFC's own shorthand).
  const actuals = candidates
    .map((value) => (isRecord(value) ? ownValue(value, 'value') : value))
    .filter((value) => value !== undefined && value !== null);
  // A missing attribute is "not equal" to anything, as `col <> :v OR col IS NULL` will be in SQL (trap T16).
  if (operator === 'ne') return actuals.length === 0 || actuals.some((actual) => !isEqual(actual, expected, caseExact));
  return actuals.some((actual) => compareOne(actual, operator, expected, caseExact));
}

function compareOne(
  actual: unknown,
  operator: Exclude<ComparisonOperator, 'ne'>,
  expected: string | number | boolean,
  caseExact: boolean,
): boolean {
  switch (operator) {
    case 'eq':
      return isEqual(actual, expected, caseExact);
    case 'co':
      return typeof actual === 'string' && typeof expected === 'string' && fold(actual, caseExact).includes(fold(expected, caseExact));
    case 'sw':
      return typeof actual === 'string' && typeof expected === 'string' && fold(actual, caseExact).startsWith(fold(expected, caseExact));
    case 'ew':
      return typeof actual === 'string' && typeof expected === 'string' && fold(actual, caseExact).endsWith(fold(expected, caseExact));
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      const sign = order(actual, expected, caseExact);
      return sign !== undefined && ORDER_TESTS[operator](sign);
    }
  }
}

const ORDER_TESTS: Record<'gt' | 'ge' | 'lt' | 'le', (sign: number) => boolean> = {
  gt: (sign) => sign > 0,
  ge: (sign) => sign >= 0,
  lt: (sign) => sign < 0,
  le: (sign) => sign <= 0,
};

/** Same JSON type only: `true` never equals "true", 1 never equals "1". */
function isEqual(actual: unknown, expected: string | number | boolean, caseExact: boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') return order(actual, expected, caseExact) === 0;
  return actual === expected;
}

/**
 * Sign of actual − expected, or undefined when the two have no common order (booleans, mixed types).
 * Two date-times compare as instants, so "…T10:00:00+02:00" equals "…T08:00:00Z" (trap T17).
 */
function order(actual: unknown, expected: string | number | boolean, caseExact: boolean): number | undefined {
  if (typeof actual === 'number' && typeof expected === 'number') return Math.sign(actual - expected);
  if (typeof actual !== 'string' || typeof expected !== 'string') return undefined;
  const actualTime = instant(actual);
  const expectedTime = instant(expected);
  if (actualTime !== undefined && expectedTime !== undefined) return Math.sign(actualTime - expectedTime);
  const left = fold(actual, caseExact);
  const right = fold(expected, caseExact);
  return left < right ? -1 : left > right ? 1 : 0;
}

function instant(text: string): number | undefined {
  if (!DATE_TIME.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

function fold(text: string, caseExact: boolean): string {
  return caseExact ? text : text.normalize('NFC').toLowerCase();
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
