import { AttributeDefinition, ResolvedAttribute, ResourceType, ResourceTypeName, findResourceType } from '../schema';

/** The `attributes` / `excludedAttributes` query parameters (RFC 7644 §3.4.2.5), as lists of names. */
export interface Projection {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
}

/** A SCIM resource as JSON, e.g. what a mapper produced. */
export type ScimJsonObject = { readonly [key: string]: unknown };

/**
 * Splits an `attributes` or `excludedAttributes` parameter into names: `'userName,name.givenName, emails'` →
 * `['userName', 'name.givenName', 'emails']`. Blanks around names and empty entries are dropped. A parameter
 * repeated in the query string (`?attributes=a&attributes=b`) arrives as an array and is flattened.
 */
export function parseAttributeList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const values: readonly string[] = typeof value === 'string' ? [value] : value;
  return values
    .flatMap((entry) => entry.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/**
 * Shapes a resource for output under the registry's `returned` rules (RFC 7643 §7) and the `attributes` /
 * `excludedAttributes` parameters (RFC 7644 §3.4.2.5, guide §4.8):
 *
 * - `returned: never` (`password`) is never output, whatever was asked.
 * - `returned: always` (`id`, `meta.resourceType`) is always output; `excludedAttributes` cannot remove it.
 *   `schemas` is always output too. `userName` and Group `displayName` are `default`, as in RFC 7643 §8.7.1.
 * - With `attributes`: only the named attributes plus the `always` ones. A named complex attribute brings its
 *   `default` sub-attributes; `name.givenName` brings `name` with `givenName` only. A `request` attribute or
 *   sub-attribute is output only when named itself (naming its parent is not enough).
 * - With `excludedAttributes`: the default set minus the named attributes or sub-attributes.
 * - With both, `attributes` wins (guide §4.8); an empty list counts as absent.
 * - Names are resolved through the registry: case-insensitive, with or without schema URN; naming an extension
 *   URN alone (`urn:…:enterprise:2.0:User`) selects or excludes the whole extension.
 *
 * Choices where the RFC is silent:
 * - Names the registry does not know (`foo`, `emails[type eq "work"]`, `__proto__`) are ignored, not answered
 *   with 400. RFC 7644 §3.4.2.5 gives no error for them, and a client asking for an attribute we do not store
 *   should get the resource rather than a failure. Filters are different: an unknown attribute there is a 400
 *   (trap T9), because ignoring it would change which resources match.
 * - Only what the registry declares is output, under its canonical spelling: unknown keys, `null`s, empty
 *   arrays, and values whose JSON shape contradicts the declaration (a string where a complex value belongs)
 *   are left out; an attribute with nothing left is absent, never `{}` or `[]` (RFC 7643 §2.5: unassigned).
 *   So `excludedAttributes=members` leaves no `members` key at all (trap T22).
 * - `schemas` is rebuilt: the core schema, then each extension whose object is still present in the output.
 *
 * The result shares no objects or arrays with `resource`. `resourceType` may be given by name (`'User'`).
 */
export function projectResource(
  resource: ScimJsonObject,
  resourceType: ResourceType | ResourceTypeName,
  projection: Projection = {},
): Record<string, unknown> {
  return resourceProjector(resourceType, projection)(resource);
}

/**
 * projectResource for many resources under one projection, e.g. a page of 100: the names are resolved once and
 * each key of the resources once, not once per resource.
 */
export function resourceProjector(
  resourceType: ResourceType | ResourceTypeName,
  projection: Projection = {},
): (resource: ScimJsonObject) => Record<string, unknown> {
  const type = typeof resourceType === 'string' ? findResourceType(resourceType) : resourceType;
  if (type === undefined) throw new TypeError(`Unknown resource type ${String(resourceType)}.`);
  const projector = new Projector(type, projection);
  return (resource) => projector.project(resource);
}

type Mode = 'default' | 'include' | 'exclude';

/** `always` and `default`: what a response carries when nobody asked for anything in particular. */
function isReturnedByDefault(definition: AttributeDefinition): boolean {
  return definition.returned === 'always' || definition.returned === 'default';
}

function isJsonObject(value: unknown): value is ScimJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Projector {
  private readonly mode: Mode;
  /** Canonical paths named in the list in force: `name`, `name.givenName`, `urn:…:enterprise:2.0:User:manager`. */
  private readonly named = new Set<string>();
  /** Extension URNs named on their own. */
  private readonly namedExtensions = new Set<string>();
  /**
   * Keys of the resources projected, resolved: the same few dozen on every resource of a page. It holds only keys
   * of resources this projector was given, and lives as long as the projector (one request).
   */
  private readonly resolvedKeys = new Map<string, ResolvedAttribute | undefined>();

  constructor(
    private readonly resourceType: ResourceType,
    projection: Projection,
  ) {
    const attributes = projection.attributes ?? [];
    const excluded = projection.excludedAttributes ?? [];
    this.mode = attributes.length > 0 ? 'include' : excluded.length > 0 ? 'exclude' : 'default';
    for (const name of this.mode === 'include' ? attributes : this.mode === 'exclude' ? excluded : []) {
      const extension = resourceType.findExtension(name);
      if (extension !== undefined) {
        this.namedExtensions.add(extension.id);
        continue;
      }
      const resolved = resourceType.resolve(name);
      if (resolved !== undefined) this.named.add(resolved.path);
    }
  }

  project(resource: ScimJsonObject): Record<string, unknown> {
    const output: Record<string, unknown> = {};
    const presentExtensions = new Set<string>();
    for (const [key, value] of Object.entries(resource)) {
      if (key.toLowerCase() === 'schemas') continue;
      const extension = this.resourceType.findExtension(key);
      if (extension !== undefined) {
        const projected = isJsonObject(value) ? this.projectAttributes(value, extension.id) : undefined;
        if (projected !== undefined) {
          output[extension.id] = projected;
          presentExtensions.add(extension.id);
        }
        continue;
      }
      const resolved = this.resolveKey(this.resourceType.schema.id, key);
      if (resolved === undefined) continue;
      const projected = this.projectAttribute(resolved, value);
      if (projected !== undefined) output[resolved.attribute.name] = projected;
    }
    const schemas = [
      this.resourceType.schema.id,
      ...this.resourceType.schemaExtensions.map((extension) => extension.schema.id).filter((urn) => presentExtensions.has(urn)),
    ];
    return { schemas, ...output };
  }

  /** The attributes of an extension object; undefined when none is left. */
  private projectAttributes(object: ScimJsonObject, schema: string): Record<string, unknown> | undefined {
    const output: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      const resolved = this.resolveKey(schema, key);
      if (resolved === undefined) continue;
      const projected = this.projectAttribute(resolved, value);
      if (projected !== undefined) output[resolved.attribute.name] = projected;
    }
    return Object.keys(output).length > 0 ? output : undefined;
  }

  private projectAttribute(attribute: ResolvedAttribute, value: unknown): unknown {
    const definition = attribute.attribute;
    if (definition.type !== 'complex') return this.keepsAttribute(attribute) ? simpleValue(definition, value) : undefined;
    if (!definition.multiValued) return isJsonObject(value) ? this.projectComplex(attribute, value) : undefined;
    if (!Array.isArray(value)) return undefined;
    const elements = value.flatMap((element: unknown) => {
      const projected = isJsonObject(element) ? this.projectComplex(attribute, element) : undefined;
      return projected === undefined ? [] : [projected];
    });
    return elements.length > 0 ? elements : undefined;
  }

  /** One complex value (or one element of a multi-valued one); undefined when no sub-attribute is left. */
  private projectComplex(attribute: ResolvedAttribute, object: ScimJsonObject): Record<string, unknown> | undefined {
    const output: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      const resolved = this.resolveKey(attribute.schema, attribute.attribute.name, key);
      if (resolved?.subAttribute === undefined || !this.keepsSubAttribute(attribute, resolved.subAttribute)) continue;
      const projected = simpleValue(resolved.subAttribute, value);
      if (projected !== undefined) output[resolved.subAttribute.name] = projected;
    }
    return Object.keys(output).length > 0 ? output : undefined;
  }

  private resolveKey(schema: string, name: string, subAttribute?: string): ResolvedAttribute | undefined {
    // NUL cannot occur in a URN or an attribute name the registry resolves, so the parts cannot run together.
    const memoKey = `${schema}\u0000${name}\u0000${subAttribute ?? ''}`;
    if (this.resolvedKeys.has(memoKey)) return this.resolvedKeys.get(memoKey);
    const resolved = this.resourceType.resolve({ schema, name, subAttribute });
    this.resolvedKeys.set(memoKey, resolved);
    return resolved;
  }

  /** Whether the attribute as a whole is selected: named itself, or its extension named. */
  private isNamed(attribute: ResolvedAttribute): boolean {
    return this.named.has(attribute.path) || (attribute.origin === 'extension' && this.namedExtensions.has(attribute.schema));
  }

  private keepsAttribute(attribute: ResolvedAttribute): boolean {
    const { returned } = attribute.attribute;
    if (returned === 'never') return false;
    if (returned === 'always') return true;
    switch (this.mode) {
      case 'default':
        return returned === 'default';
      case 'include':
        return this.isNamed(attribute);
      case 'exclude':
        return returned === 'default' && !this.isNamed(attribute);
    }
  }

  private keepsSubAttribute(parent: ResolvedAttribute, sub: AttributeDefinition): boolean {
    if (parent.attribute.returned === 'never' || sub.returned === 'never') return false;
    if (sub.returned === 'always') return true;
    const subNamed = this.named.has(`${parent.path}.${sub.name}`);
    switch (this.mode) {
      case 'default':
        return sub.returned === 'default' && isReturnedByDefault(parent.attribute);
      case 'include': {
        const wholeParent = parent.attribute.returned === 'always' || this.isNamed(parent);
        return subNamed || (wholeParent && sub.returned === 'default');
      }
      case 'exclude':
        return sub.returned === 'default' && isReturnedByDefault(parent.attribute) && !this.isNamed(parent) && !subNamed;
    }
  }
}

/** A simple value as declared: a JSON primitive, or for a multi-valued attribute an array of them; `null` is absent. */
function simpleValue(definition: AttributeDefinition, value: unknown): unknown {
  const isPrimitive = (item: unknown): boolean => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';
  if (!definition.multiValued) return isPrimitive(value) ? value : undefined;
  if (!Array.isArray(value)) return undefined;
  const items = value.filter(isPrimitive);
  return items.length > 0 ? items : undefined;
}
