import type { FilterNode } from '../protocol/filter';
import type { PatchOperation } from '../protocol/patch';
import { parsePath, type PatchPath } from '../protocol/path';
import { GROUP_RESOURCE_TYPE, type ResolvedAttribute } from '../protocol/schema';

/**
 * Which members a PATCH on a group has to see for `applyPatch` to compute exactly what it would compute on the whole
 * membership (trap T35: a PATCH never loads a 10,000-member list to add one member).
 *
 * - `none`: no operation touches `members` (a rename, an externalId change).
 * - `some`: every operation on `members` names the members it can change by id: `add` of elements, Entra's
 *   `remove` with a value list (guide Q7), `members[value eq "…"]` paths (Q8). The result on the members with those
 *   ids, when they are members, is all `applyPatch` needs: no other member can be added, removed or changed, and
 *   whether one of these is depends on nothing but its own element. Its `memberDelta` is then the whole delta.
 * - `all`: anything that reaches members it does not name: `replace` of the list (Q9, Okta's push), `remove` of the
 *   attribute without a value, filters on `display` or `type`, `members.display`. These need the whole list, as the
 *   RFC defines them on it.
 *
 * When in doubt the answer is `all`, which is always exact, only slower.
 */
export type MemberScope = { readonly kind: 'none' } | { readonly kind: 'some'; readonly ids: readonly string[] } | { readonly kind: 'all' };

const MEMBERS = GROUP_RESOURCE_TYPE.resolve('members');
const SCHEMA_URNS = GROUP_RESOURCE_TYPE.schemas.map((schema) => schema.id);

/** The ids an operation may change, or `all`. An operation `applyPatch` refuses anyway reaches none. */
type Reach = readonly string[] | 'all';

export function memberScopeOf(operations: readonly PatchOperation[]): MemberScope {
  const ids = new Set<string>();
  for (const operation of operations) {
    const reach = reachOf(operation.op, operation.path, operation.value);
    if (reach === 'all') return { kind: 'all' };
    for (const id of reach) ids.add(id);
  }
  return ids.size === 0 ? { kind: 'none' } : { kind: 'some', ids: [...ids] };
}

function reachOf(op: PatchOperation['op'], path: string | undefined, value: unknown): Reach {
  // Path-less: each key of the value object is a path of its own (guide Q3), as applyPatch reads it.
  if (path === undefined) return isObject(value) ? union(Object.entries(value).map(([key, item]) => reachOf(op, key, item))) : [];
  const parsed = parsePathQuietly(path);
  if (parsed === undefined) return [];
  switch (parsed.kind) {
    case 'schema':
      // The core schema URN as a path takes an object of attributes, like no path at all.
      return parsed.schema.toLowerCase() === GROUP_RESOURCE_TYPE.schema.id.toLowerCase() ? reachOf(op, undefined, value) : [];
    case 'attribute': {
      const attribute = GROUP_RESOURCE_TYPE.resolve(parsed.path);
      if (!isMembers(attribute)) return [];
      if (attribute?.subAttribute !== undefined) return 'all';
      if (op === 'replace') return 'all';
      if (op === 'remove' && (value === undefined || value === null)) return 'all';
      return listedIds(value, op === 'add');
    }
    case 'valuePath':
      return isMembers(GROUP_RESOURCE_TYPE.resolve(parsed.path)) ? (idsPinnedBy(parsed.filter) ?? 'all') : [];
  }
}

function isMembers(attribute: ResolvedAttribute | undefined): boolean {
  return attribute !== undefined && MEMBERS !== undefined && attribute.attribute === MEMBERS.attribute;
}

/**
 * The member ids in an `add` value or a remove-by-value list. A list item without a string `value` makes `add` fail
 * in applyPatch, but in a remove it selects members by their other sub-attributes, so it reaches them all.
 */
function listedIds(value: unknown, isAdd: boolean): Reach {
  const ids: string[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    const id = typeof item === 'string' ? item : isObject(item) ? valueOf(item) : undefined;
    if (typeof id === 'string') ids.push(id);
    else if (!isAdd) return 'all';
  }
  return ids;
}

/** The `value` of a list item, its name in any case as applyPatch reads it. */
function valueOf(item: Record<string, unknown>): unknown {
  const key = Object.keys(item).find((name) => name.toLowerCase() === 'value');
  return key === undefined ? undefined : item[key];
}

/**
 * A set of ids that every element matching the filter has as its `value`, when the filter says so: `value eq "…"`,
 * an `or` of such, an `and` with one such operand. Undefined for anything else.
 */
function idsPinnedBy(filter: FilterNode): readonly string[] | undefined {
  switch (filter.kind) {
    case 'compare': {
      const isValue =
        filter.path.schema === undefined && filter.path.subAttribute === undefined && filter.path.name.toLowerCase() === 'value';
      return isValue && filter.operator === 'eq' && typeof filter.value === 'string' ? [filter.value] : undefined;
    }
    case 'or': {
      const operands = filter.filters.map(idsPinnedBy);
      return operands.every((ids) => ids !== undefined) ? operands.flat() : undefined;
    }
    case 'and':
      return filter.filters.map(idsPinnedBy).find((ids) => ids !== undefined);
    default:
      return undefined;
  }
}

function union(reaches: readonly Reach[]): Reach {
  return reaches.some((reach) => reach === 'all') ? 'all' : reaches.flatMap((reach) => (reach === 'all' ? [] : reach));
}

function parsePathQuietly(path: string): PatchPath | undefined {
  try {
    return parsePath(path, { schemaUrns: SCHEMA_URNS });
  } catch {
    // parsePatchRequest has already refused malformed paths; a path-less key that does not parse is applyPatch's to refuse.
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
