import type { AttributeDefinition, AttributeReference, ResourceType } from '../protocol/schema';

/**
 * Where the attributes of one resource type are stored, declared as data: the whitelist that the filter and
 * sort compilers work from (trap T13). An attribute that is not declared here cannot be filtered or sorted on;
 * the compilers answer it with a 400, never with "match everything" (trap T9).
 *
 * Declarations name storage only. Types and `caseExact` come from the attribute registry, so the SQL compares
 * exactly as the schema documents say it does; `defineFilterMap` checks each declaration against the registry
 * when the module loads.
 */

/** One column holding a simple attribute or sub-attribute. */
export interface ColumnDeclaration {
  readonly column: string;
  readonly nullable: boolean;
  /**
   * A column kept equal to `normaliseKey(column)`. Case-insensitive comparisons use it (and its index) instead
   * of `LOWER(column)`; only for attributes that are not case-exact.
   */
  readonly normalizedColumn?: string;
}

/** A table with one row per element of a multi-valued attribute (`user_emails`). */
export interface ChildTableDeclaration {
  readonly table: string;
  /** Column holding the owning resource's id. */
  readonly parentColumn: string;
  /** Prefix for subquery aliases (`email` → `email0`, `email1`, …). */
  readonly alias: string;
  /**
   * A column the child row shares with its owner and that leads an index of the child table (the organisation).
   * The subquery then compares it too, so the database can find the elements by that index instead of reading the
   * whole child table (MariaDB turns the EXISTS into a semi-join scan otherwise; scim-explain.e2e-spec.ts).
   */
  readonly sharedColumn?: string;
}

export type AttributeStorage =
  /** A simple single-valued attribute: `userName`, `active`. */
  | { readonly kind: 'column'; readonly column: ColumnDeclaration }
  /** A single-valued complex attribute whose sub-attributes are columns of the resource's own row: `name`. */
  | { readonly kind: 'complex'; readonly subAttributes: Readonly<Record<string, ColumnDeclaration>> }
  /** A multi-valued complex attribute stored one element per row of a child table: `emails`. */
  | {
      readonly kind: 'multiValued';
      readonly table: ChildTableDeclaration;
      readonly subAttributes: Readonly<Record<string, ColumnDeclaration>>;
    };

export interface FilterMapDeclaration {
  readonly resourceType: ResourceType;
  /** The resource's primary key on its own table; child tables correlate with it. */
  readonly idColumn: string;
  /** What a list is sorted by when the client names no `sortBy` (trap T18: creation time, then id). */
  readonly defaultSortBy: string;
  /** Keyed by attribute path as the registry resolves it (`userName`, `urn:…:enterprise:2.0:User:department`). */
  readonly attributes: Readonly<Record<string, AttributeStorage>>;
}

/** How the compilers compare a stored value. */
export type StoredValueType = 'string' | 'boolean' | 'dateTime';

/** A declared column with what the registry says about the attribute stored in it. */
export interface MappedColumn extends ColumnDeclaration {
  /** The canonical attribute path, for error details. */
  readonly path: string;
  readonly type: StoredValueType;
  readonly caseExact: boolean;
}

export type MappedAttribute =
  | { readonly kind: 'column'; readonly path: string; readonly column: MappedColumn }
  | { readonly kind: 'complex'; readonly path: string; readonly subAttributes: ReadonlyMap<string, MappedColumn> }
  | {
      readonly kind: 'multiValued';
      readonly path: string;
      readonly table: ChildTableDeclaration;
      readonly subAttributes: ReadonlyMap<string, MappedColumn>;
    };

/** The declared attributes, indexed for lookups. */
export interface MappedAttributes {
  readonly resourceType: ResourceType;
  /** Keyed by `attributeKey`. */
  readonly attributes: ReadonlyMap<string, MappedAttribute>;
}

export interface FilterMap extends MappedAttributes {
  readonly idColumn: string;
  readonly defaultSort: MappedColumn;
}

export type MappedLookup =
  | { readonly found: true; readonly attribute: MappedAttribute; readonly subAttribute?: MappedColumn }
  /** `unknown`: the registry has no such attribute; `notMapped`: it exists but is not filterable or sortable. */
  | { readonly found: false; readonly reason: 'unknown' | 'notMapped' };

export function requiredColumn(column: string, options: { normalizedColumn?: string } = {}): ColumnDeclaration {
  return { column, nullable: false, ...options };
}

export function nullableColumn(column: string): ColumnDeclaration {
  return { column, nullable: true };
}

/**
 * Checks a declaration against the attribute registry and indexes it. A path the registry does not know, a
 * storage kind that contradicts the schema (a column for a multi-valued attribute), a never-returned attribute
 * such as `password`, or a normalised column on a case-exact attribute throws when the module loads.
 */
