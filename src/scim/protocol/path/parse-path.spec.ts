import { ScimError } from '../errors/scim-error';
import { DEFAULT_MAX_DEPTH, ParseOptions } from '../filter';
import table from './parse-path.cases.json';
import { parsePath } from './parse-path';

// Each case has either the PatchPath it parses to or a fragment of the error detail.
const cases: { path: string; ast?: unknown; error?: string; options?: ParseOptions }[] = table.cases;
const parsed = cases.flatMap(({ path, ast, options }) => (ast === undefined ? [] : [{ path, ast, options }]));
const rejected = cases.flatMap(({ path, error }) => (error === undefined ? [] : [{ path, error }]));

function pathError(path: string): ScimError {
  try {
    parsePath(path);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(path)} to be rejected`);
}

describe('parsePath', () => {
  it.each(parsed)('parses $path', ({ path, ast, options }) => expect(parsePath(path, options)).toEqual(ast));

  it.each(rejected)('rejects $path', ({ path, error }) => {
    const scimError = pathError(path);
    expect(scimError.status).toBe(400);
    expect(scimError.scimType).toBe('invalidPath');
    expect(scimError.detail).toContain(error);
  });

  it('caps nesting inside the brackets like a filter', () => {
    const nested = `emails[${'('.repeat(DEFAULT_MAX_DEPTH)}type pr${')'.repeat(DEFAULT_MAX_DEPTH)}]`;
    expect(pathError(nested).detail).toContain(`Path nests deeper than ${DEFAULT_MAX_DEPTH} levels`);
  });
});
