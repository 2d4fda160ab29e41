import { ScimError } from '../errors/scim-error';
import { formatFilter } from '../filter';
import { readAttribute, singleComplexValue } from '../resource/read-resource';
import type { AttributeDefinition, ResolvedAttribute, SchemaDefinition } from '../schema';
import {
  assertImmutable,
  currentElements,
  ignoreReadOnlyEcho,
  mergeSubAttributes,
  readElements,
  setSubAttribute,
  storeElements,
} from './attribute-writes';
import { containsElement, elementText, isIdentifiedByValue, isSameSimpleValue, memberKey, subAttributeOf } from './elements';
import { JsonObject, describeValue, isDeepEqual, isJsonObject, keysIgnoringCase, nonEmpty, ownValue } from './json-values';
import { PatchTarget, matchesFilter, resolvePatchTarget } from './patch-target';
import { removeOperation } from './remove-operation';
import type { WorkingResource } from './working-resource';

type WriteMode = 'add' | 'replace';
type ElementsTarget = Extract<PatchTarget, { kind: 'elements' }>;

/**
 * RFC 7644 §3.5.2.1 `add`. Single-valued attributes are set, complex values merged, multi-valued attributes
 * appended to (an element already there is not added twice). Entra's shapes are handled on the way: path-less
 * values with dotted and URN keys (guide Q3, Q4), filtered paths that create the element they name (Q5, Q6),
 * and the manager as a bare id (Q10).
 */
export function addOperation(resource: WorkingResource, target: PatchTarget, value: unknown): void {
  writeTarget(resource, target, value, 'add');
}

/**
 * RFC 7644 §3.5.2.3 `replace`: as `add`, except that a multi-valued attribute named without a filter gets exactly
 * the elements given (`[]` clears it, as Okta's "Push now" for an empty group does, guide Q9).
 */
export function replaceOperation(resource: WorkingResource, target: PatchTarget, value: unknown): void {
  writeTarget(resource, target, value, 'replace');
}

function writeTarget(resource: WorkingResource, target: PatchTarget, value: unknown, mode: WriteMode): void {
  switch (target.kind) {
    case 'ignored':
      return;
    case 'resource':
      return writeAttributes(resource, value, mode);
    case 'extension':
      return writeExtension(resource, target.schema, value, mode);
    case 'attribute':
      return writeAttribute(resource, target.attribute, value, mode);
    case 'elements':
      return writeElements(resource, target, value);
  }
}

/**
 * A path-less operation: each key of the value is an attribute path of its own (`displayName`, `name.givenName`,
 * `urn:…:enterprise:2.0:User:employeeNumber`, or an extension URN with an object), applied in order as if it were
 * a separate operation (guide Q3, Q4; path-less operations silently skipped are trap T34). A literal
 * "name.givenName" key is therefore never stored, and a key the registry does not know is a 400 `invalidPath`.
 */
function writeAttributes(resource: WorkingResource, value: unknown, mode: WriteMode): void {
  if (!isJsonObject(value)) {
    throw ScimError.invalidValue(`Without a path, the value of ${mode} must be an object of attributes, not ${describeValue(value)}.`);
  }
  for (const [key, item] of Object.entries(value)) {
    // `schemas` is tolerated in value objects as in POST bodies; the result's `schemas` follows its content.
    if (key.toLowerCase() === 'schemas') continue;
    writeTarget(resource, resolvePatchTarget(resource.type, key), item, mode);
  }
}

/** The whole extension as path: each key of the value is one of its attributes, merged as for a complex value. */
function writeExtension(resource: WorkingResource, schema: SchemaDefinition, value: unknown, mode: WriteMode): void {
  if (!isJsonObject(value)) {
    throw ScimError.invalidValue(`The value of ${schema.id} must be an object of its attributes, not ${describeValue(value)}.`);
  }
  for (const [key, item] of Object.entries(value)) {
    const attribute = resource.type.resolve(`${schema.id}:${key}`);
    if (attribute === undefined) throw ScimError.invalidPath(`"${key}" is not an attribute of ${schema.id}.`);
    writeAttribute(resource, attribute, item, mode);
  }
}

function writeAttribute(resource: WorkingResource, attribute: ResolvedAttribute, value: unknown, mode: WriteMode): void {
  const definition = attribute.attribute;
  if (attribute.definition.mutability === 'readOnly' || definition.mutability === 'readOnly') {
    return ignoreReadOnlyEcho(resource, attribute, value);
  }
  if (attribute.subAttribute !== undefined) return writeSubAttribute(resource, attribute, attribute.subAttribute, value);
  if (definition.multiValued)
    return mode === 'add' ? appendElements(resource, attribute, value) : replaceElements(resource, attribute, value);
  if (definition.type === 'complex') return mergeComplexValue(resource, attribute, value);

  const next = readAttribute(definition, value, attribute.path);
  if (next === undefined && definition.required) {
    throw ScimError.invalidValue(`${attribute.path} is required; it cannot be set to ${describeValue(value)}.`);
  }
  assertImmutable(definition, resource.get(attribute), next, attribute.path);
  resource.set(attribute, next);
}

