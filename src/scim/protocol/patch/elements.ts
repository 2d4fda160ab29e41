import type { AttributeDefinition } from '../schema';
import { isJsonObject, ownValue } from './json-values';

/** A sub-attribute of a complex attribute by name, in any case; nothing for names it does not declare. */
export function subAttributeOf(definition: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return subAttributesByName(definition).get(name.toLowerCase());
}

/**
 * A complex attribute's sub-attributes by lower-cased name, made once per definition (definitions are fixed for the
 * process): a group PATCH of ±100 members asks for sub-attributes for every element it reads, and lower-casing every
 * declared name on each call was 2 % of that request's CPU.
 */
const subAttributeIndex = new WeakMap<AttributeDefinition, ReadonlyMap<string, AttributeDefinition>>();

function subAttributesByName(definition: AttributeDefinition): ReadonlyMap<string, AttributeDefinition> {
  let index = subAttributeIndex.get(definition);
  if (index === undefined) {
    index = new Map((definition.subAttributes ?? []).map((sub) => [sub.name.toLowerCase(), sub]));
    subAttributeIndex.set(definition, index);
  }
  return index;
}

/**
 * The key under which two simple values of an attribute are equal exactly when the attribute's `caseExact` says
 * so (RFC 7643 §2.2), for Sets: a group of thousands of members is compared in linear time.
 */
export function comparisonKey(definition: AttributeDefinition, value: unknown): unknown {
  return typeof value === 'string' && !definition.caseExact ? value.normalize('NFC').toLowerCase() : value;
}

/** Equality of two canonical simple values under the attribute's `caseExact`. */
export function isSameSimpleValue(definition: AttributeDefinition, left: unknown, right: unknown): boolean {
  return comparisonKey(definition, left) === comparisonKey(definition, right);
}

/** The `value` of an element of an attribute identified by value, as a comparison key; undefined when it has none. */
export function memberKey(definition: AttributeDefinition, element: unknown): unknown {
  const valueSub = subAttributeOf(definition, 'value');
  const value = isJsonObject(element) ? ownValue(element, 'value') : undefined;
  return valueSub === undefined || value === undefined ? undefined : comparisonKey(valueSub, value);
}

/** A text equal for two canonical elements exactly when they are deep-equal, whatever their key order. */
export function elementText(element: unknown): string {
  if (!isJsonObject(element)) return JSON.stringify(element);
  const entries = Object.entries(element).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
}

/**
 * Whether `element` already says everything `wanted` says: every sub-attribute `wanted` carries is equal in
 * `element`. Adding such an element changes nothing (RFC 7644 §3.5.2.1), and a remove-by-value list item selects
 * the elements that contain it.
 */
export function containsElement(definition: AttributeDefinition, element: unknown, wanted: unknown): boolean {
  if (definition.type !== 'complex') return isSameSimpleValue(definition, element, wanted);
  if (!isJsonObject(element) || !isJsonObject(wanted)) return false;
  return Object.entries(wanted).every(([key, value]) => {
    const sub = subAttributeOf(definition, key);
    return sub !== undefined && isSameSimpleValue(sub, ownValue(element, sub.name), value);
  });
}

/**
 * Group members are whole elements identified by their `value` (the member's id): RFC 7643 §4.2 makes their
 * sub-attributes immutable. For such attributes an element needs a `value`, two elements never share one, and an
 * add of a member already present is a no-op whatever its `display` says (trap T25).
 */
export function isIdentifiedByValue(definition: AttributeDefinition): boolean {
  return definition.multiValued && definition.type === 'complex' && subAttributeOf(definition, 'value')?.mutability === 'immutable';
}

/**
 * RFC 7643 §2.4: at most one element is primary. The winner is the first element this operation set as primary,
 * else the first one already primary; every other element loses its `primary` flag. `primary: false` is dropped
 * too, since false is the default and stored users never return it (scim-user.mapper.ts).
 */
export function keepOnePrimary(elements: readonly unknown[], touched: ReadonlySet<unknown>): void {
  const records = elements.filter(isJsonObject);
  const winner =
    records.find((element) => touched.has(element) && ownValue(element, 'primary') === true) ??
    records.find((element) => ownValue(element, 'primary') === true);
  for (const element of records) {
    if (element !== winner && Object.hasOwn(element, 'primary')) delete element.primary;
  }
}

/** Whether a canonical element still carries anything; an element emptied by a remove is dropped. */
export function hasContent(element: unknown): boolean {
  return !isJsonObject(element) || Object.keys(element).length > 0;
}
