import { ScimError } from '../errors/scim-error';
import { AttributePath, ComparisonValue, FilterNode, evaluateFilter, formatFilter } from '../filter';
import { parsePath } from '../path';
import { readBoolean } from '../resource/read-resource';
import { AttributeDefinition, ResolvedAttribute, ResourceType, SchemaDefinition, USER_SCHEMA_URN } from '../schema';

/** What a PATCH path points at, resolved through the attribute registry before any data is touched (trap T23). */
export type PatchTarget =
  /** No path, or the core schema URN: the value is an object of attributes (guide Q3, Q4). */
  | { readonly kind: 'resource' }
  /** A whole extension, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`: the value is an object of its attributes. */
  | { readonly kind: 'extension'; readonly schema: SchemaDefinition }
  /** `userName`, `name`, `name.givenName`, `emails`, `urn:…:enterprise:2.0:User:manager`. */
  | { readonly kind: 'attribute'; readonly attribute: ResolvedAttribute }
  /**
   * `emails[type eq "work"]`, `emails[type eq "work"].value`, `manager[value eq "…"]`: the elements of `attribute`
   * (or its one complex value) that match `filter`, or their `subAttribute`.
   */
  | {
      readonly kind: 'elements';
      readonly attribute: ResolvedAttribute;
      readonly filter: FilterNode;
      readonly subAttribute?: ResolvedAttribute;
      /** What a new element starts with when nothing matches (guide Q5); absent when the filter cannot say. */
      readonly seed?: ReadonlyMap<AttributeDefinition, ComparisonValue>;
      /** The canonical spelling, for error details: `emails[type eq "work"].value`. */
      readonly text: string;
    }
  /** An RFC 7643 User attribute we deliberately do not store (`roles`…): accepted and ignored. */
  | { readonly kind: 'ignored' };

// RFC 7643 §4.1 User attributes that user.schema.ts leaves out on purpose. Entra sends app roles as `roles`
// (guide Q20: never fail a user update because of it), so operations on them are accepted and change nothing,
// as readResource ignores them in POST and PUT bodies.
const IGNORED_USER_ATTRIBUTES = new Set(['ims', 'photos', 'entitlements', 'roles', 'x509certificates']);

/** Resolves a PATCH path (as written by the client) against the resource type's attribute registry. */
export function resolvePatchTarget(type: ResourceType, text: string): PatchTarget {
  const path = parsePath(text, { schemaUrns: type.schemas.map((schema) => schema.id) });
  switch (path.kind) {
    case 'schema': {
      const schema = type.findSchema(path.schema);
      if (schema === undefined) throw ScimError.invalidPath(`${path.schema} is not a schema of the ${type.name} resource.`);
      return schema.id === type.schema.id ? { kind: 'resource' } : { kind: 'extension', schema };
    }
    case 'attribute': {
      const attribute = type.resolve(path.path);
      if (attribute !== undefined) return { kind: 'attribute', attribute };
      if (isIgnoredAttribute(type, path.path)) return { kind: 'ignored' };
      throw unknownAttribute(type, text);
    }
    case 'valuePath': {
      const attribute = type.resolve(path.path);
      if (attribute === undefined) {
        if (isIgnoredAttribute(type, path.path)) return { kind: 'ignored' };
        throw unknownAttribute(type, text);
      }
      if (attribute.definition.type !== 'complex') {
        throw ScimError.invalidPath(`${attribute.path} has no sub-attributes, so it cannot take a value filter "[…]".`);
      }
      const filter = checkElementFilter(type, attribute, path.filter);
      let subAttribute: ResolvedAttribute | undefined;
      if (path.subAttribute !== undefined) {
        subAttribute = type.resolve(reference(attribute), path.subAttribute);
        if (subAttribute === undefined) {
          throw ScimError.invalidPath(`"${path.subAttribute}" is not a sub-attribute of ${attribute.path}.`);
        }
      }
      const seed = seedOf(type, attribute, filter);
      return {
        kind: 'elements',
        attribute,
        filter,
        ...(subAttribute === undefined ? {} : { subAttribute }),
        ...(seed === undefined ? {} : { seed }),
        text: `${attribute.path}[${formatFilter(filter)}]${subAttribute === undefined ? '' : `.${subAttribute.definition.name}`}`,
      };
    }
  }
}

