import { ScimError, ScimType } from '../errors/scim-error';
import type { CanonicalResource } from '../resource/read-resource';
import type { ResourceType } from '../schema';
import { isDeepEqual, isJsonObject } from './json-values';
import { MemberDelta, memberDeltaOf } from './member-delta';
import type { PatchOperation } from './patch-request';
import { PatchTarget, resolvePatchTarget } from './patch-target';
import { removeOperation } from './remove-operation';
import { WorkingResource, canonicalForm } from './working-resource';
import { addOperation, replaceOperation } from './write-operations';

export interface PatchResult {
  /** The patched resource in canonical form (see `canonicalForm`); a new object, never the one passed in. */
  readonly resource: CanonicalResource;
  /** Whether the result differs from the resource passed in; when false, keep `meta.lastModified` and `meta.version`. */
  readonly changed: boolean;
  /** For resource types with `members` (Group): the member ids added and removed, to apply as row deltas. */
  readonly memberDelta?: MemberDelta;
}

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a resource, in order, on one private copy: each operation sees
 * what the previous ones did (guide Q6). Pure: `resource` is never changed, and either every operation applies or
 * a ScimError 400 is thrown and nothing did (the request is atomic, guide §4.9). Every path is resolved through
 * the attribute registry before any data is touched (trap T23).
 *
 * Choices where the RFC and the guide leave room (each has cases in patch.cases.json):
 * - `add` on a single-valued attribute sets it, exactly like `replace`; on a complex value both merge the given
 *   sub-attributes (T27). A new manager `value` drops the old manager's `$ref`/`displayName`.
 * - null, `""` and (for `manager`) `{"value": ""}` are "no value" (RFC 7643 §2.5): setting one unassigns.
 * - A required attribute cannot be removed (400 `mutability`, as §4.9 and Q22 say) nor set to no value (400
 *   `invalidValue`: the value is what is wrong there).
 * - A read-only attribute is refused with 400 `mutability` unless the client echoes its current value, which is
 *   ignored: Okta's `id` (Q19), and likewise any read-only simple attribute. Read-only sub-attributes inside a
 *   value object (`manager.displayName`) and names the attribute does not declare are ignored, as in POST (Q13).
 * - Path-less keys and keys under an extension URN are paths: an unknown one is 400 `invalidPath`. The RFC 7643
 *   User attributes we do not store (`roles`, `ims`, `photos`, `entitlements`, `x509Certificates`) are accepted
 *   and ignored in every position (Q20).
 * - `add`/`replace` of `emails.value` without a filter is 400 `invalidPath` (which email?); `remove emails.type`
 *   removes it from every element.
 * - A filtered `replace` of whole elements merges their sub-attributes; replacing them with null removes them.
 * - `primary: false` is dropped from the result (false is the default and the stored form never returns it).
 * - Elements of `members` are identified by `value`: each needs one, repeats are dropped, and adding a member
 *   already present is a no-op whatever its `display`. An added email with the `value` and `type` of an existing
 *   one is merged into it instead of repeated.
 */
export function applyPatch(type: ResourceType, resource: CanonicalResource, operations: readonly PatchOperation[]): PatchResult {
  if (!isJsonObject(resource)) throw new TypeError(`applyPatch needs a ${type.name} resource object.`);
  const before = canonicalForm(type, resource);
  const working = WorkingResource.copyOf(type, resource);
  operations.forEach((operation, index) => {
    try {
      applyOperation(working, operation);
    } catch (error) {
      throw error instanceof ScimError ? naming(`Operations[${index}]`, error) : error;
    }
  });
  const after = working.toCanonical();
  const memberDelta = memberDeltaOf(type, before, after);
  return { resource: after, changed: !isDeepEqual(before, after), ...(memberDelta === undefined ? {} : { memberDelta }) };
}

function applyOperation(resource: WorkingResource, operation: PatchOperation): void {
  const { op, path, value } = operation;
  if (op !== 'remove' && value === undefined) throw ScimError.invalidValue(`${op} needs a "value".`);
  if (path === undefined) {
    // RFC 7644 §3.5.2.2: remove without a path has no target (and once crashed servers, trap T33).
    if (op === 'remove') throw ScimError.noTarget('remove needs a "path" naming what to remove.');
    const target: PatchTarget = { kind: 'resource' };
    return op === 'add' ? addOperation(resource, target, value) : replaceOperation(resource, target, value);
  }
  const target = resolvePatchTarget(resource.type, path);
  switch (op) {
    case 'add':
      return addOperation(resource, target, value);
    case 'replace':
      return replaceOperation(resource, target, value);
    case 'remove':
      return removeOperation(resource, target, value);
    default:
      throw ScimError.invalidValue(`op must be "add", "remove" or "replace", not ${JSON.stringify(op)}.`);
  }
}

const ERRORS_BY_TYPE: Partial<Record<ScimType, (detail: string) => ScimError>> = {
  invalidPath: ScimError.invalidPath,
  invalidValue: ScimError.invalidValue,
  invalidSyntax: ScimError.invalidSyntax,
  noTarget: ScimError.noTarget,
  mutability: ScimError.mutability,
};

/** The same error with the failing operation named first, so a client sending 36 operations knows which one. */
function naming(where: string, error: ScimError): ScimError {
  const make = error.status === 400 && error.scimType !== undefined ? ERRORS_BY_TYPE[error.scimType] : undefined;
  return make === undefined || error.detail.startsWith('Operations[') ? error : make(`${where}: ${error.detail}`);
}
