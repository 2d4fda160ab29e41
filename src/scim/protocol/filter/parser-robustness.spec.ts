import { ScimError } from '../errors/scim-error';
import { parsePath } from '../path';
import { AttributePath, ComparisonOperator, ComparisonValue, COMPARISON_OPERATORS, FilterNode } from './filter-ast';
import { evaluateFilter } from './evaluate-filter';
import { formatFilter } from './format-filter';
import { parseFilter } from './parse-filter';

/**
 * Generative tests without a property-testing library: a seeded generator (mulberry32) makes every run
 * identical, and each failure names the input that reproduces it.
 */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Upper-cases some letters: names and keywords are case-insensitive. */
  recase(text: string): string {
    return [...text].map((char) => (this.chance(0.3) ? char.toUpperCase() : char)).join('');
  }
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const NO_LENGTH_CAP = { maxLength: 1_000_000 };

// ---- Random valid filters -------------------------------------------------------------------------------------

const NAMES = ['userName', 'displayName', 'emails', 'name', 'title', 'active', 'meta', 'members', 'loginCount', 'x-y_z'];
const SUB_ATTRIBUTES = ['value', 'type', 'primary', 'givenName', 'lastModified', '$ref', 'display'];
const STRINGS = [
  'work',
  'home',
  'Ann',
  'ann',
  'ANN',
  '',
  'x',
  '2025-03-04T09:15:27Z',
  '2025-03-04T11:15:27+02:00',
  'CONTOSO\\ann',
  'say "hi"',
  '\u00e9t\u00e9',
  'line\nbreak',
  '\u0001',
  '\u2028',
  '\ud83d\ude00',
  '(and) [or]',
];
const NUMBERS = [0, 1, -1, 42, 3.5, -0.25, 1e21, 2.5e-7, -0, 12];

function randomValue(random: Random): ComparisonValue {
  switch (random.int(4)) {
    case 0:
      return random.pick(NUMBERS);
    case 1:
      return random.chance(0.5);
    case 2:
      return null;
    default:
      return random.pick(STRINGS);
  }
}

function randomPath(random: Random, inElement: boolean): AttributePath {
  if (inElement) return { name: random.recase(random.pick(SUB_ATTRIBUTES)) };
  const name = random.recase(random.pick(NAMES));
  const schema = random.chance(0.15) ? random.pick([ENTERPRISE, CORE, ENTERPRISE.toUpperCase()]) : undefined;
  const subAttribute = random.chance(0.35) ? random.recase(random.pick(SUB_ATTRIBUTES)) : undefined;
  return { ...(schema === undefined ? {} : { schema }), name, ...(subAttribute === undefined ? {} : { subAttribute }) };
}

function randomLeaf(random: Random, inElement: boolean): FilterNode {
  const path = randomPath(random, inElement);
  if (random.chance(0.2)) return { kind: 'present', path };
  const operator: ComparisonOperator = random.pick(COMPARISON_OPERATORS);
  return { kind: 'compare', path, operator, value: randomValue(random) };
}

function randomFilter(random: Random, depth = 0, inElement = false): FilterNode {
  if (depth >= 4 || random.chance(0.35)) return randomLeaf(random, inElement);
  const choice = random.int(inElement ? 3 : 4);
  if (choice === 0 || choice === 1) {
    const filters = Array.from({ length: 2 + random.int(2) }, () => randomFilter(random, depth + 1, inElement));
    return { kind: choice === 0 ? 'and' : 'or', filters };
  }
  if (choice === 2) return { kind: 'not', filter: randomFilter(random, depth + 1, inElement) };
  const path = { name: random.recase(random.pick(NAMES)) };
  return { kind: 'valuePath', path, filter: randomFilter(random, depth + 1, true) };
}

// ---- Random inputs that are mostly invalid -------------------------------------------------------------------

const SOUP_WORDS = [
  'userName',
  'emails',
  'name.givenName',
  'meta.lastModified',
  'members.$ref',
  '$ref',
  '.value',
  '.type',
  `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:manager.value`,
  ENTERPRISE,
  `${CORE}:userName`,
  'urn:',
  'urn:x',
  'a.b.c',
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'pr',
  'and',
  'or',
  'not',
  'true',
  'False',
  'NULL',
  '42',
  '-1.5e3',
  '0',
  '01',
  '1e999',
  '.5',
  '-',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '=',
  '==',
  "'x'",
  ':',
  '.',
  ',',
  '\\',
  '\u00e9',
  '\u0000',
  '\u2028',
  '\ud83d\ude00',
  '\ud800',
];
const SOUP_STRINGS = ['"x"', '"work"', '""', '"a\\"b"', '"\\\\"', '"\\u00e9"', '"\\q"', '"\\u12"', '"open', '"\\', '"\\ud800"', '"a\tb"'];
const SOUP_PUNCTUATION = ['(', ')', '[', ']', '"'];
const SEPARATORS = [' ', ' ', ' ', '', '\t', '\n', '   '];

