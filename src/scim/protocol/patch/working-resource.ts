import type { CanonicalResource } from '../resource/read-resource';
import type { AttributeDefinition, ResolvedAttribute, ResourceType, SchemaDefinition } from '../schema';
import { keepOnePrimary, subAttributeOf } from './elements';
import { JsonObject, isJsonObject, ownValue } from './json-values';

/**
 * The canonical form of a resource, as readResource produces it and as a PATCH result is returned: canonical
 * attribute names, extension attributes in the object under their schema URN, no null, "", [] or {} values, at most
 * one `primary` element per attribute (and no `primary: false`). Read-only attributes (`id`, `meta`, `groups`) are
 * kept as given. `schemas`, when the resource lists them, is recomputed from the content: the core URN, then each
 * extension that holds attributes (guide Q12). Keys the registry does not know are dropped.
 *
 * Stored data is trusted, so nothing here throws: a value of an unexpected shape is simply left out. Every object in
 * the result is new, so changing the result never changes `resource`.
 */
export function canonicalForm(type: ResourceType, resource: CanonicalResource): CanonicalResource {
  const core: JsonObject = {};
  const extensions = new Map<string, JsonObject>();
  let listsSchemas = false;

  const put = (attribute: ResolvedAttribute, value: unknown): void => {
    const canonical = canonicalValue(attribute.attribute, value);
    if (canonical === undefined) return;
    if (attribute.origin !== 'extension') {
      core[attribute.attribute.name] = canonical;
      return;
    }
    const container = extensions.get(attribute.schema) ?? {};
    container[attribute.attribute.name] = canonical;
    extensions.set(attribute.schema, container);
  };

  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() === 'schemas') {
      listsSchemas = true;
      continue;
    }
    const extension = type.findExtension(key);
    if (extension !== undefined) {
      if (!isJsonObject(value)) continue;
      for (const [name, item] of Object.entries(value)) {
        const attribute = type.resolve({ schema: extension.id, name });
        if (attribute !== undefined) put(attribute, item);
      }
      continue;
    }
    const attribute = type.resolve(key);
    if (attribute !== undefined && attribute.subAttribute === undefined) put(attribute, value);
  }

  const presentExtensions = type.schemaExtensions.map(({ schema }) => schema.id).filter((urn) => extensions.has(urn));
  const result: JsonObject = listsSchemas ? { schemas: [type.schema.id, ...presentExtensions] } : {};
  Object.assign(result, core);
  for (const urn of presentExtensions) result[urn] = extensions.get(urn);
  return result;
}

function canonicalValue(definition: AttributeDefinition, value: unknown): unknown {
  if (definition.multiValued) {
    const items = (Array.isArray(value) ? value : [value])
      .map((item) => (definition.type === 'complex' ? canonicalComplex(definition, item) : canonicalSimple(item)))
      .filter((item) => item !== undefined);
    if (items.length === 0) return undefined;
    if (definition.type === 'complex') keepOnePrimary(items, new Set());
    return items;
  }
  return definition.type === 'complex' ? canonicalComplex(definition, value) : canonicalSimple(value);
}

function canonicalComplex(definition: AttributeDefinition, value: unknown): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = subAttributeOf(definition, key);
    const canonical = canonicalSimple(item);
    if (sub !== undefined && canonical !== undefined) result[sub.name] = canonical;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function canonicalSimple(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? undefined : value;
  return typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

/**
 * The private copy of a resource that a PATCH request's operations change one after another (guide Q6: each
 * operation sees the result of the previous ones). Attributes are read and written only by their resolved,
 * canonical names, never by a key taken from the request (trap T23).
 */
export class WorkingResource {
  private constructor(
    readonly type: ResourceType,
    private readonly data: JsonObject,
  ) {}

  static copyOf(type: ResourceType, resource: CanonicalResource): WorkingResource {
    return new WorkingResource(type, canonicalForm(type, resource));
  }

  /** The value of the top-level attribute of `attribute` (`name` for `name.givenName`); live, not a copy. */
  get(attribute: ResolvedAttribute): unknown {
    const container = this.container(attribute);
    return container === undefined ? undefined : ownValue(container, attribute.attribute.name);
  }

  /** The value `attribute` names: the top-level value, or the sub-attribute of a single-valued complex value. */
  valueAt(attribute: ResolvedAttribute): unknown {
    const value = this.get(attribute);
    if (attribute.subAttribute === undefined) return value;
    return isJsonObject(value) ? ownValue(value, attribute.subAttribute.name) : undefined;
  }

  /** Sets the top-level attribute of `attribute`; undefined unassigns it, and an emptied extension object goes too. */
  set(attribute: ResolvedAttribute, value: unknown): void {
    const name = attribute.attribute.name;
    if (attribute.origin !== 'extension') {
      if (value === undefined) delete this.data[name];
      else this.data[name] = value;
      return;
    }
    const container = this.container(attribute) ?? {};
    if (value === undefined) delete container[name];
    else container[name] = value;
    if (Object.keys(container).length > 0) this.data[attribute.schema] = container;
    else delete this.data[attribute.schema];
  }

  /** The attributes of an extension that currently hold a value. */
  presentAttributesOf(schema: SchemaDefinition): ResolvedAttribute[] {
    return schema.attributes
      .map((definition) => this.type.resolve({ schema: schema.id, name: definition.name }))
      .filter((attribute): attribute is ResolvedAttribute => attribute !== undefined && this.get(attribute) !== undefined);
  }

  toCanonical(): CanonicalResource {
    return canonicalForm(this.type, this.data);
  }

  private container(attribute: ResolvedAttribute): JsonObject | undefined {
    if (attribute.origin !== 'extension') return this.data;
    const container = ownValue(this.data, attribute.schema);
    return isJsonObject(container) ? container : undefined;
  }
}
