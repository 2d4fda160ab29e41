import { isDeepStrictEqual } from 'node:util';
import { ScimError } from '../errors/scim-error';
import { readResource } from '../resource/read-resource';
import { AttributeDefinition, GROUP_RESOURCE_TYPE, ResourceType, USER_RESOURCE_TYPE } from '../schema';
import { applyPatch } from './apply-patch';
import { parsePatchRequest } from './patch-request';
import table from './patch.cases.json';

/**
 * Generative robustness: thousands of random PatchOp bodies (ops in any case and junk ones, paths from the registry
 * and from junk, values of every JSON type, prototype keys) against a few resources, from a seeded generator so a
 * failure always reproduces. Whatever arrives, the engine either returns a resource in canonical form that a POST
 * could have produced, or throws a ScimError 400; it never throws anything else, never changes its input (which is
 * frozen) and never touches Object.prototype.
 */

type Json = Record<string, unknown>;

const SEED = 0x5c1a2025;
const RUNS = 4000;
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SCIM_TYPES = new Set(['invalidPath', 'invalidValue', 'invalidSyntax', 'noTarget', 'mutability']);
// Names a polluted prototype would show on every object.
const POLLUTION_PROBES = ['isAdmin', 'polluted', 'x', 'value', 'givenName'];

/** mulberry32: a small seeded generator, enough to spread cases and to replay them exactly. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (probability: number): boolean => random() < probability;
const upTo = (count: number): number => Math.floor(random() * (count + 1));

function randomCase(text: string): string {
  return chance(0.7) ? text : [...text].map((character) => (chance(0.5) ? character.toUpperCase() : character.toLowerCase())).join('');
}

/** Every path the registry knows for a resource type, plain, URN-qualified and filtered. */
function registryPaths(type: ResourceType): string[] {
  return type.schemas.flatMap((schema) =>
    schema.attributes.flatMap((attribute) => {
      const qualified = `${schema.id}:${attribute.name}`;
      const names = schema.id === type.schema.id ? [attribute.name, qualified] : [qualified, attribute.name];
      const subs = attribute.subAttributes ?? [];
      return names.flatMap((name) => [
        name,
        ...subs.map((sub) => `${name}.${sub.name}`),
        ...subs.flatMap((sub) => [
          `${name}[${sub.name} eq "work"]`,
          `${name}[${sub.name} eq "user-1"].${pick(subs).name}`,
          `${name}[type eq "home" and ${sub.name} eq "x"].${pick(subs).name}`,
          `${name}[${sub.name} co "a" or ${sub.name} pr].${pick(subs).name}`,
          `${name}[not (${sub.name} eq "True")]`,
        ]),
      ]);
    }),
  );
}

const JUNK_PATHS = [
  '__proto__',
  '__proto__.isAdmin',
  'constructor',
  'constructor.prototype',
  'constructor.prototype.isAdmin',
  'prototype',
  'toString',
  'toString.x',
  'hasOwnProperty',
  'name.__proto__',
  'emails[type eq "work"].__proto__',
  'emails[__proto__ eq "x"]',
  `${ENTERPRISE}:__proto__`,
  'a.b.c',
  '',
  '   ',
  'emails[',
  'emails[type eq "work"]]',
  'emails[type eq work]',
  'emails[type eq "work"].value eq "x"',
  'emails[addresses[type eq "work"]]',
  ENTERPRISE,
  CORE,
  'urn:ietf:params:scim:schemas:core:2.0:Group',
  'urn:bogus:thing:attribute',
  'id',
  'meta',
  'meta.version',
  'groups',
  'roles',
  'roles[primary eq "True"]',
  'members',
  'members[value eq "user-1"]',
  'manager[value eq "748027a6-10da-437b-998e-790e6d2dda95"]',
  'shoeSize',
  'x'.repeat(2100),
  `emails[${'('.repeat(30)}type pr${')'.repeat(30)}]`,
];

const ALL_PATHS: Record<string, string[]> = {
  User: [...registryPaths(USER_RESOURCE_TYPE), ...JUNK_PATHS],
  Group: [...registryPaths(GROUP_RESOURCE_TYPE), ...JUNK_PATHS],
};

const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'isAdmin',
  'value',
  'Value',
  'type',
  'primary',
  'display',
  '$ref',
  'givenName',
  'name.givenName',
  'name.__proto__',
  'displayName',
  'userName',
  'active',
  'emails',
  'members',
  'id',
  'meta',
  'schemas',
  'manager',
  ENTERPRISE,
  `${ENTERPRISE}:department`,
  `${ENTERPRISE}:manager`,
  'department',
  'locality',
];