function soupToken(random: Random): string {
  const kind = random.int(10);
  if (kind < 6) return random.recase(random.pick(SOUP_WORDS));
  return kind < 8 ? random.pick(SOUP_STRINGS) : random.pick(SOUP_PUNCTUATION);
}

function tokenSoup(random: Random): string {
  return Array.from({ length: random.int(24) }, () => soupToken(random) + random.pick(SEPARATORS)).join('');
}

/** Valid text with a few tokens deleted, repeated, swapped or replaced: close to valid, where bugs hide. */
function mutate(random: Random, text: string): string {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[()[\]]|[^\s()[\]"]+/g) ?? [];
  for (let mutations = random.int(4); mutations > 0 && tokens.length > 0; mutations--) {
    const at = random.int(tokens.length);
    switch (random.int(4)) {
      case 0:
        tokens.splice(at, 1);
        break;
      case 1:
        tokens.splice(at, 0, tokens[at]);
        break;
      case 2:
        tokens.splice(at, 2, ...tokens.slice(at, at + 2).reverse());
        break;
      default:
        tokens[at] = soupToken(random);
    }
  }
  return tokens.join(random.pick([' ', ' ', '  ']));
}

function mutatedFilter(random: Random): string {
  return mutate(random, formatFilter(randomFilter(random)));
}

function mutatedPath(random: Random): string {
  const { name, subAttribute } = randomPath(random, false);
  const filter = random.chance(0.6) ? `[${formatFilter(randomFilter(random, 1, true))}]` : '';
  const sub = subAttribute === undefined ? '' : `.${subAttribute}`;
  const schema = random.chance(0.2) ? `${ENTERPRISE}:` : '';
  return mutate(random, random.chance(0.05) ? ENTERPRISE : `${schema}${name}${filter}${sub}`);
}

function characterSoup(random: Random): string {
  const alphabet = 'ab.:$[]()" \\eqprno\u00e9\ud83d\t-0123456789';
  return Array.from({ length: random.int(40) }, () => alphabet[random.int(alphabet.length)]).join('');
}

/** Outcome of one parse: a result, the expected ScimError, or anything else (a bug). */
function attempt<T>(parse: () => T, scimType: 'invalidFilter' | 'invalidPath'): { ok: T } | { rejected: ScimError } | { bug: unknown } {
  try {
    return { ok: parse() };
  } catch (error) {
    const expected = error instanceof ScimError && error.status === 400 && error.scimType === scimType && error.detail !== '';
    return expected ? { rejected: error } : { bug: error };
  }
}

const SOUPS: [string, (random: Random) => string][] = [
  ['token soups', tokenSoup],
  ['mutated valid filters', mutatedFilter],
  ['character soups', characterSoup],
];

describe('parseFilter on random input', () => {
  it.each(SOUPS)('returns an AST or throws ScimError 400 invalidFilter, never anything else: %s', (_name, generate) => {
    const random = new Random(20250304);
    const bugs: string[] = [];
    for (let run = 0; run < 4000; run++) {
      const filter = generate(random);
      const outcome = attempt(() => parseFilter(filter), 'invalidFilter');
      if ('bug' in outcome) bugs.push(`${JSON.stringify(filter)} threw ${String(outcome.bug)}`);
      // Whatever parses must survive the formatter unchanged.
      if ('ok' in outcome && JSON.stringify(parseFilter(formatFilter(outcome.ok), NO_LENGTH_CAP)) !== JSON.stringify(outcome.ok)) {
        bugs.push(`${JSON.stringify(filter)} changed in a round trip`);
      }
    }
    expect(bugs.slice(0, 5)).toEqual([]);
  });

  it('accepts a fair share of mutated filters, so the soups reach past the first token', () => {
    const random = new Random(1);
    const accepted = Array.from({ length: 1000 }, () => mutatedFilter(random)).filter(
      (filter) => 'ok' in attempt(() => parseFilter(filter), 'invalidFilter'),
    );
    expect(accepted.length).toBeGreaterThan(100);
  });
});

describe('parsePath on random input', () => {
  it.each([...SOUPS, ['mutated valid paths', mutatedPath]])(
    'returns a path or throws ScimError 400 invalidPath, never anything else: %s',
    (_name, generate) => {
      const random = new Random(20250305);
      const bugs: string[] = [];
      for (let run = 0; run < 3000; run++) {
        const path = generate(random);
        const outcome = attempt(() => parsePath(path), 'invalidPath');
        if ('bug' in outcome) bugs.push(`${JSON.stringify(path)} threw ${String(outcome.bug)}`);
      }
      expect(bugs.slice(0, 5)).toEqual([]);
    },
  );
});

describe('random valid filters', () => {
  it('round-trip through formatFilter and parseFilter unchanged', () => {
    const random = new Random(7644);
    const changed: string[] = [];
    for (let run = 0; run < 3000; run++) {
      const filter = randomFilter(random);
      const text = formatFilter(filter);
      const outcome = attempt(() => parseFilter(text, NO_LENGTH_CAP), 'invalidFilter');
      if (!('ok' in outcome)) changed.push(`${text} was rejected`);
      else if (!isDeepStrictEqual(outcome.ok, filter)) changed.push(`${text} parsed to ${formatFilter(outcome.ok)}`);
    }
    expect(changed.slice(0, 5)).toEqual([]);
  });
});

describe('evaluateFilter on random resources', () => {
  const RESOURCE_KEYS = [...NAMES, ...SUB_ATTRIBUTES, ENTERPRISE, CORE, '__proto__', 'constructor'];

  /** JSON as a request body would hold it: built by JSON.parse, so "__proto__" is an ordinary own key. */
  function randomResource(random: Random, depth = 0): unknown {
    switch (random.int(depth >= 3 ? 4 : 7)) {
      case 0:
        return random.pick(STRINGS);
      case 1:
        return random.pick(NUMBERS);
      case 2:
        return random.chance(0.5);
      case 3:
        return null;
      case 4:
      case 5: {
        const members = Array.from({ length: random.int(5) }, () => {
          const key = JSON.stringify(random.recase(random.pick(RESOURCE_KEYS)));
          return `${key}: ${JSON.stringify(randomResource(random, depth + 1))}`;
        });
        return JSON.parse(`{${members.join(', ')}}`);
      }
      default:
        return Array.from({ length: random.int(4) }, () => randomResource(random, depth + 1));
    }
  }

  it('never throws, and not, De Morgan (trap T2) and precedence (trap T4) hold', () => {
    const random = new Random(7643);
    const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
    const broken: string[] = [];
    for (let run = 0; run < 2000; run++) {
      const resource = randomResource(random);
      const [a, b, c] = [randomFilter(random, 1), randomFilter(random, 1), randomFilter(random, 1)];
      const outcome = attempt(() => {
        const value = (node: FilterNode) => evaluateFilter(node, resource);
        const not = (filter: FilterNode): FilterNode => ({ kind: 'not', filter });
        const [ta, tb, tc] = [a, b, c].map((node) => `(${formatFilter(node)})`);
        return {
          isBoolean: typeof value(a) === 'boolean',
          negates: value(not(a)) === !value(a),
          deMorganOr: value(not({ kind: 'or', filters: [a, b] })) === value({ kind: 'and', filters: [not(a), not(b)] }),
          deMorganAnd: value(not({ kind: 'and', filters: [a, b] })) === value({ kind: 'or', filters: [not(a), not(b)] }),
          andBindsTighter: value(parseFilter(`${ta} or ${tb} and ${tc}`, NO_LENGTH_CAP)) === (value(a) || (value(b) && value(c))),
          parenthesesGroup: value(parseFilter(`(${ta} or ${tb}) and ${tc}`, NO_LENGTH_CAP)) === ((value(a) || value(b)) && value(c)),
        };
      }, 'invalidFilter');
      const failed =
        'ok' in outcome
          ? Object.entries(outcome.ok)
              .filter(([, holds]) => !holds)
              .map(([name]) => name)
          : ['threw'];
      if (failed.length > 0) broken.push(`${failed.join(', ')}: a = ${formatFilter(a)} on ${JSON.stringify(resource)}`);
    }
    expect(broken.slice(0, 5)).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  });
});

/** Jest's toEqual inside a loop is slow and stops at the first failure; this lets the loop collect them. */
function isDeepStrictEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  return (
    leftKeys.length === rightKeys.length &&
    leftKeys.every(
      (key) => Object.prototype.hasOwnProperty.call(right, key) && isDeepStrictEqual(Reflect.get(left, key), Reflect.get(right, key)),
    )
  );
}
