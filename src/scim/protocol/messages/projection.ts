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

/**
 * What a projector does with one key of a resource, of an extension object or of a complex value, decided the
 * first time it meets the key. A page of 100 users repeats the same few dozen keys some 4,000 times, and under one
 * projection the answer for a key never changes, so resolving it (and applying the `returned` rules to it) once
 * per projector takes most of the work out of a page. The plans are looked up by the key exactly as it appears
 * in the resource: a Map keyed by a property name the engine already hashed, where a composite string key would
 * have to be built and hashed on every lookup.
 */
interface AttributePlan {
  readonly kind: 'attribute';
  readonly resolved: ResolvedAttribute;
  /** The canonical spelling, under which the value is output. */
  readonly name: string;
  /** For a simple attribute: whether it is output at all (keepsAttribute). */
  readonly keep: boolean;
  /** For a complex attribute: sub-attribute key → the sub-attribute when it is output, null when it is not. */
  readonly subAttributes: Map<string, AttributeDefinition | null>;
}

/** An extension object (`urn:…:enterprise:2.0:User`), whatever the spelling of its key. */
interface ExtensionPlan {
  readonly kind: 'extension';
  readonly urn: string;
  /** Attribute key → its plan, null for a key that names no attribute of the extension. */
  readonly attributes: Map<string, AttributePlan | null>;
}

class Projector {
  private readonly mode: Mode;
  /** Canonical paths named in the list in force: `name`, `name.givenName`, `urn:…:enterprise:2.0:User:manager`. */
  private readonly named = new Set<string>();
  /** Extension URNs named on their own. */
  private readonly namedExtensions = new Set<string>();
  /**
   * Top-level keys of the resources projected → their plan; null for `schemas` (rebuilt, not copied) and for keys
   * that name no attribute. It holds only keys of resources this projector was given, and lives as long as the
   * projector (one request).
   */
  private readonly topLevel = new Map<string, AttributePlan | ExtensionPlan | null>();
  /** One plan per extension, shared by every spelling of its key. */
  private readonly extensions = new Map<string, ExtensionPlan>();

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
    // `schemas` goes first; its value waits until the extensions still present are known.
    const output: Record<string, unknown> = { schemas: undefined };
    let presentExtensions: Set<string> | undefined;
    for (const key of Object.keys(resource)) {
      const plan = this.topLevelPlan(key);
      if (plan === null) continue;
      const value = resource[key];
      if (plan.kind === 'extension') {
        const projected = isJsonObject(value) ? this.projectAttributes(value, plan) : undefined;
        if (projected !== undefined) {
          output[plan.urn] = projected;
          (presentExtensions ??= new Set()).add(plan.urn);
        }
        continue;
      }
      const projected = this.projectAttribute(plan, value);
      if (projected !== undefined) output[plan.name] = projected;
    }
    const core = this.resourceType.schema.id;
    output.schemas =
      presentExtensions === undefined
        ? [core]
        : [core, ...this.resourceType.schemaExtensions.map((extension) => extension.schema.id).filter((urn) => presentExtensions.has(urn))];
    return output;
  }

  /** The attributes of an extension object; undefined when none is left. */
  private projectAttributes(object: ScimJsonObject, extension: ExtensionPlan): Record<string, unknown> | undefined {
    let output: Record<string, unknown> | undefined;
    for (const key of Object.keys(object)) {
      const plan = this.extensionAttributePlan(extension, key);
      if (plan === null) continue;
      const projected = this.projectAttribute(plan, object[key]);
      if (projected !== undefined) (output ??= {})[plan.name] = projected;
    }
    return output;
  }

  private projectAttribute(plan: AttributePlan, value: unknown): unknown {
    const definition = plan.resolved.attribute;
    if (definition.type !== 'complex') return plan.keep ? simpleValue(definition, value) : undefined;
    if (!definition.multiValued) return isJsonObject(value) ? this.projectComplex(plan, value) : undefined;
    if (!Array.isArray(value)) return undefined;
    let elements: Record<string, unknown>[] | undefined;
    for (const element of value as unknown[]) {
      const projected = isJsonObject(element) ? this.projectComplex(plan, element) : undefined;
      if (projected !== undefined) (elements ??= []).push(projected);
    }
    return elements;
  }

  /** One complex value (or one element of a multi-valued one); undefined when no sub-attribute is left. */
  private projectComplex(plan: AttributePlan, object: ScimJsonObject): Record<string, unknown> | undefined {
    let output: Record<string, unknown> | undefined;
    for (const key of Object.keys(object)) {
      const sub = this.keptSubAttribute(plan, key);
      if (sub === null) continue;
      const projected = simpleValue(sub, object[key]);
      if (projected !== undefined) (output ??= {})[sub.name] = projected;
    }
    return output;
  }

  private topLevelPlan(key: string): AttributePlan | ExtensionPlan | null {
    let plan = this.topLevel.get(key);
    if (plan === undefined) {
      plan = key.toLowerCase() === 'schemas' ? null : (this.extensionPlan(key) ?? this.attributePlan(this.resourceType.schema.id, key));
      this.topLevel.set(key, plan);
    }
    return plan;
  }

  private extensionPlan(key: string): ExtensionPlan | undefined {
    const extension = this.resourceType.findExtension(key);
    if (extension === undefined) return undefined;
    let plan = this.extensions.get(extension.id);
    if (plan === undefined) {
      plan = { kind: 'extension', urn: extension.id, attributes: new Map() };
      this.extensions.set(extension.id, plan);
    }
    return plan;
  }

  private extensionAttributePlan(extension: ExtensionPlan, key: string): AttributePlan | null {
    let plan = extension.attributes.get(key);
    if (plan === undefined) {
      plan = this.attributePlan(extension.urn, key);
      extension.attributes.set(key, plan);
    }
    return plan;
  }

  /** A new plan for an attribute key of `schema` (the core schema or an extension); null when no attribute has that name. */
  private attributePlan(schema: string, key: string): AttributePlan | null {
    const resolved = this.resourceType.resolve({ schema, name: key });
    if (resolved === undefined) return null;
    return { kind: 'attribute', resolved, name: resolved.attribute.name, keep: this.keepsAttribute(resolved), subAttributes: new Map() };
  }

  /** The sub-attribute a key of a complex value names, when it is output; null otherwise. */
  private keptSubAttribute(plan: AttributePlan, key: string): AttributeDefinition | null {
    let sub = plan.subAttributes.get(key);
    if (sub === undefined) {
      const { schema, attribute } = plan.resolved;
      const resolved = this.resourceType.resolve({ schema, name: attribute.name, subAttribute: key });
      sub =
        resolved?.subAttribute !== undefined && this.keepsSubAttribute(plan.resolved, resolved.subAttribute) ? resolved.subAttribute : null;
      plan.subAttributes.set(key, sub);
    }
    return sub;
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

function isPrimitive(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A simple value as declared: a JSON primitive, or for a multi-valued attribute an array of them; `null` is absent. */
function simpleValue(definition: AttributeDefinition, value: unknown): unknown {
  if (!definition.multiValued) return isPrimitive(value) ? value : undefined;
  if (!Array.isArray(value)) return undefined;
  const items = value.filter(isPrimitive);
  return items.length > 0 ? items : undefined;
}
