import { AttributeDefinition, SchemaDefinition } from './attribute-definition';
import { COMMON_ATTRIBUTES } from './common-attributes';

export interface SchemaExtension {
  readonly schema: SchemaDefinition;
  readonly required: boolean;
}

export interface ResourceTypeDefinition {
  /** Used as both `id` and `name` of the ResourceType resource (RFC 7643 §6), e.g. `User`. */
  readonly name: string;
  /** Relative to the base URL, e.g. `/Users`. */
  readonly endpoint: string;
  readonly description: string;
  readonly schema: SchemaDefinition;
  readonly schemaExtensions: readonly SchemaExtension[];
}

/**
 * A name to resolve, split into its parts. The filter AST's `AttributePath` has this shape, so a parsed filter or
 * PATCH path resolves without being formatted back to a string. `schema` is a URN as written (any case).
 */
export interface AttributeReference {
  readonly schema?: string;
  readonly name: string;
  readonly subAttribute?: string;
}

/** Where an attribute lives: common attributes and core attributes at the top of a resource, extension ones under their URN. */
export type AttributeOrigin = 'common' | 'core' | 'extension';

export interface ResolvedAttribute {
  /** The attribute the path names: `attribute`, or `subAttribute` when there is one. */
  readonly definition: AttributeDefinition;
  /** The top-level attribute (`name` for `name.givenName`). */
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
  /** The URN of the declaring schema in its canonical spelling; the core schema's for common attributes. */
  readonly schema: string;
  readonly origin: AttributeOrigin;
  /**
   * The canonical path: canonical spellings, core and common attributes unqualified (`name.givenName`), extension
   * attributes qualified with their URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`).
   * Two paths that name the same attribute always have the same canonical path.
   */
  readonly path: string;
}

interface IndexedAttribute {
  readonly definition: AttributeDefinition;
  readonly subAttributes: ReadonlyMap<string, AttributeDefinition>;
  readonly origin: AttributeOrigin;
}

interface IndexedSchema {
  readonly definition: SchemaDefinition;
  readonly attributes: ReadonlyMap<string, IndexedAttribute>;
}

/** Lookups ignore case; the lower-case form is the key of every Map below. */
function key(name: string): string {
  return name.toLowerCase();
}

/**
 * A resource type with an index over its schemas. Every lookup goes through Maps keyed by lower-cased names, so
 * names such as `__proto__`, `constructor` or `toString` are simply not found: nothing is ever read from an
 * object prototype (trap T23).
 */
export class ResourceType {
  readonly name: string;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: SchemaDefinition;
  readonly schemaExtensions: readonly SchemaExtension[];

  private readonly core: IndexedSchema;
  private readonly extensions: readonly IndexedSchema[];
  private readonly schemasByUrn: ReadonlyMap<string, IndexedSchema>;
  /** Longest first, so that a URN which extends another listed URN wins when a path is split. */
  private readonly urnsLongestFirst: readonly IndexedSchema[];

  constructor(definition: ResourceTypeDefinition) {
    this.name = definition.name;
    this.endpoint = definition.endpoint;
    this.description = definition.description;
    this.schema = definition.schema;
    this.schemaExtensions = Object.freeze([...definition.schemaExtensions]);

    this.core = indexSchema(definition.schema, 'core', COMMON_ATTRIBUTES);
    this.extensions = definition.schemaExtensions.map((extension) => indexSchema(extension.schema, 'extension', []));
    const byUrn = new Map<string, IndexedSchema>();
    for (const indexed of [this.core, ...this.extensions]) {
      if (byUrn.has(key(indexed.definition.id))) throw new TypeError(`${this.name}: schema ${indexed.definition.id} listed twice.`);
      byUrn.set(key(indexed.definition.id), indexed);
    }
    this.schemasByUrn = byUrn;
    this.urnsLongestFirst = [...byUrn.values()].sort((a, b) => b.definition.id.length - a.definition.id.length);
  }

  /** The core schema first, then the extensions. */
  get schemas(): readonly SchemaDefinition[] {
    return [this.core.definition, ...this.extensions.map((extension) => extension.definition)];
  }

  /** One of this resource type's schemas by URN, in any case. */
  findSchema(urn: string): SchemaDefinition | undefined {
    return this.schemasByUrn.get(key(urn))?.definition;
  }

