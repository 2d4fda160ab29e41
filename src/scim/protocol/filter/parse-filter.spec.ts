import { ScimError } from '../errors/scim-error';
import { formatFilter } from './format-filter';
import table from './parse-filter.cases.json';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, parseFilter } from './parse-filter';

// Each case has either the AST it parses to or a fragment of the error detail.
const cases: { filter: string; ast?: unknown; error?: string }[] = table.cases;
const parsed = cases.flatMap(({ filter, ast }) => (ast === undefined ? [] : [{ filter, ast }]));
const rejected = cases.flatMap(({ filter, error }) => (error === undefined ? [] : [{ filter, error }]));

function parseError(filter: string, options = {}): ScimError {
  try {
    parseFilter(filter, options);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be rejected`);
}

describe('parseFilter', () => {
  describe.each(parsed)('parses $filter', (c) => {
    it('to the expected AST', () => expect(parseFilter(c.filter)).toEqual(c.ast));
    it('and formats back to text that parses to the same AST', () =>
      expect(parseFilter(formatFilter(parseFilter(c.filter)))).toEqual(parseFilter(c.filter)));
  });

  it.each(rejected)('rejects $filter', (c) => {
    const error = parseError(c.filter);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).toContain(c.error);
  });

  it("parses Entra's +-encoded query once the HTTP layer has decoded it (q16)", () => {
    const query = new URLSearchParams('aadOptscim062020&filter=userName+eq+%22ann.lee%40contoso-test.example%22');
    expect(parseFilter(query.get('filter') ?? '')).toEqual({
      kind: 'compare',
      path: { name: 'userName' },
      operator: 'eq',
      value: 'ann.lee@contoso-test.example',
    });
  });

  describe('limits (trap T8)', () => {
    it(`accepts ${DEFAULT_MAX_LENGTH} characters and refuses one more`, () => {
      const padded = (length: number) => `userName eq "${'x'.repeat(length - 'userName eq ""'.length)}"`;
      expect(() => parseFilter(padded(DEFAULT_MAX_LENGTH))).not.toThrow();
      expect(parseError(padded(DEFAULT_MAX_LENGTH + 1)).detail).toBe(
        `Filter is ${DEFAULT_MAX_LENGTH + 1} characters long; the limit is ${DEFAULT_MAX_LENGTH}.`,
      );
    });

    it(`accepts ${DEFAULT_MAX_DEPTH} levels of nesting and refuses one more`, () => {
      const nested = (depth: number) => `${'('.repeat(depth)}a pr${')'.repeat(depth)}`;
      expect(parseFilter(nested(DEFAULT_MAX_DEPTH))).toEqual({ kind: 'present', path: { name: 'a' } });
      expect(parseError(nested(DEFAULT_MAX_DEPTH + 1)).detail).toContain(`nests deeper than ${DEFAULT_MAX_DEPTH} levels`);
    });

    it('counts not ( ) and [ ] as nesting too', () => {
      const nots = `${'not ('.repeat(DEFAULT_MAX_DEPTH)}emails[type pr]${')'.repeat(DEFAULT_MAX_DEPTH)}`;
      expect(parseError(nots).detail).toContain('nests deeper than');
    });

    it('answers 20,000 nested parentheses with a ScimError, not a stack overflow', () => {
      const huge = `${'('.repeat(20000)}a pr${')'.repeat(20000)}`;
      expect(parseError(huge, { maxLength: 100000 }).detail).toContain('nests deeper than');
    });

    it('parses a long and-chain as one flat node, whatever its length', () => {
      const chain = Array.from({ length: 150 }, (_, index) => `a${index} pr`).join(' and ');
      const node = parseFilter(chain);
      expect(node.kind === 'and' && node.filters.length).toBe(150);
    });
  });

  describe('schema URNs', () => {
    const custom = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

    it('splits after a listed URN, so a custom extension needs no special casing', () => {
      expect(parseFilter(`${custom}:costCentre eq "x"`, { schemaUrns: [custom] })).toEqual({
        kind: 'compare',
        path: { schema: custom, name: 'costCentre' },
        operator: 'eq',
        value: 'x',
      });
    });

    it('prefers the longest listed URN when one extends another', () => {
      const short = 'urn:example:ext';
      const long = 'urn:example:ext:v2';
      expect(parseFilter(`${long}:title pr`, { schemaUrns: [short, long] })).toEqual({
        kind: 'present',
        path: { schema: long, name: 'title' },
      });
    });
  });
});
