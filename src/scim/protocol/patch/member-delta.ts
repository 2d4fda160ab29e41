import type { CanonicalResource } from '../resource/read-resource';
import type { ResourceType } from '../schema';
import { comparisonKey } from './elements';
import { isJsonObject, ownValue } from './json-values';

/** The member ids a PATCH adds to and removes from a group, for the Groups service to apply as row inserts and deletes. */
export interface MemberDelta {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * The change in `members` between two canonical resources, by member id. Storage applies it as inserts and
 * deletes instead of rewriting the membership (trap T35). An id added and removed again in one request (the SCIM
 * Validator does this, guide Q22) is in neither list. Undefined for resource types without `members`.
 */
export function memberDeltaOf(type: ResourceType, before: CanonicalResource, after: CanonicalResource): MemberDelta | undefined {
  const members = type.resolve('members', 'value');
  if (members === undefined || members.origin !== 'core' || !members.attribute.multiValued) return undefined;
  const valuesOf = (resource: CanonicalResource): string[] => {
    const elements = ownValue(resource, members.attribute.name);
    if (!Array.isArray(elements)) return [];
    return elements.flatMap((element) => {
      const value = isJsonObject(element) ? ownValue(element, members.definition.name) : undefined;
      return typeof value === 'string' ? [value] : [];
    });
  };
  const beforeValues = valuesOf(before);
  const afterValues = valuesOf(after);
  const keys = (values: readonly string[]) => new Set(values.map((value) => comparisonKey(members.definition, value)));
  const beforeKeys = keys(beforeValues);
  const afterKeys = keys(afterValues);
  return {
    added: afterValues.filter((value) => !beforeKeys.has(comparisonKey(members.definition, value))),
    removed: beforeValues.filter((value) => !afterKeys.has(comparisonKey(members.definition, value))),
  };
}
