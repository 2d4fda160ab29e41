import { ScimError } from '../errors/scim-error';
import { scimErrorBody } from './error-body';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('scimErrorBody', () => {
  it.each<[string, ScimError, object]>([
    [
      'a uniqueness conflict',
      ScimError.uniqueness("userName 'ann.lee@contoso-test.example' is already used by user bd2c61d9"),
      {
        schemas: [ERROR],
        status: '409',
        scimType: 'uniqueness',
        detail: "userName 'ann.lee@contoso-test.example' is already used by user bd2c61d9",
      },
    ],
    [
      'an invalid filter',
      ScimError.invalidFilter('Expected a value at column 14.'),
      { schemas: [ERROR], status: '400', scimType: 'invalidFilter', detail: 'Expected a value at column 14.' },
    ],
    [
      'a mutability error',
      ScimError.mutability('id is read-only.'),
      { schemas: [ERROR], status: '400', scimType: 'mutability', detail: 'id is read-only.' },
    ],
    [
      'not found, without scimType',
      ScimError.notFound('User 42 not found.'),
      { schemas: [ERROR], status: '404', detail: 'User 42 not found.' },
    ],
    [
      'a 401',
      new ScimError({ status: 401 }, 'Missing bearer token.'),
      { schemas: [ERROR], status: '401', detail: 'Missing bearer token.' },
    ],
    ['a 400 without scimType', new ScimError({ status: 400 }, 'Bad request.'), { schemas: [ERROR], status: '400', detail: 'Bad request.' }],
    [
      'a 500',
      new ScimError({ status: 500 }, 'Internal error (request r-1).'),
      { schemas: [ERROR], status: '500', detail: 'Internal error (request r-1).' },
    ],
    [
      'a 403 sensitive',
      new ScimError({ status: 403, scimType: 'sensitive' }, 'No personal data in URLs.'),
      { schemas: [ERROR], status: '403', scimType: 'sensitive', detail: 'No personal data in URLs.' },
    ],
  ])('%s', (_description, error, expected) => {
    expect(scimErrorBody(error)).toEqual(expected);
  });

  it('sends status as a JSON string (trap T47) and no scimType key when there is none', () => {
    const body = scimErrorBody(ScimError.notFound('gone'));
    expect(typeof body.status).toBe('string');
    expect('scimType' in body).toBe(false);
  });

  it.each(['', '   '])('never sends an empty detail (Okta checks it): %j', (detail) => {
    expect(scimErrorBody(ScimError.notFound(detail)).detail).toBe('The resource was not found.');
    expect(scimErrorBody(new ScimError({ status: 429 }, detail)).detail).toBe('Too many requests; try again later.');
  });
});