  /** The extension schema a resource carries under this key (`urn:…:enterprise:2.0:User`, any case), if it is one. */
  findExtension(urn: string): SchemaDefinition | undefined {
    const indexed = this.schemasByUrn.get(key(urn));
    return indexed === undefined || indexed === this.core ? undefined : indexed.definition;
  }

  /**
   * Resolves an attribute path, ignoring case: `userName`, `name.givenName`, `EMAILS.value`,
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, `urn:…:core:2.0:User:userName`, or the
   * filter AST's `{schema?, name, subAttribute?}`. `subAttribute` may instead be passed on its own
   * (`resolve('emails', 'value')`), but not both.
   *
   * An unqualified name is looked up in the core schema (with the common attributes) first, then in the extensions
   * if exactly one of them declares it (guide §4.4), so `manager` finds the enterprise manager.
   *
   * Returns undefined for anything else: unknown names or URNs, a sub-attribute of a simple attribute, more than
   * one dot, a bare schema URN (see `findSchema`), filters (`emails[type eq "work"]`), empty names.
   */
  resolve(path: string | AttributeReference, subAttribute?: string): ResolvedAttribute | undefined {
    const reference = typeof path === 'string' ? this.split(path) : path;
    if (reference === undefined) return undefined;
    if (subAttribute !== undefined && reference.subAttribute !== undefined) return undefined;
    const subName = subAttribute ?? reference.subAttribute;

    const found = this.findAttribute(reference.schema, reference.name);
    if (found === undefined) return undefined;
    const { schema, attribute } = found;

    const qualified = attribute.origin === 'extension' ? `${schema.definition.id}:${attribute.definition.name}` : attribute.definition.name;
    if (subName === undefined) {
      return {
        definition: attribute.definition,
        attribute: attribute.definition,
        schema: schema.definition.id,
        origin: attribute.origin,
        path: qualified,
      };
    }
    const sub = attribute.subAttributes.get(key(subName));
    if (sub === undefined) return undefined;
    return {
      definition: sub,
      attribute: attribute.definition,
      subAttribute: sub,
      schema: schema.definition.id,
      origin: attribute.origin,
      path: `${qualified}.${sub.name}`,
    };
  }

  private findAttribute(urn: string | undefined, name: string): { schema: IndexedSchema; attribute: IndexedAttribute } | undefined {
    if (urn !== undefined) {
      const schema = this.schemasByUrn.get(key(urn));
      const attribute = schema?.attributes.get(key(name));
      return schema === undefined || attribute === undefined ? undefined : { schema, attribute };
    }
    const core = this.core.attributes.get(key(name));
    if (core !== undefined) return { schema: this.core, attribute: core };
    const candidates = this.extensions.flatMap((schema) => {
      const attribute = schema.attributes.get(key(name));
      return attribute === undefined ? [] : [{ schema, attribute }];
    });
    // Two extensions declaring the same name make an unqualified name ambiguous: the client must qualify it.
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** `urn:…:User:name.givenName` → {schema, name, subAttribute}; the URN is split at a URN we know, never at its last colon. */
  private split(path: string): AttributeReference | undefined {
    let schema: string | undefined;
    let rest = path;
    if (/^urn:/i.test(path)) {
      const lower = key(path);
      const known = this.urnsLongestFirst.find((indexed) => lower.startsWith(`${key(indexed.definition.id)}:`));
      if (known === undefined) return undefined;
      schema = known.definition.id;
      rest = path.slice(known.definition.id.length + 1);
    }
    const parts = rest.split('.');
    if (parts.length > 2 || parts.some((part) => part === '')) return undefined;
    const [name, subAttribute] = parts;
    return { schema, name, subAttribute };
  }
}

function indexSchema(definition: SchemaDefinition, origin: 'core' | 'extension', common: readonly AttributeDefinition[]): IndexedSchema {
  const attributes = new Map<string, IndexedAttribute>();
  const add = (attribute: AttributeDefinition, attributeOrigin: AttributeOrigin): void => {
    if (attributes.has(key(attribute.name))) throw new TypeError(`${definition.id}: attribute ${attribute.name} is declared twice.`);
    const subAttributes = new Map<string, AttributeDefinition>();
    for (const sub of attribute.subAttributes ?? []) subAttributes.set(key(sub.name), sub);
    attributes.set(key(attribute.name), { definition: attribute, subAttributes, origin: attributeOrigin });
  };
  for (const attribute of common) add(attribute, 'common');
  for (const attribute of definition.attributes) add(attribute, origin);
  return { definition, attributes };
}
