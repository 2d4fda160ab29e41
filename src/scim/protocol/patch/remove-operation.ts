import { ScimError } from '../errors/scim-error';
import type { AttributeDefinition, ResolvedAttribute } from '../schema';
import { assertImmutable, currentElements, readElements, removeSubAttribute, storeElements } from './attribute-writes';
import { comparisonKey, containsElement, subAttributeOf } from './elements';
import { isJsonObject, nonEmpty, ownValue } from './json-values';
import { PatchTarget, matchesFilter } from './patch-target';
import type { WorkingResource } from './working-resource';

type ElementsTarget = Extract<PatchTarget, { kind: 'elements' }>;

/**
 * RFC 7644 §3.5.2.2 `remove`. Without a filter the attribute is unassigned, except that a `value` list on a
 * multi-valued attribute removes only the listed elements (guide Q7: Entra's default member removal; clearing the
 * whole group there is the data-loss trap T24). With a filter, the matching elements (or their sub-attribute) go,
 * and a filter that matches nothing changes nothing (Q8, Q11). Required and read-only attributes cannot be removed
 * (400 `mutability`, guide §4.9 and Q22).
 */
export function removeOperation(resource: WorkingResource, target: PatchTarget, value: unknown): void {
  switch (target.kind) {
    case 'ignored':
      return;
    case 'resource':
      throw ScimError.noTarget(`remove needs the path of an attribute, not the whole ${resource.type.name}.`);
    case 'extension':
      for (const attribute of resource.presentAttributesOf(target.schema)) removeAttribute(resource, attribute, undefined);
      return;
    case 'attribute':
      return removeAttribute(resource, target.attribute, value);
    case 'elements':
      return removeElements(resource, target);
  }
}

function removeAttribute(resource: WorkingResource, attribute: ResolvedAttribute, value: unknown): void {
  const definition = attribute.attribute;
  if (attribute.definition.mutability === 'readOnly' || definition.mutability === 'readOnly') {
    throw ScimError.mutability(`${attribute.path} is read-only and cannot be removed.`);
  }
  if (attribute.definition.required) throw ScimError.mutability(`${attribute.path} is required and cannot be removed.`);

  const sub = attribute.subAttribute;
  if (sub !== undefined) {
    if (definition.multiValued) {
      // `emails.display`: the sub-attribute goes from every element (RFC 7644 §3.5.2.2).
      const elements = currentElements(resource, attribute);
      for (const element of elements) if (isJsonObject(element)) removeSubAttribute(element, sub, attribute.path);
      storeElements(resource, attribute, elements, new Set());
      return;
    }
    const current = resource.get(attribute);
    if (!isJsonObject(current)) return;
    const next = { ...current };
    removeSubAttribute(next, sub, attribute.path);
    resource.set(attribute, nonEmpty(next));
    return;
  }

  if (definition.multiValued && value !== undefined && value !== null) return removeListedElements(resource, attribute, value);
  assertImmutable(definition, resource.get(attribute), undefined, attribute.path);
  resource.set(attribute, undefined);
}

/**
 * `{"op": "remove", "path": "members", "value": [{"value": "<id>"}]}`: removes the listed elements only. An item
 * with a `value` selects elements by that value alone, whatever else it carries (Entra adds `"$ref": null`, and
 * comparing whole objects made the scim-patch package remove nothing); an item without one selects the elements
 * that contain all it says. A bare string is taken as a `value`.
 */
function removeListedElements(resource: WorkingResource, attribute: ResolvedAttribute, value: unknown): void {
  const definition = attribute.attribute;
  const valueSub = subAttributeOf(definition, 'value');
  const listed = (Array.isArray(value) ? value : [value]).map((item) =>
    typeof item === 'string' && definition.type === 'complex' && valueSub !== undefined ? { [valueSub.name]: item } : item,
  );
  const selectors = readElements(definition, listed, attribute.path);
  // Items with a value are looked up in a Set: Entra removes members from groups of thousands.
  const listedValues = new Set(selectors.map((selector) => selectedValue(valueSub, selector)).filter((key) => key !== undefined));
  const others = selectors.filter((selector) => selectedValue(valueSub, selector) === undefined);
  const kept = currentElements(resource, attribute).filter((element) => {
    const key = selectedValue(valueSub, element);
    if (key !== undefined && listedValues.has(key)) return false;
    return !others.some((selector) => containsElement(definition, element, selector));
  });
  storeElements(resource, attribute, kept, new Set());
}

/** The comparison key of an element's (or list item's) `value`, when the attribute has one and it is set. */
function selectedValue(valueSub: AttributeDefinition | undefined, element: unknown): unknown {
  const value = valueSub !== undefined && isJsonObject(element) ? ownValue(element, valueSub.name) : undefined;
  return valueSub === undefined || value === undefined ? undefined : comparisonKey(valueSub, value);
}

function removeElements(resource: WorkingResource, target: ElementsTarget): void {
  const { attribute, subAttribute } = target;
  const definition = attribute.attribute;
  if (definition.mutability === 'readOnly' || subAttribute?.definition.mutability === 'readOnly') {
    throw ScimError.mutability(`${target.text} is read-only and cannot be removed.`);
  }
  if (!definition.multiValued) {
    // `manager[value eq "…"]` (guide Q11): clears the manager only if it is the one named.
    const current = resource.get(attribute);
    if (!isJsonObject(current) || !matchesFilter(resource.type, target, current)) return;
    if (subAttribute === undefined) {
      if (definition.required) throw ScimError.mutability(`${attribute.path} is required and cannot be removed.`);
      resource.set(attribute, undefined);
      return;
    }
    const next = { ...current };
    removeSubAttribute(next, subAttribute.definition, target.text);
    resource.set(attribute, nonEmpty(next));
    return;
  }

  const elements = currentElements(resource, attribute);
  const matching = new Set(elements.filter((element) => isJsonObject(element) && matchesFilter(resource.type, target, element)));
  if (matching.size === 0) return;
  if (subAttribute === undefined) {
    storeElements(
      resource,
      attribute,
      elements.filter((element) => !matching.has(element)),
      new Set(),
    );
    return;
  }
  for (const element of matching) if (isJsonObject(element)) removeSubAttribute(element, subAttribute.definition, target.text);
  storeElements(resource, attribute, elements, new Set());
}