const STRINGS = [
  '',
  'x',
  'True',
  'false',
  'FALSE',
  'work',
  'home',
  'user-1',
  'user-2',
  '2819c223-7f76-453a-919d-413861904646',
  'é'.repeat(300),
];

function randomValue(depth: number): unknown {
  switch (upTo(depth > 2 ? 4 : 6)) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return pick([0, -1, 1.5, 42, 1e308, -0]);
    case 3:
    case 4:
      return pick(STRINGS);
    case 5:
      return Array.from({ length: upTo(3) }, () => randomValue(depth + 1));
    default:
      return randomObject(depth + 1);
  }
}

/** Own properties only, `__proto__` included: what JSON.parse makes of a request body. */
function randomObject(depth: number): Json {
  const object: Json = {};
  for (let index = upTo(4); index > 0; index--) {
    Object.defineProperty(object, pick(KEYS), { value: randomValue(depth), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/**
 * Mostly well-formed: a real op on an attribute of the resource type, as a plain, dotted, filtered or path-less
 * target, with a value shaped for that attribute (and sometimes not).
 */
function plausibleOperation(type: ResourceType): Json {
  const schema = pick(type.schemas);
  const attribute = pick(schema.attributes);
  const name = schema.id === type.schema.id && chance(0.8) ? attribute.name : `${schema.id}:${attribute.name}`;
  const subs = attribute.subAttributes ?? [];
  const op = pick(['add', 'Add', 'replace', 'REPLACE', 'remove', 'Remove']);
  const value = (definition: AttributeDefinition): unknown => (chance(0.9) ? plausibleValue(definition) : randomValue(1));
  if (subs.length === 0 || chance(0.4)) {
    if (chance(0.25) && op.toLowerCase() !== 'remove') return { op, value: { [randomCase(name)]: value(attribute) } };
    return { op, path: randomCase(name), ...(op.toLowerCase() !== 'remove' || chance(0.2) ? { value: value(attribute) } : {}) };
  }
  const sub = pick(subs);
  const filterSub = pick(subs);
  const path = attribute.multiValued
    ? `${name}[${filterSub.name} eq ${JSON.stringify(plausibleValue(filterSub))}]${chance(0.7) ? `.${sub.name}` : ''}`
    : `${name}.${sub.name}`;
  const target = path.endsWith(']') ? { ...attribute, multiValued: false } : sub;
  return { op, path: randomCase(path), ...(op.toLowerCase() !== 'remove' ? { value: value(target) } : {}) };
}

function plausibleValue(definition: AttributeDefinition): unknown {
  if (definition.multiValued) return Array.from({ length: upTo(2) }, () => plausibleValue({ ...definition, multiValued: false }));
  if (definition.type === 'complex') {
    const subs = definition.subAttributes ?? [];
    return Object.fromEntries(Array.from({ length: 1 + upTo(2) }, () => pick(subs)).map((sub) => [sub.name, plausibleValue(sub)]));
  }
  if (definition.type === 'boolean') return pick([true, false, 'True', 'false']);
  return pick(['work', 'home', 'user-1', 'user-2', 'a@contoso-test.example', 'Ann', '', chance(0.1) ? 'é'.repeat(300) : 'x']);
}

function randomOperation(type: ResourceType): unknown {
  if (chance(0.03)) return randomValue(2);
  const operation: Json = {};
  if (chance(0.97))
    operation[chance(0.9) ? 'op' : 'Op'] = pick(['add', 'Add', 'ADD', 'replace', 'Replace', 'remove', 'Remove', 'delete', 5, null, '']);
  if (chance(0.8)) operation[chance(0.9) ? 'path' : 'PATH'] = chance(0.03) ? randomValue(2) : randomCase(pick(ALL_PATHS[type.name]));
  if (chance(0.85)) operation.value = chance(0.3) ? randomObject(1) : randomValue(0);
  return operation;
}

/** Half the bodies are plausible, so that many apply; the others are anything at all. */
function randomBody(type: ResourceType): unknown {
  if (chance(0.5)) {
    return {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: Array.from({ length: 1 + upTo(2) }, () => plausibleOperation(type)),
    };
  }
  if (chance(0.02)) return randomValue(0);
  const body: Json = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] };
  if (chance(0.98)) body.Operations = chance(0.02) ? randomValue(1) : Array.from({ length: 1 + upTo(3) }, () => randomOperation(type));
  return body;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

/** Problems with the canonical form: empty values, `primary: false`, two primaries, keys the registry does not know. */
function canonicalProblems(type: ResourceType, resource: Json): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, where: string): void => {
    if (value === null || value === '' || value === undefined) problems.push(`${where} is empty`);
    if (Array.isArray(value)) {
      if (value.length === 0) problems.push(`${where} is an empty list`);
      if (value.filter((element) => (element as Json)?.primary === true).length > 1) problems.push(`${where} has two primaries`);
      value.forEach((element, index) => visit(element, `${where}[${index}]`));
    } else if (typeof value === 'object' && value !== null) {
      if (Object.keys(value).length === 0) problems.push(`${where} is an empty object`);
      for (const [key, item] of Object.entries(value)) {
        if (key === 'primary' && item === false) problems.push(`${where}.primary is false`);
        visit(item, `${where}.${key}`);
      }
    }
  };
  for (const [key, value] of Object.entries(resource)) {
    if (key !== 'schemas' && type.findExtension(key) === undefined && type.resolve(key)?.path !== key) problems.push(`unknown key ${key}`);
    visit(value, key);
  }
  return problems;
}

/** What readResource keeps of a canonical resource: everything but `schemas` and the read-only attributes. */
function writableAttributes(type: ResourceType, resource: Json): Json {
  return Object.fromEntries(
    Object.entries(resource).filter(([key]) => key !== 'schemas' && type.resolve(key)?.definition.mutability !== 'readOnly'),
  );
}

const RESOURCES: { type: ResourceType; resource: Json }[] = [
  { type: USER_RESOURCE_TYPE, resource: table.resources.ann },
  { type: USER_RESOURCE_TYPE, resource: table.resources.ravi },
  { type: USER_RESOURCE_TYPE, resource: table.resources.lena },
  { type: USER_RESOURCE_TYPE, resource: table.resources.bare },
  { type: GROUP_RESOURCE_TYPE, resource: table.resources.group },
  { type: GROUP_RESOURCE_TYPE, resource: table.resources.emptyGroup },
];

describe('applyPatch on random PatchOp bodies', () => {
  it(`returns a canonical resource or throws a ScimError 400 (${RUNS} bodies, seed ${SEED})`, () => {
    const failures: string[] = [];
    const outcomes = { applied: 0, changed: 0, rejected: 0 };

    for (let run = 0; run < RUNS && failures.length < 5; run++) {
      const { type, resource } = pick(RESOURCES);
      const input = deepFreeze(JSON.parse(JSON.stringify(resource)) as Json);
      const body = randomBody(type);
      const report = (problem: string): void => {
        failures.push(`run ${run} on ${String(resource.id)}: ${problem}\n  body: ${JSON.stringify(body)?.slice(0, 600)}`);
      };

      try {
        const result = applyPatch(type, input, parsePatchRequest(body));
        outcomes.applied++;
        if (result.changed) outcomes.changed++;
        const problems = canonicalProblems(type, result.resource);
        if (problems.length > 0) report(`not canonical: ${problems.join('; ')}`);
        if (result.changed === isDeepStrictEqual(result.resource, resource)) report(`changed is ${result.changed}`);
        const reread = readResource(type, result.resource);
        if (!isDeepStrictEqual(reread, writableAttributes(type, result.resource))) {
          report(`readResource reads ${JSON.stringify(reread)} from ${JSON.stringify(result.resource)}`);
        }
        if ((result.memberDelta !== undefined) !== (type === GROUP_RESOURCE_TYPE)) report('memberDelta on the wrong resource type');
      } catch (error) {
        outcomes.rejected++;
        if (!(error instanceof ScimError)) report(`threw ${String(error)}`);
        else if (error.status !== 400 || !SCIM_TYPES.has(error.scimType ?? '')) report(`threw ${error.status} ${error.scimType}`);
      }

      if (!isDeepStrictEqual(input, resource)) report('changed its input');
      const probe: Json = {};
      if (Object.keys(Object.prototype).length > 0 || POLLUTION_PROBES.some((name) => name in probe)) report('polluted Object.prototype');
    }
    expect(failures).toEqual([]);
    // The generator must reach both outcomes often, or the test proves little.
    expect(outcomes.applied).toBeGreaterThan(RUNS / 10);
    expect(outcomes.changed).toBeGreaterThan(RUNS / 20);
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 10);
  });
});