/** `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`: one sub-attribute of a single complex value. */
function writeSubAttribute(resource: WorkingResource, attribute: ResolvedAttribute, sub: AttributeDefinition, value: unknown): void {
  const definition = attribute.attribute;
  if (definition.multiValued) {
    const example = subAttributeOf(definition, 'type') === undefined ? 'value eq "…"' : 'type eq "work"';
    throw ScimError.invalidPath(
      `${attribute.path} would change every element of ${definition.name}; choose the elements with a value filter, ` +
        `e.g. ${definition.name}[${example}].${sub.name}.`,
    );
  }
  const current = resource.get(attribute);
  const next = isJsonObject(current) && !isNewReferent(definition, current, sub, value, attribute.path) ? { ...current } : {};
  setSubAttribute(next, sub, value, attribute.path);
  resource.set(attribute, nonEmpty(next));
}

/**
 * `name` or `manager` as a whole. The value may come as an object, a bare id or a one-element list (guide Q10);
 * its sub-attributes are merged into the current value (trap T27), so `{"givenName": "Ann"}` keeps `familyName`.
 * `""`, `{"value": ""}` and null clear the manager (Q11): nothing of it is left, so it is not returned at all.
 */
function mergeComplexValue(resource: WorkingResource, attribute: ResolvedAttribute, value: unknown): void {
  const definition = attribute.attribute;
  const shaped = singleComplexValue(definition, value, attribute.path);
  if (shaped === null || shaped === undefined) {
    if (definition.required) throw ScimError.invalidValue(`${attribute.path} is required; it cannot be set to ${describeValue(value)}.`);
    resource.set(attribute, undefined);
    return;
  }
  // readAttribute refuses a value that is not an object with the same message POST gives.
  if (!isJsonObject(shaped)) {
    readAttribute(definition, shaped, attribute.path);
    throw ScimError.invalidValue(`${attribute.path} must be an object, not ${describeValue(value)}.`);
  }
  const current = resource.get(attribute);
  const valueKey = keysIgnoringCase(shaped, 'value')[0];
  const valueSub = subAttributeOf(definition, 'value');
  const startsOver =
    !isJsonObject(current) ||
    (valueKey !== undefined &&
      valueSub !== undefined &&
      isNewReferent(definition, current, valueSub, shaped[valueKey], `${attribute.path}.${valueSub.name}`));
  const next = startsOver ? {} : { ...current };
  mergeSubAttributes(definition, next, shaped, attribute.path);
  resource.set(attribute, nonEmpty(next));
}

/**
 * A manager's `$ref` and `displayName` describe the user its `value` names. A new `value` names another user, so
 * they go with the old one instead of describing the wrong person.
 */
function isNewReferent(
  definition: AttributeDefinition,
  current: JsonObject,
  sub: AttributeDefinition,
  value: unknown,
  subPath: string,
): boolean {
  if (sub.name !== 'value' || definition.multiValued) return false;
  const before = ownValue(current, sub.name);
  return before !== undefined && !isSameSimpleValue(sub, before, readAttribute(sub, value, subPath));
}

/**
 * `add` on a multi-valued attribute appends. An element that says nothing new is not added again (RFC 7644
 * §3.5.2.1), a member already present stays as it is (trap T25), and an element with the `value` and `type` of an
 * existing one is merged into it rather than repeated.
 */
function appendElements(resource: WorkingResource, attribute: ResolvedAttribute, value: unknown): void {
  const definition = attribute.attribute;
  const elements = currentElements(resource, attribute);
  const members = isIdentifiedByValue(definition) ? new Set(elements.map((element) => memberKey(definition, element))) : undefined;
  const touched = new Set<unknown>();
  for (const element of readElements(definition, value, attribute.path)) {
    if (members !== undefined) {
      // A member without a value is refused by storeElements.
      const key = memberKey(definition, element);
      if (key !== undefined && members.has(key)) continue;
      members.add(key);
    } else {
      if (elements.some((existing) => containsElement(definition, existing, element))) continue;
      const sameReferent = isJsonObject(element)
        ? elements.find((existing) => hasSameValueAndType(definition, existing, element))
        : undefined;
      if (isJsonObject(sameReferent) && isJsonObject(element)) {
        mergeSubAttributes(definition, sameReferent, element, attribute.path);
        touched.add(sameReferent);
        continue;
      }
    }
    elements.push(element);
    touched.add(element);
  }
  storeElements(resource, attribute, elements, touched);
}

