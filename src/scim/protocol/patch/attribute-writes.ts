import { ScimError } from '../errors/scim-error';
import { readAttribute } from '../resource/read-resource';
import type { AttributeDefinition, ResolvedAttribute } from '../schema';
import { hasContent, isIdentifiedByValue, isSameSimpleValue, keepOnePrimary, memberKey, subAttributeOf } from './elements';
import { JsonObject, describeValue, isDeepEqual, ownValue } from './json-values';
import type { WorkingResource } from './working-resource';

// The checked writes that add, replace and remove share. Every value a client sends goes through readAttribute,
// the same reader POST and PUT use, so types, length limits and string booleans (guide Q2) follow one set of rules.

/** Sets one sub-attribute of an element or of a single complex value; a value that carries nothing unsets it. */
export function setSubAttribute(element: JsonObject, sub: AttributeDefinition, value: unknown, path: string): void {
  const next = readAttribute(sub, value, path);
  if (next === undefined && sub.required) throw ScimError.invalidValue(`${path} is required; it cannot be set to ${describeValue(value)}.`);
  assertImmutable(sub, ownValue(element, sub.name), next, path);
  if (next === undefined) delete element[sub.name];
  else element[sub.name] = next;
}

/** Removes one sub-attribute of an element or of a single complex value, if it is there. */
export function removeSubAttribute(element: JsonObject, sub: AttributeDefinition, path: string): void {
  if (!Object.hasOwn(element, sub.name)) return;
  if (sub.required) throw ScimError.mutability(`${path} is required and cannot be removed.`);
  assertImmutable(sub, element[sub.name], undefined, path);
  delete element[sub.name];
}

/**
 * Merges the sub-attributes of `incoming` into `element` (RFC 7644 §3.5.2.3: sub-attributes not given stay, trap
 * T27). As in POST bodies (guide Q13), names the attribute does not declare, such as Entra's `"$ref": null`
 * beside a member's value, and read-only sub-attributes are ignored.
 */
export function mergeSubAttributes(definition: AttributeDefinition, element: JsonObject, incoming: JsonObject, path: string): void {
  for (const [key, item] of Object.entries(incoming)) {
    const sub = subAttributeOf(definition, key);
    if (sub === undefined || sub.mutability === 'readOnly') continue;
    setSubAttribute(element, sub, item, `${path}.${sub.name}`);
  }
}

/** RFC 7643 §2.2: an immutable value may be set when it has none, never changed or removed afterwards. */
export function assertImmutable(definition: AttributeDefinition, current: unknown, next: unknown, path: string): void {
  if (definition.mutability !== 'immutable' || current === undefined) return;
  if (isSameSimpleValue(definition, current, next) || isDeepEqual(current, next)) return;
  throw ScimError.mutability(`${path} is immutable: it can be set once, not ${next === undefined ? 'removed' : 'changed'}.`);
}

/**
 * A read-only attribute in an add or replace is refused (RFC 7644 §3.5.2), except when the client only echoes its
 * current value: Okta repeats the group's own `id` in path-less replaces (guide Q19).
 */
export function ignoreReadOnlyEcho(resource: WorkingResource, attribute: ResolvedAttribute, value: unknown): void {
  const { definition } = attribute;
  if (definition.type !== 'complex' && !definition.multiValued && !attribute.attribute.multiValued) {
    const current = resource.valueAt(attribute);
    const sent = readQuietly(definition, value, attribute.path);
    if (current !== undefined && sent !== undefined && isSameSimpleValue(definition, current, sent)) return;
  }
  throw ScimError.mutability(`${attribute.path} is read-only: it cannot be set or changed, only echoed with its current value.`);
}

function readQuietly(definition: AttributeDefinition, value: unknown, path: string): unknown {
  try {
    return readAttribute(definition, value, path);
  } catch (error) {
    if (error instanceof ScimError) return undefined;
    throw error;
  }
}

/** The elements of a multi-valued attribute in a new array; the elements themselves are the working copy's. */
export function currentElements(resource: WorkingResource, attribute: ResolvedAttribute): unknown[] {
  const value = resource.get(attribute);
  return Array.isArray(value) ? [...value] : [];
}

/** A client's value for a multi-valued attribute as canonical elements: one element or a list, empties dropped. */
export function readElements(definition: AttributeDefinition, value: unknown, path: string): unknown[] {
  const read = readAttribute(definition, value, path);
  return Array.isArray(read) ? read : [];
}

/**
 * Stores the elements of a multi-valued attribute after an operation: emptied elements go, at most one stays
 * primary with those the operation `touched` first in line (trap T26), and elements identified by value (members)
 * keep a value each and never repeat one. No elements left means no attribute (RFC 7644 §3.5.2.2).
 */
export function storeElements(
  resource: WorkingResource,
  attribute: ResolvedAttribute,
  elements: readonly unknown[],
  touched: ReadonlySet<unknown>,
): void {
  const definition = attribute.attribute;
  let kept = elements.filter(hasContent);
  if (isIdentifiedByValue(definition)) kept = uniqueByValue(definition, kept, attribute.path);
  if (definition.type === 'complex') keepOnePrimary(kept, touched);
  resource.set(attribute, kept.length > 0 ? kept : undefined);
}

function uniqueByValue(definition: AttributeDefinition, elements: readonly unknown[], path: string): unknown[] {
  const seen = new Set<unknown>();
  return elements.filter((element) => {
    const key = memberKey(definition, element);
    if (key === undefined) throw ScimError.invalidValue(`Every element of ${path} needs a "value".`);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
