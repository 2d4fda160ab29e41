import type { User } from '../../users/user.entity';
import { readResource } from '../protocol/resource/read-resource';
import { USER_RESOURCE_TYPE } from '../protocol/schema';
import { scimUserWrite, toScimUser, type ScimUserRecord } from './scim-user.mapper';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** What the repository would store for a write, read back as a record. */
function stored(body: unknown): ScimUserRecord {
  const write = scimUserWrite(readResource(USER_RESOURCE_TYPE, body));
  const owner = (position: number) => ({ id: `c${position}`, organisationId: 'o', userId: 'u1', position });
  const user = {
    id: 'u1',
    organisationId: 'o',
    ...write.columns,
    active: true,
    version: 4,
    createdAt: new Date('2030-01-01T00:00:00Z'),
    updatedAt: new Date('2030-01-02T00:00:00Z'),
  } as User;
  return {
    user,
    emails: write.emails.map((email, position) => ({ ...owner(position), ...email })),
    phoneNumbers: write.phoneNumbers.map((phone, position) => ({ ...owner(position), ...phone })),
    addresses: write.addresses.map((address, position) => ({ ...owner(position), ...address })),
  };
}

describe('SCIM user mapping', () => {
  const full = {
    userName: 'Ann.Lee@acme.test',
    externalId: 'ext-1',
    displayName: 'Ann Lee',
    nickName: 'Annie',
    profileUrl: 'https://intranet.example/ann',
    title: 'Coordinator',
    userType: 'Employee',
    preferredLanguage: 'en-GB',
    locale: 'en-GB',
    timezone: 'Europe/London',
    active: true,
    name: {
      formatted: 'Ms Ann Q Lee',
      familyName: 'Lee',
      givenName: 'Ann',
      middleName: 'Q',
      honorificPrefix: 'Ms',
      honorificSuffix: 'OBE',
    },
    emails: [
      { value: 'ann@home.example', type: 'home' },
      { value: 'Ann.Lee@acme.test', type: 'work', primary: true, display: 'Ann at work' },
    ],
    phoneNumbers: [{ value: '+44 20 7946 0000', type: 'work', primary: true }],
    addresses: [
      {
        type: 'work',
        streetAddress: '1 Harbour Road',
        locality: 'Springfield',
        region: 'Kent',
        postalCode: 'SP1 1AA',
        country: 'GB',
        formatted: '1 Harbour Road, Springfield',
        primary: true,
      },
    ],
    [ENTERPRISE]: {
      employeeNumber: 'E-1',
      costCenter: 'CC-9',
      organization: 'Acme UK',
      division: 'Ops',
      department: 'Facilities',
      manager: { value: 'boss-1' },
    },
  };

  it('round-trips every stored attribute', () => {
    const resource = toScimUser(stored(full), 'https://x/scim/v2/acme/Users/u1');
    const { meta, id, schemas, ...attributes } = resource;
    expect(attributes).toEqual(full);
    expect(id).toBe('u1');
    expect(schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
    expect(meta).toEqual({
      resourceType: 'User',
      created: '2030-01-01T00:00:00.000Z',
      lastModified: '2030-01-02T00:00:00.000Z',
      location: 'https://x/scim/v2/acme/Users/u1',
      version: 'W/"4"',
    });
  });

  it('keeps the primary email and phone as the user columns the app reads', () => {
    const { columns } = scimUserWrite(readResource(USER_RESOURCE_TYPE, full));
    expect(columns).toMatchObject({
      email: 'Ann.Lee@acme.test',
      emailNormalized: 'ann.lee@acme.test',
      phone: '+44 20 7946 0000',
      userNameNormalized: 'ann.lee@acme.test',
      jobTitle: 'Coordinator',
      managerId: 'boss-1',
    });
  });

  it('falls back to the first email when none is primary, and to null when there is none', () => {
    expect(
      scimUserWrite(readResource(USER_RESOURCE_TYPE, { userName: 'a', emails: [{ value: 'x@y' }, { value: 'z@y' }] })).columns.email,
    ).toBe('x@y');
    expect(scimUserWrite(readResource(USER_RESOURCE_TYPE, { userName: 'a' })).columns.email).toBeNull();
  });

  it('clears what a replacement leaves out, and leaves active out of the columns', () => {
    const { columns, emails } = scimUserWrite(readResource(USER_RESOURCE_TYPE, { userName: 'a' }));
    expect(columns).toMatchObject({
      displayName: null,
      jobTitle: null,
      givenName: null,
      department: null,
      managerId: null,
      externalId: null,
    });
    expect(columns).not.toHaveProperty('active');
    expect(columns).not.toHaveProperty('role');
    expect(emails).toEqual([]);
  });

  it('writes meta.created and meta.lastModified exactly as Date.toISOString does, for any date', () => {
    const record = stored({ userName: 'a' });
    const dates = [
      '2030-01-01T00:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2026-11-29T09:05:07.005Z',
      '2026-12-31T10:20:30.050Z',
      '1000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '0999-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
      '-000001-06-15T12:00:00.000Z',
    ].map((text) => new Date(text));
    // And a spread of instants over four centuries, every field of the format taking many values.
    for (let step = 0; step < 500; step++) dates.push(new Date(-5_364_662_400_000 + step * 25_244_938_271));
    for (const date of dates) {
      const { meta } = toScimUser({ ...record, user: { ...record.user, createdAt: date, updatedAt: date } as User }, 'loc');
      expect(meta).toMatchObject({ created: date.toISOString(), lastModified: date.toISOString() });
    }
    expect(() => toScimUser({ ...record, user: { ...record.user, createdAt: new Date(Number.NaN) } as User }, 'loc')).toThrow(RangeError);
  });

  it('outputs no empty objects or lists and no extension without attributes', () => {
    const resource = toScimUser(stored({ userName: 'bare' }), 'loc');
    expect(Object.keys(resource).sort()).toEqual(['active', 'id', 'meta', 'schemas', 'userName']);
    expect(resource.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
  });
});