/** Whether `element` (one element of the target, or its one complex value) matches the target's filter. */
export function matchesFilter(type: ResourceType, target: { attribute: ResolvedAttribute; filter: FilterNode }, element: unknown): boolean {
  return evaluateFilter(target.filter, element, {
    elementOf: reference(target.attribute),
    isCaseExact: (path) => type.resolve(path)?.definition.caseExact ?? false,
  });
}

function reference(attribute: ResolvedAttribute): { schema: string; name: string } {
  return { schema: attribute.schema, name: attribute.attribute.name };
}

function isIgnoredAttribute(type: ResourceType, path: AttributePath): boolean {
  if (type.schema.id !== USER_SCHEMA_URN) return false;
  if (path.schema !== undefined && path.schema.toLowerCase() !== USER_SCHEMA_URN.toLowerCase()) return false;
  return IGNORED_USER_ATTRIBUTES.has(path.name.toLowerCase());
}

function unknownAttribute(type: ResourceType, text: string): ScimError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return ScimError.invalidPath(`"${shown}" is not an attribute of the ${type.name} resource.`);
}

/**
 * Checks that every name inside the brackets is a sub-attribute of the filtered attribute, and turns "True"/"False"
 * compared with a boolean sub-attribute into booleans (guide Q2: `roles[primary eq "True"]`).
 */
function checkElementFilter(type: ResourceType, attribute: ResolvedAttribute, node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, filters: node.filters.map((child) => checkElementFilter(type, attribute, child)) };
    case 'not':
      return { kind: 'not', filter: checkElementFilter(type, attribute, node.filter) };
    case 'present':
      filterSubAttribute(type, attribute, node.path);
      return node;
    case 'compare': {
      const sub = filterSubAttribute(type, attribute, node.path);
      if (sub.type !== 'boolean' || typeof node.value !== 'string' || !/^(true|false)$/i.test(node.value)) return node;
      return { ...node, value: readBoolean(node.value, sub.name) };
    }
    case 'valuePath':
      throw ScimError.invalidPath(`Value filters cannot be nested inside ${attribute.path}[…].`);
  }
}

function filterSubAttribute(type: ResourceType, attribute: ResolvedAttribute, path: AttributePath): AttributeDefinition {
  const sub = path.schema === undefined && path.subAttribute === undefined ? type.resolve(reference(attribute), path.name) : undefined;
  if (sub === undefined) throw ScimError.invalidPath(`"${path.name}" in the filter is not a sub-attribute of ${attribute.path}.`);
  return sub.definition;
}

/**
 * The sub-attribute values a filter pins down: `type eq "work"` gives {type: "work"}, and so does an `and` of such
 * comparisons. Any other filter (`co`, `ne`, `or`, `not`, `pr`, `eq null`, two values for one sub-attribute, a
 * read-only sub-attribute) cannot describe a new element.
 */
function seedOf(
  type: ResourceType,
  attribute: ResolvedAttribute,
  filter: FilterNode,
): Map<AttributeDefinition, ComparisonValue> | undefined {
  const seed = new Map<AttributeDefinition, ComparisonValue>();
  const collect = (node: FilterNode): boolean => {
    if (node.kind === 'and') return node.filters.every(collect);
    if (node.kind !== 'compare' || node.operator !== 'eq' || node.value === null) return false;
    const sub = filterSubAttribute(type, attribute, node.path);
    if (sub.mutability === 'readOnly') return false;
    const earlier = seed.get(sub);
    if (earlier !== undefined) return earlier === node.value;
    seed.set(sub, node.value);
    return true;
  };
  return collect(filter) ? seed : undefined;
}