export function defineFilterMap(declaration: FilterMapDeclaration): FilterMap {
  const { resourceType } = declaration;
  const attributes = new Map<string, MappedAttribute>();
  for (const [path, storage] of Object.entries(declaration.attributes)) {
    const resolved = resourceType.resolve(path);
    if (resolved === undefined || resolved.subAttribute !== undefined) {
      throw new TypeError(`${resourceType.name} filter map: "${path}" is not a top-level attribute.`);
    }
    const key = attributeKey(resolved.schema, resolved.attribute.name);
    if (attributes.has(key)) throw new TypeError(`${resourceType.name} filter map: "${path}" is declared twice.`);
    attributes.set(key, mapAttribute(resourceType, resolved.path, resolved.attribute, storage));
  }
  const defaultSort = singleValuedColumn(lookupMapped({ resourceType, attributes }, declaration.defaultSortBy));
  if (defaultSort === undefined) {
    throw new TypeError(`${resourceType.name} filter map: defaultSortBy "${declaration.defaultSortBy}" is not a single-valued column.`);
  }
  return Object.freeze({ resourceType, attributes, idColumn: declaration.idColumn, defaultSort });
}

/**
 * Finds the storage of an attribute path, ignoring case and accepting schema URN prefixes (the registry's
 * rules). `subAttribute` names a sub-attribute separately, as inside `emails[type eq "work"]`.
 */
export function lookupMapped(map: MappedAttributes, path: string | AttributeReference, subAttribute?: string): MappedLookup {
  const resolved = map.resourceType.resolve(path, subAttribute);
  if (resolved === undefined) return { found: false, reason: 'unknown' };
  const attribute = map.attributes.get(attributeKey(resolved.schema, resolved.attribute.name));
  if (attribute === undefined) return { found: false, reason: 'notMapped' };
  if (resolved.subAttribute === undefined) return { found: true, attribute };
  const sub = attribute.kind === 'column' ? undefined : attribute.subAttributes.get(resolved.subAttribute.name.toLowerCase());
  return sub === undefined ? { found: false, reason: 'notMapped' } : { found: true, attribute, subAttribute: sub };
}

/**
 * The one column a single-valued path stands for: a simple attribute, a sub-attribute of a single-valued complex
 * attribute, or the `value` of one used as a whole (`manager` means `manager.value`, guide §4.5).
 */
export function singleValuedColumn(lookup: MappedLookup): MappedColumn | undefined {
  if (!lookup.found || lookup.attribute.kind === 'multiValued') return undefined;
  if (lookup.subAttribute !== undefined) return lookup.subAttribute;
  return lookup.attribute.kind === 'column' ? lookup.attribute.column : lookup.attribute.subAttributes.get('value');
}

function attributeKey(schema: string, name: string): string {
  return `${schema}:${name}`.toLowerCase();
}

function mapAttribute(
  resourceType: ResourceType,
  path: string,
  definition: AttributeDefinition,
  storage: AttributeStorage,
): MappedAttribute {
  const where = `${resourceType.name} filter map: "${path}"`;
  const isComplex = definition.type === 'complex';
  const expected = definition.multiValued ? 'multiValued' : isComplex ? 'complex' : 'column';
  if (storage.kind !== expected)
    throw new TypeError(`${where} is declared as ${storage.kind} storage, but the schema makes it ${expected}.`);
  if (storage.kind === 'column') return { kind: 'column', path, column: mapColumn(where, path, definition, storage.column) };
  if (Object.keys(storage.subAttributes).length === 0) throw new TypeError(`${where} declares no sub-attributes.`);
  const subAttributes = new Map<string, MappedColumn>();
  for (const [name, column] of Object.entries(storage.subAttributes)) {
    const sub = definition.subAttributes?.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (sub === undefined) throw new TypeError(`${where} has no sub-attribute "${name}".`);
    subAttributes.set(sub.name.toLowerCase(), mapColumn(`${where}.${sub.name}`, `${path}.${sub.name}`, sub, column));
  }
  return storage.kind === 'complex'
    ? { kind: 'complex', path, subAttributes }
    : { kind: 'multiValued', path, table: storage.table, subAttributes };
}

function mapColumn(where: string, path: string, definition: AttributeDefinition, column: ColumnDeclaration): MappedColumn {
  // RFC 7644 §3.4.2.2 with SCIMple's reading: what is never returned (password) is never filterable either.
  if (definition.returned === 'never') throw new TypeError(`${where} is never returned, so it cannot be filtered or sorted on.`);
  const type = storedValueType(where, definition);
  if (column.normalizedColumn !== undefined && (definition.caseExact || type !== 'string')) {
    throw new TypeError(`${where}: a normalised column only serves case-insensitive strings.`);
  }
  return { ...column, path, type, caseExact: definition.caseExact };
}

function storedValueType(where: string, definition: AttributeDefinition): StoredValueType {
  switch (definition.type) {
    case 'string':
    case 'reference':
      return 'string';
    case 'boolean':
    case 'dateTime':
      return definition.type;
    default:
      throw new TypeError(`${where}: ${definition.type} attributes are not supported by the filter compiler.`);
  }
}
