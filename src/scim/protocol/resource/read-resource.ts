import { ScimError } from '../errors/scim-error';
import type { AttributeDefinition, ResourceType, SchemaDefinition } from '../schema';

/** A resource in canonical form: canonical attribute names, extension attributes under their URN. */
export type CanonicalResource = Record<string, unknown>;

/**
 * Reads a POST or PUT body into canonical form, checked against the attribute registry (never with
 * class-validator DTOs, which cannot cope with URN keys and case-insensitive names: trap T48).
 *
 * Lenient where identity providers differ harmlessly (guide Q13): names in any case, `null` and
 * empty strings as absent, unknown attributes and schema URIs ignored, read-only attributes
 * (`id`, `meta`, `groups`) ignored, `"True"`/`"False"` for booleans (Q2), a bare value, object or
 * one-element array for a single-valued complex attribute such as `manager` (Q10). Strict where
 * data would be lost or wrong: a value of the wrong JSON type, a string over its length limit or
 * a missing required attribute is a 400 naming the attribute.
 */
export function readResource(type: ResourceType, body: unknown): CanonicalResource {
  if (!isObject(body)) throw ScimError.invalidSyntax(`The request body must be a JSON object describing a ${type.name}.`);
  const resource: CanonicalResource = {};

  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas' || value === null) continue;
    const extension = type.findExtension(key);
    if (extension) {
      const attributes = readExtension(extension, value);
      if (attributes) resource[extension.id] = { ...(resource[extension.id] as object | undefined), ...attributes };
      continue;
    }
    const resolved = type.resolve(key);
    if (!resolved || resolved.subAttribute || resolved.definition.mutability === 'readOnly') continue;
    const read = readAttribute(resolved.definition, value, resolved.path);
    if (read === undefined) continue;
    if (resolved.origin === 'extension') {
      resource[resolved.schema] = { ...(resource[resolved.schema] as object | undefined), [resolved.definition.name]: read };
    } else {
      resource[resolved.definition.name] = read;
    }
  }

  for (const definition of type.schema.attributes) {
    if (definition.required && resource[definition.name] === undefined) {
      throw ScimError.invalidValue(`${definition.name} is required.`);
    }
  }
  return resource;
}

function readExtension(schema: SchemaDefinition, value: unknown): Record<string, unknown> | undefined {
  if (!isObject(value)) throw ScimError.invalidValue(`${schema.id} must be an object of ${schema.name} attributes.`);
  const attributes: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const definition = findByName(schema.attributes, key);
    if (!definition || definition.mutability === 'readOnly') continue;
    const read = readAttribute(definition, item, `${schema.id}:${definition.name}`);
    if (read !== undefined) attributes[definition.name] = read;
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

/** One attribute's value in canonical form, or undefined when it carries nothing. */
export function readAttribute(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) return readMultiValued(definition, value, path);
  if (definition.type === 'complex') return readComplex(definition, singleComplexValue(definition, value, path), path);
  return readSimple(definition, value, path);
}

function readMultiValued(definition: AttributeDefinition, value: unknown, path: string): unknown[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const read = items
    .map((item, index) =>
      definition.type === 'complex'
        ? readComplex(definition, item, `${path}[${index}]`)
        : readSimple(definition, item, `${path}[${index}]`),
    )
    .filter((item) => item !== undefined);
  if (read.length === 0) return undefined;
  return definition.type === 'complex' ? keepOnePrimary(read as Record<string, unknown>[]) : read;
}

/** RFC 7643 §2.4: at most one element is primary. The first one marked primary keeps the flag. */
function keepOnePrimary(elements: Record<string, unknown>[]): Record<string, unknown>[] {
  let seen = false;
  return elements.map((element) => {
    if (element.primary !== true) return element;
    if (!seen) {
      seen = true;
      return element;
    }
    return { ...element, primary: false };
  });
}

/**
 * `manager` arrives as "id", {"value": "id"} or [{"value": "id"}] (guide Q10); all mean the same. Returns the one
 * value in its object shape (or as sent, when it has none, for `readAttribute` to refuse). The PATCH engine uses it
 * to merge sub-attributes one by one.
 */
export function singleComplexValue(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (Array.isArray(value)) {
    if (value.length > 1) throw ScimError.invalidValue(`${path} takes one value, not a list of ${value.length}.`);
    return value[0];
  }
  if (typeof value === 'string' && findByName(definition.subAttributes ?? [], 'value')) return { value };
  return value;
}

function readComplex(definition: AttributeDefinition, value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) throw ScimError.invalidValue(`${path} must be an object.`);
  const read: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = findByName(definition.subAttributes ?? [], key);
    if (!sub || sub.mutability === 'readOnly') continue;
    const subValue = readSimple(sub, item, `${path}.${sub.name}`);
    if (subValue !== undefined) read[sub.name] = subValue;
  }
  return Object.keys(read).length > 0 ? read : undefined;
}

function readSimple(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary': {
      if (typeof value !== 'string') throw ScimError.invalidValue(`${path} must be a string, not ${describe(value)}.`);
      if (value === '') return undefined;
      if (definition.maxLength !== undefined && [...value].length > definition.maxLength) {
        throw ScimError.invalidValue(`${path} is longer than ${definition.maxLength} characters.`);
      }
      return value;
    }
    case 'boolean':
      return readBoolean(value, path);
    case 'integer':
      if (!Number.isInteger(value)) throw ScimError.invalidValue(`${path} must be an integer, not ${describe(value)}.`);
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw ScimError.invalidValue(`${path} must be a number, not ${describe(value)}.`);
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw ScimError.invalidValue(`${path} must be an ISO 8601 date-time, not ${describe(value)}.`);
      }
      return new Date(value).toISOString();
    case 'complex':
      throw ScimError.invalidValue(`${path} cannot hold a nested complex value.`);
  }
}

/** Entra sends "True"/"False" for booleans in some tenants (guide Q2); only boolean attributes accept them. */
export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw ScimError.invalidValue(`${path} must be true or false, not ${describe(value)}.`);
}

function findByName(definitions: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return definitions.find((definition) => definition.name.toLowerCase() === lower);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`;
}
