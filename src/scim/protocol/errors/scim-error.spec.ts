import { ScimError } from './scim-error';

describe('ScimError', () => {
  it.each([
    [ScimError.invalidFilter, 400, 'invalidFilter'],
    [ScimError.invalidPath, 400, 'invalidPath'],
    [ScimError.invalidSyntax, 400, 'invalidSyntax'],
    [ScimError.invalidValue, 400, 'invalidValue'],
    [ScimError.noTarget, 400, 'noTarget'],
    [ScimError.mutability, 400, 'mutability'],
    [ScimError.tooMany, 400, 'tooMany'],
    [ScimError.uniqueness, 409, 'uniqueness'],
    [ScimError.notFound, 404, undefined],
    [ScimError.preconditionFailed, 412, undefined],
  ])('%p carries status %p and scimType %p', (create, status, scimType) => {
    const error = create('what went wrong');
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ScimError', status, scimType, detail: 'what went wrong', message: 'what went wrong' });
  });

  it('accepts only the status/scimType pairs RFC 7644 allows (checked by tsc)', () => {
    expect(new ScimError({ status: 403, scimType: 'sensitive' }, 'x').status).toBe(403);
    expect(new ScimError({ status: 503 }, 'x').scimType).toBeUndefined();
    // @ts-expect-error uniqueness belongs to 409 only
    expect(() => new ScimError({ status: 404, scimType: 'uniqueness' }, 'x')).not.toThrow();
    // @ts-expect-error 500 carries no scimType
    expect(() => new ScimError({ status: 500, scimType: 'invalidFilter' }, 'x')).not.toThrow();
    // @ts-expect-error 418 is not a SCIM status
    expect(() => new ScimError({ status: 418 }, 'x')).not.toThrow();
  });
});
