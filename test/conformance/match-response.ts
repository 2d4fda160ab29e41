/**
 * Compares an HTTP response with the `expect` block of an IdP fixture, following the matching rules in
 * test/fixtures/idp/README.md. Pure: no HTTP, no I/O, so every rule is unit-tested in match-response.e2e-spec.ts.
 *
 * The result is a list of mismatches (empty when the response matches), each naming where it is
 * (`status`, `header location`, `body.Resources[0].active`, `absent body.members[0]`) so a failing CI log
 * says what differs without a re-run.
 */

/** A key path into a JSON body: object keys (literal, dots included) and array indices. */
export type KeyPath = ReadonlyArray<string | number>;

export interface ExpectedResponse {
  status: number;
  /** Header name (any case) → a string the actual value must contain. */
  headers?: Readonly<Record<string, string>>;
  /** A partial JSON value; see matchBody. */
  body?: unknown;
  /** Key paths that must not resolve in the actual body. */
  absent?: readonly KeyPath[];
}

export interface ActualResponse {
  status: number;
  /** Header names in any case. */
  headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or undefined when the response had no body or its body was not JSON. */
  body: unknown;
}

export interface Mismatch {
  /** Where: `status`, `header <name>`, `body…` or `absent body…`. */
  at: string;
  problem: string;
}

/** In an expected body, this whole string value means "present and not null", whatever the type. */
export const PRESENT_NOT_NULL = '{*}';

export function matchResponse(expected: ExpectedResponse, actual: ActualResponse): Mismatch[] {
  const mismatches: Mismatch[] = [];
  if (actual.status !== expected.status) {
    mismatches.push({ at: 'status', problem: `expected ${expected.status}, got ${actual.status}` });
  }
  mismatches.push(...matchHeaders(expected.headers ?? {}, actual.headers));
  if (expected.body !== undefined) {
    mismatches.push(
      ...(actual.body === undefined
        ? [{ at: 'body', problem: 'expected a JSON body, got none (empty or not JSON)' }]
        : matchBody(expected.body, actual.body)),
    );
  }
  for (const path of expected.absent ?? []) {
    const found = resolveKeyPath(actual.body, path);
    if (found.resolved) {
      mismatches.push({ at: `absent ${formatKeyPath(path)}`, problem: `must not resolve, found ${describe(found.value)}` });
    }
  }
  return mismatches;
}

/** Header names compare case-insensitively; the actual value must contain the expected string. */
export function matchHeaders(expected: Readonly<Record<string, string>>, actual: Readonly<Record<string, string>>): Mismatch[] {
  const actualByName = new Map(Object.entries(actual).map(([name, value]) => [name.toLowerCase(), value]));
  const mismatches: Mismatch[] = [];
  for (const [name, wanted] of Object.entries(expected)) {
    const value = actualByName.get(name.toLowerCase());
    if (value === undefined) {
      mismatches.push({
        at: `header ${name.toLowerCase()}`,
        problem: `expected a value containing ${JSON.stringify(wanted)}, header missing`,
      });
    } else if (!value.includes(wanted)) {
      mismatches.push({
        at: `header ${name.toLowerCase()}`,
        problem: `expected a value containing ${JSON.stringify(wanted)}, got ${JSON.stringify(value)}`,
      });
    }
  }
  return mismatches;
}

/**
 * Partial match of a JSON value:
 * - objects: every expected key must exist in the actual object with a matching value; extra keys are fine;
 * - `"{*}"` (the whole string): the actual value exists and is not null;
 * - `[]`: the actual value is an empty array;
 * - a non-empty array: each expected element matches a different actual element, in any order;
 * - scalars and null: same JSON type and same value (`false` ≠ `"False"`, `"404"` ≠ `404`).
 */
export function matchBody(expected: unknown, actual: unknown, at: KeyPath = []): Mismatch[] {
  const where = formatKeyPath(at);
  if (expected === PRESENT_NOT_NULL) {
    return actual === undefined || actual === null ? [{ at: where, problem: `expected a value (not null), got ${describe(actual)}` }] : [];
  }
  if (Array.isArray(expected)) return matchArray(expected, actual, at);
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [{ at: where, problem: `expected an object, got ${describe(actual)}` }];
    const mismatches: Mismatch[] = [];
    for (const [key, value] of Object.entries(expected)) {
      if (!Object.prototype.hasOwnProperty.call(actual, key)) {
        mismatches.push({ at: formatKeyPath([...at, key]), problem: `expected ${describe(value)}, key missing` });
      } else {
        mismatches.push(...matchBody(value, actual[key], [...at, key]));
      }
    }
    return mismatches;
  }
  if (jsonType(expected) !== jsonType(actual) || expected !== actual) {
    return [{ at: where, problem: `expected ${describe(expected)}, got ${describe(actual)}` }];
  }
  return [];
}

