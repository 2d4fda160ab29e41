import { ScimError } from '../errors/scim-error';
import { parsePath } from '../path';
import { JsonObject, describeValue, isJsonObject, keysIgnoringCase } from './json-values';

export type PatchOpName = 'add' | 'remove' | 'replace';

/** One operation of a PatchOp request (RFC 7644 §3.5.2), with `op` lower-cased and `path` syntax-checked. */
export interface PatchOperation {
  readonly op: PatchOpName;
  /** As the client wrote it; absent for path-less operations. */
  readonly path?: string;
  /** As the client sent it; absent when the operation had no `value` member (allowed for `remove` only). */
  readonly value?: unknown;
}

/**
 * Reads the PatchOp envelope: a JSON object whose `Operations` member (in any case) is a list of operations.
 * `schemas` is not checked: unknown URIs there are tolerated (guide Q13). An empty list is returned as it is, and
 * the caller treats it as a successful no-op (guide Q14); a missing `Operations` is 400 `invalidSyntax`.
 *
 * Each operation's `op` may come in any case (`Add`, `REPLACE`; guide Q1, trap T32); anything else is 400
 * `invalidValue`. A path is parsed here, so a malformed one fails before anything is applied (400 `invalidPath`);
 * whether it names a known attribute is for `applyPatch` to decide. `add` and `replace` need a `value`.
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) {
    throw ScimError.invalidSyntax(`A PATCH request body must be a PatchOp object with an "Operations" list, not ${describeValue(body)}.`);
  }
  const operations = member(body, 'Operations', 'The PATCH request');
  if (operations === undefined) throw ScimError.invalidSyntax('The PATCH request has no "Operations" list (RFC 7644 §3.5.2).');
  if (!Array.isArray(operations)) {
    throw ScimError.invalidSyntax(`"Operations" must be a list of operations, not ${describeValue(operations)}.`);
  }
  return operations.map((operation, index) => parseOperation(operation, `Operations[${index}]`));
}

function parseOperation(operation: unknown, where: string): PatchOperation {
  if (!isJsonObject(operation)) {
    throw ScimError.invalidSyntax(`${where} must be an object with "op", "path" and "value", not ${describeValue(operation)}.`);
  }
  const opText = member(operation, 'op', where);
  const op = typeof opText === 'string' ? opText.toLowerCase() : undefined;
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw ScimError.invalidValue(`${where}.op must be "add", "remove" or "replace" (in any case), not ${describeValue(opText)}.`);
  }

  const path = member(operation, 'path', where);
  if (path !== undefined && path !== null && typeof path !== 'string') {
    throw ScimError.invalidPath(`${where}.path must be a string, not ${describeValue(path)}.`);
  }
  // An empty path is read as no path, which some clients send for path-less operations.
  const hasPath = typeof path === 'string' && path.trim() !== '';
  if (hasPath) checkPathSyntax(path, where);

  const valueKeys = keysIgnoringCase(operation, 'value');
  if (valueKeys.length === 0 && op !== 'remove') throw ScimError.invalidValue(`${where} (${op}) needs a "value".`);
  const value = member(operation, 'value', where);

  return { op, ...(hasPath ? { path } : {}), ...(valueKeys.length === 0 ? {} : { value }) };
}

function checkPathSyntax(path: string, where: string): void {
  try {
    parsePath(path);
  } catch (error) {
    if (error instanceof ScimError) throw ScimError.invalidPath(`${where}.path: ${error.detail}`);
    throw error;
  }
}

/** A member of a PatchOp object by name in any case; the same name twice in different cases is ambiguous. */
function member(object: JsonObject, name: string, where: string): unknown {
  const keys = keysIgnoringCase(object, name);
  if (keys.length > 1)
    throw ScimError.invalidSyntax(`${where} has "${name}" more than once (${keys.map((key) => `"${key}"`).join(', ')}).`);
  return keys.length === 1 ? object[keys[0]] : undefined;
}