function hasSameValueAndType(definition: AttributeDefinition, existing: unknown, element: JsonObject): boolean {
  const valueSub = subAttributeOf(definition, 'value');
  const typeSub = subAttributeOf(definition, 'type');
  if (valueSub === undefined || !isJsonObject(existing) || ownValue(element, 'value') === undefined) return false;
  const sameType = typeSub === undefined || isSameSimpleValue(typeSub, ownValue(existing, 'type'), ownValue(element, 'type'));
  return sameType && isSameSimpleValue(valueSub, ownValue(existing, 'value'), ownValue(element, 'value'));
}

/** `replace` without a filter: the list given is the new list (duplicates dropped, the first primary kept). */
function replaceElements(resource: WorkingResource, attribute: ResolvedAttribute, value: unknown): void {
  const seen = new Set<string>();
  const elements = readElements(attribute.attribute, value, attribute.path).filter((element) => {
    const text = elementText(element);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
  storeElements(resource, attribute, elements, new Set(elements));
}

/**
 * `emails[type eq "work"].value`, `addresses[type eq "work"]`, `manager[value eq "…"]`: changes every matching
 * element and nothing else (trap T29). When nothing matches and the filter is an `eq` (or an `and` of them), a new
 * element carrying the filter's values is appended (guide Q5, trap T28), so the next operation on the same filter
 * finds it (Q6). Other filters that match nothing are a 400 `noTarget`, as RFC 7644 §3.5.2.3 has it.
 */
function writeElements(resource: WorkingResource, target: ElementsTarget, value: unknown): void {
  const { attribute, subAttribute } = target;
  const definition = attribute.attribute;
  if (definition.mutability === 'readOnly' || subAttribute?.definition.mutability === 'readOnly') {
    throw ScimError.mutability(`${target.text} is read-only.`);
  }
  // RFC 7643 §2.5: null is "no value", so matching elements replaced by null are removed, as `title: null` unassigns.
  if (subAttribute === undefined && value === null) return removeOperation(resource, target, undefined);
  const current = resource.get(attribute);
  const elements = definition.multiValued ? currentElements(resource, attribute) : isJsonObject(current) ? [{ ...current }] : [];
  const matching = elements.filter((element) => isJsonObject(element) && matchesFilter(resource.type, target, element));
  const touched = new Set<unknown>();

  if (matching.length > 0) {
    for (const element of matching) {
      if (isJsonObject(element)) writeElement(element, target, value);
      touched.add(element);
    }
  } else {
    const created = createElement(target, value);
    if (created === undefined) return;
    if (!definition.multiValued && elements.length > 0) {
      throw ScimError.noTarget(`${attribute.path} has a value that does not match ${formatFilter(target.filter)}.`);
    }
    elements.push(created);
    touched.add(created);
  }

  if (definition.multiValued) storeElements(resource, attribute, elements, touched);
  else resource.set(attribute, isJsonObject(elements[0]) ? nonEmpty(elements[0]) : undefined);
}

/** The element a filtered add or replace creates when nothing matches, or undefined when it would hold nothing new. */
function createElement(target: ElementsTarget, value: unknown): JsonObject | undefined {
  if (target.seed === undefined) {
    throw ScimError.noTarget(
      `No element matches ${target.text}; a missing element can only be created from "eq" comparisons joined by "and".`,
    );
  }
  const element: JsonObject = {};
  for (const [sub, filterValue] of target.seed) {
    const read = readAttribute(sub, filterValue, `${target.attribute.path}.${sub.name}`);
    if (read !== undefined) element[sub.name] = read;
  }
  const seeded = { ...element };
  writeElement(element, target, value);
  return isDeepEqual(element, seeded) ? undefined : element;
}

function writeElement(element: JsonObject, target: ElementsTarget, value: unknown): void {
  const definition = target.attribute.attribute;
  if (target.subAttribute !== undefined) {
    setSubAttribute(element, target.subAttribute.definition, value, target.text);
    return;
  }
  const shaped = definition.multiValued
    ? Array.isArray(value) && value.length === 1
      ? value[0]
      : value
    : singleComplexValue(definition, value, target.text);
  if (!isJsonObject(shaped)) {
    throw ScimError.invalidValue(`${target.text} takes an object of sub-attributes, not ${describeValue(value)}.`);
  }
  mergeSubAttributes(definition, element, shaped, target.attribute.path);
}
