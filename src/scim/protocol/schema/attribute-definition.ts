/**
 * Attribute and schema declarations (RFC 7643 §2.2 and §7). One declaration drives input checks, output shaping
 * (`returned`) and the /Schemas document, so everything the service knows about an attribute lives here.
 */

export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  /** The canonical spelling, used in output; lookups ignore case. */
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly description: string;
  /** Only on `complex` attributes, and only one level deep (RFC 7643 §2.4: no complex inside complex). */
  readonly subAttributes?: readonly AttributeDefinition[];
  readonly canonicalValues?: readonly string[];
  /** Only on `reference` attributes: `User`, `Group`, `external`, `uri`. */
  readonly referenceTypes?: readonly string[];
  /** Our own limit for string values (input checks, column sizes); not part of RFC 7643, not emitted in /Schemas. */
  readonly maxLength?: number;
}

export interface SchemaDefinition {
  /** The schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

/** Everything but the name and description, for `attribute()`; omitted characteristics take RFC 7643 §2.2 defaults. */
export type AttributeCharacteristics = Partial<Omit<AttributeDefinition, 'name' | 'description'>>;

/**
 * Declares an attribute with the defaults of RFC 7643 §2.2: a single-valued string, not required, not case-exact,
 * readWrite, returned by default, no uniqueness. Declarations then only spell out what differs, as the RFC does.
 */
export function attribute(name: string, description: string, characteristics: AttributeCharacteristics = {}): AttributeDefinition {
  return {
    name,
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    description,
    ...characteristics,
  };
}

// Never valid as attribute names: a registry lookup must not be able to reach an object prototype (trap T23).
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
// RFC 7643 §2.1 ATTRNAME, plus `$ref`, which the RFC itself uses as a sub-attribute name.
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
const SCHEMA_URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]*(?::[A-Za-z0-9._-]+)+$/;

/**
 * Checks a schema declaration and freezes it. A mistake in a declaration (a duplicate name in another case, a
 * complex attribute without sub-attributes, `maxLength` on a boolean) fails when the module loads, not when a
 * client first trips over it.
 */
export function defineSchema(schema: SchemaDefinition): SchemaDefinition {
  if (!SCHEMA_URN.test(schema.id)) throw new TypeError(`Schema id "${schema.id}" is not a URN.`);
  checkAttributes(schema.attributes, schema.id, 1);
  return deepFreeze(schema);
}

/** The same checks and freezing for attributes that belong to no schema (the common attributes of RFC 7643 §3.1). */
export function defineAttributes(owner: string, attributes: readonly AttributeDefinition[]): readonly AttributeDefinition[] {
  checkAttributes(attributes, owner, 1);
  return deepFreeze(attributes);
}

function checkAttributes(attributes: readonly AttributeDefinition[], where: string, level: 1 | 2): void {
  const seen = new Set<string>();
  for (const definition of attributes) {
    const at = `${where}:${definition.name}`;
    if (!ATTRIBUTE_NAME.test(definition.name) || RESERVED_NAMES.has(definition.name.toLowerCase())) {
      throw new TypeError(`${at}: invalid attribute name.`);
    }
    const key = definition.name.toLowerCase();
    if (seen.has(key)) throw new TypeError(`${at}: declared twice (names are case-insensitive).`);
    seen.add(key);
    if (definition.description.trim() === '') throw new TypeError(`${at}: description is empty.`);
    if (definition.type === 'complex') {
      if (level === 2) throw new TypeError(`${at}: a sub-attribute cannot be complex (RFC 7643 §2.4).`);
      if (definition.subAttributes === undefined || definition.subAttributes.length === 0) {
        throw new TypeError(`${at}: a complex attribute needs sub-attributes.`);
      }
      checkAttributes(definition.subAttributes, at, 2);
    } else if (definition.subAttributes !== undefined) {
      throw new TypeError(`${at}: only complex attributes have sub-attributes.`);
    }
    if (definition.referenceTypes !== undefined && definition.type !== 'reference') {
      throw new TypeError(`${at}: referenceTypes is only for reference attributes.`);
    }
    if (definition.maxLength !== undefined) {
      if (definition.type !== 'string' && definition.type !== 'reference' && definition.type !== 'binary') {
        throw new TypeError(`${at}: maxLength is only for string-like attributes.`);
      }
      if (!Number.isInteger(definition.maxLength) || definition.maxLength < 1)
        throw new TypeError(`${at}: maxLength must be a positive integer.`);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