function matchArray(expected: readonly unknown[], actual: unknown, at: KeyPath): Mismatch[] {
  const where = formatKeyPath(at);
  if (!Array.isArray(actual)) return [{ at: where, problem: `expected an array, got ${describe(actual)}` }];
  if (expected.length === 0) {
    return actual.length === 0
      ? []
      : [{ at: where, problem: `expected an empty array, got ${actual.length} element(s): ${describe(actual)}` }];
  }

  const candidates = expected.map((element) =>
    actual.flatMap((candidate, index) => (matchBody(element, candidate).length === 0 ? [index] : [])),
  );
  const assignment = assignDistinctElements(candidates, actual.length);

  const mismatches: Mismatch[] = [];
  expected.forEach((element, index) => {
    if (assignment[index] !== -1) return;
    if (candidates[index].length > 0) {
      const taken = candidates[index].map((candidate) => `[${candidate}]`).join(', ');
      mismatches.push({
        at: where,
        problem: `expected element [${index}] ${describe(element)} matches only ${taken}, which other expected elements need`,
      });
      return;
    }
    mismatches.push({ at: where, problem: `expected element [${index}] ${describe(element)} matches no element of ${describe(actual)}` });
    // The nearest actual element usually shows the real difference (`…[0].active: expected false, got true`).
    const nearest = actual
      .map((candidate, candidateIndex) => matchBody(element, candidate, [...at, candidateIndex]))
      .reduce<Mismatch[] | undefined>((best, current) => (best === undefined || current.length < best.length ? current : best), undefined);
    if (nearest !== undefined) mismatches.push(...nearest.map((mismatch) => ({ ...mismatch, problem: `(nearest) ${mismatch.problem}` })));
  });
  return mismatches;
}

/**
 * Gives each expected element (by its list of matching actual indices) a different actual element, or -1.
 * Greedy with backtracking (Kuhn's augmenting paths): when an element's candidates are all taken, it tries to
 * move the current holder to another of its candidates, so `[{a:1}, {a:1,b:2}]` still fits `[{a:1,b:2}, {a:1}]`.
 */
export function assignDistinctElements(candidates: ReadonlyArray<readonly number[]>, actualLength: number): number[] {
  const holderOf = new Array<number>(actualLength).fill(-1);

  const place = (expectedIndex: number, visited: boolean[]): boolean => {
    for (const actualIndex of candidates[expectedIndex]) {
      if (visited[actualIndex]) continue;
      visited[actualIndex] = true;
      if (holderOf[actualIndex] === -1 || place(holderOf[actualIndex], visited)) {
        holderOf[actualIndex] = expectedIndex;
        return true;
      }
    }
    return false;
  };

  candidates.forEach((_, expectedIndex) => place(expectedIndex, new Array<boolean>(actualLength).fill(false)));
  const assignment = new Array<number>(candidates.length).fill(-1);
  holderOf.forEach((expectedIndex, actualIndex) => {
    if (expectedIndex !== -1) assignment[expectedIndex] = actualIndex;
  });
  return assignment;
}

/**
 * Follows a key path: a string only enters an object's own key (literally, so `name.givenName` is one
 * key), a number only enters an array within its length. A key that holds null resolves.
 */
export function resolveKeyPath(body: unknown, path: KeyPath): { resolved: true; value: unknown } | { resolved: false } {
  let current = body;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || !Number.isInteger(step) || step < 0 || step >= current.length) return { resolved: false };
      current = current[step];
    } else {
      if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, step)) return { resolved: false };
      current = current[step];
    }
  }
  return current === undefined ? { resolved: false } : { resolved: true, value: current };
}

/** `body.Resources[0]["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].manager` */
export function formatKeyPath(path: KeyPath): string {
  return path.reduce<string>((text, step) => {
    if (typeof step === 'number') return `${text}[${step}]`;
    return /^[A-Za-z_$][\w$]*$/.test(step) ? `${text}.${step}` : `${text}[${JSON.stringify(step)}]`;
  }, 'body');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const DESCRIBE_LIMIT = 200;

/** A short JSON rendering with its type where the type is the point (`"False" (string)`). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  const shown = text.length > DESCRIBE_LIMIT ? `${text.slice(0, DESCRIBE_LIMIT)}…` : text;
  const type = jsonType(value);
  return type === 'string' || type === 'number' || type === 'boolean' ? `${shown} (${type})` : shown;
}
