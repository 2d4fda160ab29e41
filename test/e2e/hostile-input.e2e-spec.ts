import fc from 'fast-check';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from './harness/test-app';
import { createScimTenant, type ScimTenant } from './harness/scim-tenant';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** Generated inputs per property; FC_RUNS overrides it (e.g. for a longer soak). */
const RUNS = Number(process.env.FC_RUNS ?? 1000);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const PROPERTY_TIMEOUT = 300_000;

/** Domain tables whose contents a refused request must leave exactly as they were. */
const DATA_TABLES = [
  'organisations',
  'users',
  'user_emails',
  'user_phone_numbers',
  'user_addresses',
  'teams',
  'team_members',
  'resources',
  'bookings',
];

/** What a SCIM User or Group write can touch (a property run compares just these, to stay fast). */
const USER_TABLES = ['users', 'user_emails', 'user_phone_numbers', 'user_addresses', 'team_members'];
const GROUP_TABLES = ['teams', 'team_members', 'users'];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const body = (response: { text: string }) => JSON.parse(response.text);

/**
 * Hostile input on the SCIM and admin routes: whatever arrives, the answer is below 500, in the
 * route's error format, and a refused request changes nothing. Runs over real HTTP on the real
 * database (SQLite by default, MariaDB with TEST_DATABASE_URL).
 */
describe('hostile input', () => {
  let t: TestApp;
  let acme: ScimTenant;
  let globex: ScimTenant;
  let userId: string;
  let groupId: string;
  let memberIds: string[];
  let globexUserId: string;
  let adminUserId: string;

  beforeAll(async () => {
    t = await createTestApp('hostile-input');
    acme = await createScimTenant(t, 'Acme');
    globex = await createScimTenant(t, 'Globex');
    memberIds = [];
    for (const name of ['ann', 'ravi', 'lena']) {
      const created = await acme
        .post('/Users', {
          schemas: [USER, ENTERPRISE],
          userName: `${name}@acme.test`,
          displayName: name,
          name: { givenName: name, familyName: 'Acme' },
          emails: [{ value: `${name}@acme.test`, type: 'work', primary: true }],
          [ENTERPRISE]: { department: 'D' },
        })
        .expect(201);
      memberIds.push(body(created).id);
    }
    userId = memberIds[0];
    groupId = body(
      await acme
        .post('/Groups', { schemas: [GROUP], displayName: 'Floor 1', members: [{ value: memberIds[0] }, { value: memberIds[1] }] })
        .expect(201),
    ).id;
    globexUserId = body(await globex.post('/Users', { userName: 'gil@globex.test', displayName: 'Gil' }).expect(201)).id;
    adminUserId = acme.admin.id;
  });
  afterAll(() => t.close());

  /** Every row of every domain table, in a stable order. */
  const snapshot = async (tables: string[] = DATA_TABLES): Promise<string> => {
    const parts: string[] = [];
    for (const table of tables) {
      const rows: Record<string, unknown>[] = await t.dataSource.query(`SELECT * FROM ${table}`);
      parts.push(
        `${table}:${rows
          .map((row) => JSON.stringify(row, Object.keys(row).sort()))
          .sort()
          .join('\n')}`,
      );
    }
    return parts.join('\n\n');
  };

  /** A request with a raw body exactly as given (string or bytes), bypassing supertest's serialisers. */
  const raw = (method: Method, path: string, options: { token?: string; type?: string; payload?: string | Buffer } = {}) => {
    const call = t.http()[method](path);
    if (options.token) call.set('Authorization', `Bearer ${options.token}`);
    if (options.type) call.set('Content-Type', options.type);
    if (options.payload !== undefined) {
      // Strings as they are; bytes untouched (superagent would otherwise JSON-encode a Buffer).
      if (typeof options.payload === 'string') return call.send(options.payload);
      const bytes = options.payload;
      return call.serialize(() => bytes as unknown as string).send(bytes);
    }
    return call;
  };
  const scim = (method: Method, path: string, payload?: string | Buffer, type = 'application/scim+json') =>
    raw(method, `${acme.base}${path}`, { token: acme.token, type: payload === undefined ? undefined : type, payload });
  const admin = (method: Method, path: string, payload?: string | Buffer, type = 'application/json') =>
    raw(method, path, { token: acme.adminToken, type: payload === undefined ? undefined : type, payload });

  const expectScimError = (response: Response, status?: number) => {
    expect(response.status).toBeLessThan(500);
    expect(response.status).toBeGreaterThanOrEqual(400);
    if (status !== undefined) expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
    const error = body(response);
    expect(error.schemas).toEqual([ERROR]);
    expect(error.status).toBe(String(response.status));
    return error as { status: string; scimType?: string; detail?: string };
  };
  const expectAdminError = (response: Response, status?: number) => {
    expect(response.status).toBeLessThan(500);
    expect(response.status).toBeGreaterThanOrEqual(400);
    if (status !== undefined) expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({ statusCode: response.status, code: expect.any(String), message: expect.any(String) });
    return response.body as { statusCode: number; code: string; message: string };
  };
  const expectNoPollution = () => {
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(probe.admin).toBeUndefined();
    expect(probe.isAdmin).toBeUndefined();
  };

  /** The SCIM routes that take a body, and the admin ones. */
  const scimWrites = (): [Method, string][] => [
    ['post', '/Users'],
    ['put', `/Users/${userId}`],
    ['patch', `/Users/${userId}`],
    ['post', '/Users/.search'],
    ['post', '/Groups'],
    ['put', `/Groups/${groupId}`],
    ['patch', `/Groups/${groupId}`],
    ['post', '/Groups/.search'],
  ];
  const adminWrites = (): [Method, string][] => [
    ['post', '/api/users'],
    ['patch', `/api/users/${adminUserId}`],
    ['post', '/api/teams'],
    ['post', '/api/resources'],
    ['post', '/api/bookings'],
    ['post', '/api/auth/login'],
  ];

  const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const invalidUtf8 = Buffer.concat([
    Buffer.from('{"userName":"bad', 'utf8'),
    Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
    Buffer.from('@acme.test","displayName":"x","email":"x@acme.test","name":"x"}', 'utf8'),
  ]);
  const overOneMb = JSON.stringify({ userName: 'big@acme.test', displayName: 'x'.repeat(1_050_000), email: 'b@acme.test' });

  const malformedBodies: [string, string | Buffer, string][] = [
    ['malformed JSON', '{"userName": "x@acme.test", ', 'application/json'],
    ['malformed SCIM JSON', '{"schemas":[', 'application/scim+json'],
    ['a trailing comma', '{"userName":"x",}', 'application/json'],
    ['single quotes', "{'userName':'x'}", 'application/json'],
    ['a JSON string literal', '"hello"', 'application/json'],
    ['a JSON number literal', '42', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['an empty body', '', 'application/json'],
    ['text/plain', '{"userName":"x@acme.test","displayName":"x"}', 'text/plain'],
    ['application/xml', '<user><userName>x@acme.test</userName></user>', 'application/xml'],
    ['a form body', 'userName=x%40acme.test&displayName=X&email=x%40acme.test&name=x', 'application/x-www-form-urlencoded'],
    ['a multipart body', '--b\r\nContent-Disposition: form-data; name="userName"\r\n\r\nx\r\n--b--', 'multipart/form-data; boundary=b'],
    ['a charset the parser does not know', '{"userName":"x"}', 'application/json; charset=ebcdic'],
    ['10,000 levels of nested arrays', nestedArrays(10_000), 'application/json'],
    ['10,000 levels of nested objects', nestedObjects(10_000), 'application/json'],
    ['nested arrays inside a resource', `{"userName":"n@acme.test","displayName":${nestedArrays(10_000)}}`, 'application/json'],
    ['invalid UTF-8 bytes', invalidUtf8, 'application/json'],
    ['a UTF-16 BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]), 'application/json'],
  ];

  describe('malformed bodies and wrong content types', () => {
    it.each(malformedBodies)('SCIM: answers %s on every write route with a SCIM 4xx, changing nothing', async (_case, payload, type) => {
      const before = await snapshot();
      for (const [method, path] of scimWrites()) {
        const response = await scim(method, path, payload, type);
        // A .search with no usable body is a plain list (the body is optional), so it may be 200.
        if (path.endsWith('.search') && response.status === 200) {
          expect(body(response).schemas).toEqual([LIST]);
          continue;
        }
        try {
          expectScimError(response);
        } catch (error) {
          throw new Error(`${method.toUpperCase()} ${path}: ${response.status} ${response.text.slice(0, 300)}\n${String(error)}`);
        }
      }
      expect(await snapshot()).toBe(before);
      expectNoPollution();
    });

    it.each(malformedBodies)(
      'admin API: answers %s on every write route with {statusCode, code, message}, changing nothing',
      async (_case, payload, type) => {
        const before = await snapshot();
        for (const [method, path] of adminWrites()) {
          const response =
            path === '/api/auth/login' ? await raw(method, path, { type, payload }) : await admin(method, path, payload, type);
          // An empty body, or one not parsed as JSON, is a PATCH with no fields: a no-op (the snapshot below proves it).
          if (method === 'patch' && response.status === 200) continue;
          try {
            expectAdminError(response);
          } catch (error) {
            throw new Error(`${method.toUpperCase()} ${path}: ${response.status} ${response.text.slice(0, 300)}\n${String(error)}`);
          }
        }
        expect(await snapshot()).toBe(before);
      },
    );

    it('answers a body just over 1 MB with 413 in each route’s format', async () => {
      const before = await snapshot();
      for (const [method, path] of scimWrites()) {
        for (const type of ['application/scim+json', 'application/json']) {
          const error = expectScimError(await scim(method, path, overOneMb, type), 413);
          expect(error.detail).toMatch(/1 MB/);
        }
      }
      for (const [method, path] of adminWrites()) {
        expect(expectAdminError(await admin(method, path, overOneMb), 413).code).toBe('PAYLOAD_TOO_LARGE');
      }
      // Just under the limit parses, and is then refused for what it says (an over-long value).
      const underLimit = JSON.stringify({ schemas: [USER], userName: 'under@acme.test', displayName: 'x'.repeat(1_000_000) });
      expect(Buffer.byteLength(underLimit)).toBeLessThan(1024 * 1024);
      expect(expectScimError(await scim('post', '/Users', underLimit), 400).detail).toContain('displayName');
      expect(await snapshot()).toBe(before);
    });
  });

  describe('over-long strings', () => {
    const long = 'x'.repeat(5000);
    it.each([
      ['userName', { schemas: [USER], userName: `${long}@acme.test`, displayName: 'L' }],
      ['displayName', { schemas: [USER], userName: 'l1@acme.test', displayName: long }],
      ['externalId', { schemas: [USER], userName: 'l2@acme.test', displayName: 'L', externalId: long }],
      ['title', { schemas: [USER], userName: 'l3@acme.test', displayName: 'L', title: long }],
      ['givenName', { schemas: [USER], userName: 'l4@acme.test', displayName: 'L', name: { givenName: long } }],
      ['emails', { schemas: [USER], userName: 'l5@acme.test', displayName: 'L', emails: [{ value: `${long}@acme.test`, type: 'work' }] }],
      ['department', { schemas: [USER, ENTERPRISE], userName: 'l6@acme.test', displayName: 'L', [ENTERPRISE]: { department: long } }],
    ])('SCIM POST /Users: an over-long %s is a 400 naming the attribute, and creates nothing', async (attribute, resource) => {
      const before = await snapshot();
      const error = expectScimError(await scim('post', '/Users', JSON.stringify(resource)), 400);
      expect(error.detail).toContain(attribute);
      expect(await snapshot()).toBe(before);
    });

    it('SCIM: over-long values in PUT, PATCH and Groups are 400s naming the attribute', async () => {
      const before = await snapshot();
      const cases: [Method, string, unknown, string][] = [
        ['put', `/Users/${userId}`, { schemas: [USER], userName: 'ann@acme.test', displayName: long }, 'displayName'],
        [
          'patch',
          `/Users/${userId}`,
          { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: long }] },
          'displayName',
        ],
        ['patch', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { title: long } }] }, 'title'],
        ['post', '/Groups', { schemas: [GROUP], displayName: long }, 'displayName'],
        ['put', `/Groups/${groupId}`, { schemas: [GROUP], displayName: long }, 'displayName'],
        [
          'patch',
          `/Groups/${groupId}`,
          { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: long }] },
          'displayName',
        ],
        ['post', '/Groups', { schemas: [GROUP], displayName: 'Long Ext', externalId: long }, 'externalId'],
      ];
      for (const [method, path, payload, attribute] of cases) {
        const error = expectScimError(await scim(method, path, JSON.stringify(payload)), 400);
        expect(`${method} ${path}: ${error.detail}`).toContain(attribute);
      }
      expect(await snapshot()).toBe(before);
    });

    it('admin API: over-long values are 400 VALIDATION_FAILED naming the field', async () => {
      const before = await snapshot();
      const cases: [Method, string, unknown, string][] = [
        ['post', '/api/users', { email: 'l@acme.test', displayName: long }, 'displayName'],
        ['patch', `/api/users/${adminUserId}`, { jobTitle: long }, 'jobTitle'],
        ['post', '/api/teams', { name: long }, 'name'],
        ['post', '/api/resources', { name: long, type: 'desk' }, 'name'],
        ['post', '/api/bookings', { resourceId: long, start: '2030-01-02T09:00:00Z', end: '2030-01-02T10:00:00Z' }, 'resourceId'],
        ['get', `/api/users?q=${long}`, undefined, 'q'],
      ];
      for (const [method, path, payload, field] of cases) {
        const response = await admin(method, path, payload === undefined ? undefined : JSON.stringify(payload));
        if (method === 'get' && response.status === 200) continue; // search may simply find nothing
        const error = expectAdminError(response, 400);
        expect(`${method} ${path.slice(0, 40)}: ${error.message}`).toContain(field);
      }
      expect(await snapshot()).toBe(before);
    });
  });

  describe('filter injection', () => {
    const injections = [
      'userName eq "x\\" or 1 eq 1"',
      'userName eq "x\\" or userName pr or userName eq \\"y"',
      'userName eq "x" or 1 eq 1',
      "userName eq \"' OR '1'='1\"",
      'userName eq "x\'; DROP TABLE users; --"',
      'userName eq "x" ; DROP TABLE users',
      'userName eq "x") or (1=1',
      'userName co "%"',
      'userName sw "%"',
      'userName ew "%"',
      'userName co "_"',
      'userName sw "_"',
      'userName co "\\\\"',
      'userName eq "\\\\"',
      'userName co "\\\\%"',
      'userName eq "\u0000"',
      'userName co "\u0000"',
      'userName eq "ann@acme.test\u0000"',
      'displayName co "\' UNION SELECT * FROM users --"',
      'emails[value co "%"].value pr',
      'emails[type eq "work" or 1 eq 1]',
      'userName eq "ann@acme.test" or organisationId pr',
      'organisationId eq "x"',
      'passwordHash pr',
      'userName gt ""',
      'userName lt "\uffff"',
      'userName eq "*"',
      'userName co "[a-z]"',
      'userName eq "' + 'a'.repeat(100_000) + '"',
      '(((((((((((((((((((((((((((((userName pr)))))))))))))))))))))))))))))',
      '('.repeat(5000) + 'userName pr' + ')'.repeat(5000),
      'not (' + Array.from({ length: 2000 }, () => 'userName pr').join(' or ') + ')',
      '__proto__ eq "x"',
      'constructor.prototype eq "x"',
      'constructor eq "x"',
      'toString pr',
      '__proto__.polluted pr',
      'userName eq {"a":1}',
      'userName eq 1e999',
      'userName eq -0',
      'userName eq 123456789012345678901234567890',
      'meta.created gt "not a date"',
      'meta.created gt "9999999-01-01T00:00:00Z"',
      'active eq "true"',
      'active eq 1',
      '',
      ' ',
      '"',
      '\\',
    ];

    const expectNoLeak = (response: Response, label: string) => {
      expect(response.status).toBeLessThan(500);
      if (response.status === 200) {
        const list = body(response);
        expect(list.schemas).toEqual([LIST]);
        for (const resource of list.Resources ?? []) expect(resource.id).not.toBe(globexUserId);
        expect(JSON.stringify(list)).not.toMatch(/passwordHash|organisationId|globex/i);
        return list as { totalResults: number };
      }
      const error = expectScimError(response);
      expect([400, 404]).toContain(response.status);
      if (response.status === 400)
        expect(['invalidFilter', 'invalidValue', 'invalidSyntax', 'invalidPath', 'tooMany']).toContain(error.scimType);
      void label;
      return undefined;
    };

    it.each(injections.map((filter) => [filter.length > 80 ? `${filter.slice(0, 60)}…(${filter.length})` : filter, filter]))(
      'GET /Users and /Groups, and .search: %s is answered safely and matches nothing it should not',
      async (_label, filter) => {
        const before = await snapshot();
        const groupFilter = filter.replace(/userName/g, 'displayName');
        const lists = [
          await scim(
            'post',
            '/Users/.search',
            JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter }),
          ),
          await scim('post', '/Groups/.search', JSON.stringify({ filter: groupFilter })),
        ];
        // Node refuses request lines over 16 KB itself (431); long filters are tested through .search.
        if (filter.length < 4000) {
          lists.push(await scim('get', `/Users?filter=${encodeURIComponent(filter)}`));
          lists.push(await scim('get', `/Groups?filter=${encodeURIComponent(groupFilter)}`));
        }
        for (const response of lists) {
          const list = expectNoLeak(response, filter);
          // Injected quotes, wildcards and escapes are literal text: nothing here matches every row.
          const matchesAll = /pr\)*$|pr or|gt ""|lt "|^not|organisationId pr|^\(+userName pr|^active eq/.test(filter);
          if (list && !matchesAll) expect(list.totalResults).toBe(0);
        }
        expect(await snapshot()).toBe(before);
      },
    );

    it('a wildcard or escape in a filter value is literal, on both databases', async () => {
      const id = body(await acme.post('/Users', { userName: 'pct_50%\\x@acme.test', displayName: 'Pct' }).expect(201)).id;
      try {
        for (const filter of [
          'userName co "%"',
          'userName co "_50%"',
          'userName co "%\\\\x"',
          'userName sw "pct_"',
          'userName ew "\\\\x@acme.test"',
        ]) {
          const list = body(await scim('get', `/Users?filter=${encodeURIComponent(filter)}`).expect(200));
          expect({ filter, ids: list.Resources.map((r: { id: string }) => r.id) }).toEqual({ filter, ids: [id] });
        }
        for (const filter of ['userName co "p_t"', 'userName sw "%"', 'userName co "\\\\\\\\"']) {
          const list = body(await scim('get', `/Users?filter=${encodeURIComponent(filter)}`).expect(200));
          expect({ filter, total: list.totalResults }).toEqual({ filter, total: 0 });
        }
      } finally {
        await acme.delete(`/Users/${id}`).expect(204);
      }
    });

    it('admin API: wildcards and injections in list parameters are literal', async () => {
      for (const search of ['%', '_', '\\', "' OR '1'='1", "x' UNION SELECT passwordHash FROM users --", '\u0000']) {
        const response = await admin('get', `/api/users?q=${encodeURIComponent(search)}`);
        expect(response.status).toBeLessThan(500);
        if (response.status !== 200) {
          expectAdminError(response, 400);
          continue;
        }
        // SQLite's LIKE stops at a NUL in the pattern, so "\0" matches like "" (every user of this
        // organisation, which an admin may list anyway); everything else is literal and matches nothing.
        if (search !== '\u0000') expect({ search, total: response.body.total }).toEqual({ search, total: 0 });
        for (const user of response.body.items) expect(user.organisationId).toBe(acme.organisation.id);
      }
    });
  });

  describe('prototype pollution', () => {
    const pollutingUser = (userName: string) =>
      `{"schemas":["${USER}"],"userName":"${userName}","displayName":"P","__proto__":{"polluted":true,"admin":true},` +
      `"constructor":{"prototype":{"polluted":true}},"name":{"__proto__":{"polluted":true},"givenName":"P"},` +
      `"emails":[{"value":"${userName}","__proto__":{"primary":true}}]}`;

    it('SCIM: __proto__ and constructor.prototype keys in bodies neither pollute nor leak into the resource', async () => {
      const response = await scim('post', '/Users', pollutingUser('proto@acme.test'));
      expect(response.status).toBeLessThan(500);
      expectNoPollution();
      if (response.status === 201) {
        const created = body(response);
        expect(JSON.stringify(created)).not.toMatch(/polluted|"admin"/);
        const stored = body(await acme.get(`/Users/${created.id}`).expect(200));
        expect(JSON.stringify(stored)).not.toMatch(/polluted|"admin"/);
        await acme.delete(`/Users/${created.id}`).expect(204);
      } else {
        expectScimError(response, 400);
      }

      // A PUT replaces the whole of Ann (legitimately), so the snapshot is taken after it.
      const put = await scim('put', `/Users/${userId}`, pollutingUser('ann@acme.test'));
      expect(put.status).toBeLessThan(500);
      expect(put.text).not.toMatch(/polluted/);
      expectNoPollution();
      const before = await snapshot();
      const bodies: [Method, string, string][] = [
        ['patch', `/Users/${userId}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"__proto__.polluted","value":true}]}`],
        [
          'patch',
          `/Users/${userId}`,
          `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"constructor.prototype.polluted","value":true}]}`,
        ],
        ['patch', `/Users/${userId}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":true}}}]}`],
        [
          'patch',
          `/Users/${userId}`,
          `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","value":{"constructor":{"prototype":{"polluted":true}}}}]}`,
        ],
        [
          'patch',
          `/Users/${userId}`,
          `{"schemas":["${PATCH_OP}"],"__proto__":{"Operations":[]},"Operations":[{"op":"add","path":"__proto__","value":{"polluted":true}}]}`,
        ],
        [
          'patch',
          `/Groups/${groupId}`,
          `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"members","value":[{"value":"__proto__"}]}]}`,
        ],
        ['patch', `/Groups/${groupId}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"__proto__.polluted","value":true}]}`],
        [
          'patch',
          `/Groups/${groupId}`,
          `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"remove","path":"members[value eq \\"__proto__\\"]"}]}`,
        ],
        [
          'post',
          '/Groups',
          `{"schemas":["${GROUP}"],"displayName":"Proto","members":[{"value":"constructor"}],"__proto__":{"polluted":true}}`,
        ],
        [
          'post',
          '/Users/.search',
          `{"filter":"__proto__ pr","attributes":["__proto__","constructor.prototype"],"__proto__":{"count":100000}}`,
        ],
      ];
      for (const [method, path, payload] of bodies) {
        const result = await scim(method, path, payload);
        expect(result.status).toBeLessThan(500);
        if (result.status >= 400) expectScimError(result);
        expect(result.text).not.toMatch(/polluted/);
        expectNoPollution();
      }
      expect(await snapshot()).toBe(before);
    });

    it('SCIM: prototype names in paths and attributes= are unknown ids and ignored attributes', async () => {
      const before = await snapshot();
      for (const id of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', '__proto__%2Fpolluted', 'constructor%2Fprototype']) {
        for (const resource of ['Users', 'Groups']) {
          expectScimError(await scim('get', `/${resource}/${id}`), 404);
          expectScimError(await scim('delete', `/${resource}/${id}`), 404);
          const patched = await scim(
            'patch',
            `/${resource}/${id}`,
            JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }),
          );
          expectScimError(patched, 404);
        }
        const schema = await scim('get', `/Schemas/${id}`);
        expectScimError(schema, 404);
        expectScimError(await scim('get', `/ResourceTypes/${id}`), 404);
      }
      for (const attributes of ['__proto__', 'constructor.prototype', '__proto__.polluted', 'toString', 'name.__proto__']) {
        for (const query of [`attributes=${encodeURIComponent(attributes)}`, `excludedAttributes=${encodeURIComponent(attributes)}`]) {
          const one = await scim('get', `/Users/${userId}?${query}`);
          expect(one.status).toBeLessThan(500);
          if (one.status === 200) expect(body(one).id).toBe(userId);
          else expectScimError(one, 400);
          const list = await scim('get', `/Groups?${query}&__proto__[polluted]=true&constructor[prototype][polluted]=true`);
          expect(list.status).toBeLessThan(500);
          if (list.status >= 400) expectScimError(list, 400);
        }
      }
      expectNoPollution();
      expect(await snapshot()).toBe(before);
    });

    it('admin API: __proto__ and constructor keys are refused or ignored, never applied', async () => {
      // Resources cannot be deleted, so this one is sent before the snapshot: accepted or not, the keys must not apply.
      const resource = await admin(
        'post',
        '/api/resources',
        '{"name":"Proto Desk","type":"desk","constructor":{"prototype":{"polluted":true}}}',
      );
      expect(resource.status).toBeLessThan(500);
      expect(resource.text).not.toMatch(/polluted/);
      if (resource.status >= 400) expectAdminError(resource);
      expectNoPollution();
      const before = await snapshot();
      const cases: [Method, string, string][] = [
        ['post', '/api/users', '{"email":"p@acme.test","displayName":"P","__proto__":{"role":"admin","polluted":true}}'],
        ['post', '/api/users', '{"email":"p@acme.test","displayName":"P","constructor":{"prototype":{"polluted":true}}}'],
        ['patch', `/api/users/${memberIds[2]}`, '{"__proto__":{"role":"admin"}}'],
        ['post', '/api/teams', '{"name":"T","__proto__":{"polluted":true}}'],
        ['post', '/api/auth/login', '{"email":"admin@acme.test","__proto__":{"password":"x"}}'],
      ];
      for (const [method, path, payload] of cases) {
        const response = await admin(method, path, payload);
        expect(response.status).toBeLessThan(500);
        expect(JSON.stringify(response.body)).not.toMatch(/polluted/);
        if (response.status >= 400) expectAdminError(response);
        else {
          // Accepted only with the prototype keys ignored; undo it so the snapshot still holds.
          expect(response.body.role ?? 'user').toBe('user');
          if (path === '/api/teams') await admin('delete', `/api/teams/${response.body.id}`).expect(204);
          else if (path === '/api/users') await admin('delete', `/api/users/${response.body.id}`).expect(204);
          else if (method === 'patch')
            expect(response.body.id).toBe(memberIds[2]); // an empty update: the snapshot proves it
          else throw new Error(`${method} ${path} accepted a prototype key: ${response.status} ${response.text}`);
        }
        expectNoPollution();
      }
      for (const path of [
        '/api/users/__proto__',
        '/api/users/constructor',
        '/api/teams/__proto__',
        '/api/resources/constructor',
        '/api/bookings/__proto__',
      ]) {
        expectAdminError(await admin('get', path), 404);
      }
      const listed = await admin('get', '/api/users?__proto__[polluted]=true&constructor[prototype][polluted]=true');
      expect(listed.status).toBeLessThan(500);
      expectNoPollution();
      expect(await snapshot()).toBe(before);
    });
  });

  describe('types, numbers and query parameters', () => {
    it('SCIM: numbers where strings belong and the reverse are 400s, changing nothing', async () => {
      const before = await snapshot();
      const cases: [Method, string, unknown][] = [
        ['post', '/Users', { schemas: [USER], userName: 123, displayName: 'N' }],
        ['post', '/Users', { schemas: [USER], userName: 'n1@acme.test', displayName: 1.5 }],
        ['post', '/Users', { schemas: [USER], userName: 'n2@acme.test', displayName: ['a'] }],
        ['post', '/Users', { schemas: [USER], userName: 'n3@acme.test', active: 'yes' }],
        ['post', '/Users', { schemas: [USER], userName: 'n4@acme.test', active: 1 }],
        ['post', '/Users', { schemas: [USER], userName: 'n5@acme.test', emails: 'n5@acme.test' }],
        ['post', '/Users', { schemas: [USER], userName: 'n6@acme.test', emails: [{ value: 5 }] }],
        ['post', '/Users', { schemas: [USER], userName: 'n7@acme.test', name: 'N Seven' }],
        ['post', '/Users', { schemas: [USER], userName: 'n8@acme.test', externalId: { id: 1 } }],
        ['post', '/Users', { schemas: [USER], userName: null }],
        ['post', '/Users', { schemas: [USER], userName: { value: 'x' } }],
        ['put', `/Users/${userId}`, { schemas: [USER], userName: 42 }],
        ['patch', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'userName', value: 42 }] }],
        ['patch', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: 'maybe' }] }],
        ['patch', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 5, path: 'displayName', value: 'x' }] }],
        ['patch', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: 'replace' }],
        ['patch', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 7, value: 'x' }] }],
        ['post', '/Groups', { schemas: [GROUP], displayName: 7 }],
        ['post', '/Groups', { schemas: [GROUP], displayName: 'G', members: [{ value: 7 }] }],
        ['put', `/Groups/${groupId}`, { schemas: [GROUP], displayName: false }],
        ['patch', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: 'x' }] }],
        ['patch', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 1 }] }] }],
        [
          'patch',
          `/Groups/${groupId}`,
          { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: UNKNOWN_ID }] }] },
        ],
        [
          'patch',
          `/Groups/${groupId}`,
          { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: globexUserId }] }] },
        ],
        ['post', '/Users/.search', { startIndex: 'one', count: 'ten' }],
        ['post', '/Users/.search', { filter: 5 }],
        ['post', '/Groups/.search', { attributes: 5, sortBy: [] }],
      ];
      for (const [method, path, payload] of cases) {
        const response = await scim(method, path, JSON.stringify(payload));
        try {
          expectScimError(response, 400);
        } catch (error) {
          throw new Error(
            `${method.toUpperCase()} ${path} ${JSON.stringify(payload)}: ${response.status} ${response.text.slice(0, 300)}\n${String(error)}`,
          );
        }
      }
      expect(await snapshot()).toBe(before);
    });

    it('admin API: numbers where strings belong and the reverse are 400 VALIDATION_FAILED, changing nothing', async () => {
      const before = await snapshot();
      const cases: [Method, string, unknown][] = [
        ['post', '/api/users', { email: 5, displayName: 'X' }],
        ['post', '/api/users', { email: 'n@acme.test', displayName: ['X'] }],
        ['post', '/api/users', { email: 'n@acme.test', displayName: 'X', role: 1 }],
        ['patch', `/api/users/${memberIds[2]}`, { active: 'false' }],
        ['patch', `/api/users/${memberIds[2]}`, { displayName: 12 }],
        ['post', '/api/teams', { name: 5 }],
        ['post', '/api/teams', { name: { toString: 'x' } }],
        ['post', '/api/resources', { name: 'R', type: 1 }],
        ['post', '/api/bookings', { resourceId: 5, start: 1893574800000, end: 1893578400000 }],
        ['post', '/api/auth/login', { email: 5, password: 5 }],
      ];
      for (const [method, path, payload] of cases) {
        const response = await admin(method, path, JSON.stringify(payload));
        try {
          expectAdminError(response, 400);
        } catch (error) {
          throw new Error(
            `${method.toUpperCase()} ${path} ${JSON.stringify(payload)}: ${response.status} ${response.text.slice(0, 300)}\n${String(error)}`,
          );
        }
      }
      expect(await snapshot()).toBe(before);
    });

    it('SCIM: huge, negative, fractional and repeated paging parameters and unknown parameters never fail', async () => {
      const queries = [
        'startIndex=99999999999999999999999&count=1',
        'startIndex=1&count=99999999999999999999999',
        'count=1e308',
        'count=Infinity',
        'count=NaN',
        'startIndex=-5&count=-5',
        'startIndex=1.5&count=2.5',
        'startIndex=9007199254740993',
        'startIndex=0x10',
        'startIndex=&count=',
        'startIndex=1&startIndex=2',
        'count[]=1',
        'filter=userName%20pr&filter=displayName%20pr',
        'filter[userName]=x',
        'attributes[]=userName',
        'sortBy=__proto__',
        'sortBy=userName&sortOrder=sideways',
        'sortBy=passwordHash',
        'unknown=1&foo[bar][baz]=2&%00=%00',
        `noise=${'x'.repeat(4000)}`,
      ];
      for (const resource of ['Users', 'Groups']) {
        for (const query of queries) {
          const response = await scim('get', `/${resource}?${query}`);
          expect({ query, status: response.status < 500 }).toEqual({ query, status: true });
          if (response.status >= 400) expectScimError(response, 400);
          else {
            const list = body(response);
            expect(list.schemas).toEqual([LIST]);
            expect(list.totalResults).toBeGreaterThanOrEqual(list.Resources.length);
            expect(list.Resources.length).toBeLessThanOrEqual(1000);
          }
        }
      }
    });

    it('admin API: huge and malformed list parameters and unknown parameters never fail', async () => {
      const queries = [
        '/api/users?limit=99999999999999999999',
        '/api/users?limit=-1',
        '/api/users?limit=abc',
        '/api/users?limit[]=1',
        '/api/users?offset=99999999999999999999',
        '/api/users?unknown=1',
        '/api/bookings?from=notadate',
        '/api/bookings?userId=' + 'x'.repeat(1000),
        '/api/bookings?status[]=confirmed',
        '/api/resources?type=spaceship',
        '/api/resources?type[]=desk',
        '/api/integrations/scim/log?limit=1e9',
        '/api/integrations/scim/log?limit=NaN',
        '/api/integrations/scim/log?before=yesterday',
      ];
      for (const path of queries) {
        const response = await admin('get', path);
        expect({ path, status: response.status < 500 }).toEqual({ path, status: true });
        if (response.status >= 400) expectAdminError(response);
      }
    });
  });

  describe('properties (fast-check)', () => {
    const validAttributes = fc.constantFrom(
      'userName',
      'displayName',
      'externalId',
      'id',
      'active',
      'emails.value',
      'emails[type eq "work"].value',
      'members.value',
      'meta.lastModified',
    );
    const otherAttributes = fc.constantFrom(
      'userName',
      'displayName',
      'externalId',
      'id',
      'active',
      'title',
      'name.givenName',
      'name.familyName',
      'emails',
      'emails.value',
      'emails.type',
      'emails[type eq "work"].value',
      'meta.created',
      'meta.lastModified',
      'members',
      'members.value',
      `${ENTERPRISE}:department`,
      `${USER}:userName`,
      'groups.value',
      '__proto__',
      'constructor.prototype',
      'organisationId',
      'passwordHash',
      'x',
    );
    const attributes = fc.oneof({ weight: 3, arbitrary: validAttributes }, { weight: 1, arbitrary: otherAttributes });
    const operators = fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr') },
      { weight: 1, arbitrary: fc.constantFrom('EQ', 'Co', 'xx') },
    );
    const literals = fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom('"ann@acme.test"', '"ann"', '"Floor 1"', '"floor"', '"acme"') },
      fc.constantFrom(
        '"ann@acme.test"',
        '"gil@globex.test"',
        '"%"',
        '"_"',
        '"\\\\"',
        '"\\""',
        '""',
        'true',
        'false',
        'null',
        '1',
        '-1.5e3',
        '"2030-01-01T00:00:00Z"',
        `"${UNKNOWN_ID}"`,
      ),
      fc.string({ maxLength: 12 }).map((text) => JSON.stringify(text)),
      fc.string({ maxLength: 6 }),
    );
    const comparison = fc
      .tuple(attributes, operators, literals)
      .map(([attribute, operator, literal]) => (operator === 'pr' ? `${attribute} pr` : `${attribute} ${operator} ${literal}`));
    const filter: fc.Arbitrary<string> = fc.letrec<{ expression: string }>((tie) => ({
      expression: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        comparison,
        fc.tuple(tie('expression'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('expression')).map(([a, op, b]) => `${a} ${op} ${b}`),
        tie('expression').map((inner) => `not (${inner})`),
        tie('expression').map((inner) => `(${inner})`),
        fc
          .tuple(fc.constantFrom('emails', 'members', 'addresses'), tie('expression'))
          .map(([attribute, inner]) => `${attribute}[${inner}]`),
      ),
    })).expression;
    const junk = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc
        .array(
          fc.constantFrom(
            '(',
            ')',
            '[',
            ']',
            '"',
            '\\',
            ' ',
            'and',
            'or',
            'not',
            'eq',
            'pr',
            '.',
            ':',
            '%',
            '_',
            '\u0000',
            'userName',
            "'",
          ),
          { maxLength: 15 },
        )
        .map((parts) => parts.join('')),
    );
    const anyFilter = fc.oneof(
      { weight: 3, arbitrary: filter },
      { weight: 1, arbitrary: junk },
      { weight: 1, arbitrary: fc.tuple(filter, junk).map(([a, b]) => `${a}${b}`) },
    );

    const listProperty = (resource: 'Users' | 'Groups') =>
      it(
        `GET /${resource} with ${RUNS} random filters: never 5xx, valid lists never leave the organisation`,
        async () => {
          const total = body(await scim('get', `/${resource}?count=0`).expect(200)).totalResults as number;
          let runs = 0;
          const statuses: Record<number, number> = {};
          await fc.assert(
            fc.asyncProperty(anyFilter, fc.option(fc.integer({ min: -5, max: 2 ** 31 }), { nil: undefined }), async (text, startIndex) => {
              runs += 1;
              const query = `filter=${encodeURIComponent(text)}${startIndex === undefined ? '' : `&startIndex=${startIndex}`}`;
              const response = await scim('get', `/${resource}?${query}`);
              statuses[response.status] = (statuses[response.status] ?? 0) + 1;
              expect(response.status).toBeLessThan(500);
              if (response.status === 200) {
                const list = body(response);
                expect(list.schemas).toEqual([LIST]);
                expect(list.totalResults).toBeLessThanOrEqual(total);
                for (const item of list.Resources) expect(item.id).not.toBe(globexUserId);
              } else {
                expectScimError(response);
              }
            }),
            { numRuns: RUNS, seed: SEED },
          );
          console.log(
            `hostile-input: GET /${resource} filter property ran ${runs} generated inputs (seed ${SEED}), statuses ${JSON.stringify(statuses)}`,
          );
        },
        PROPERTY_TIMEOUT,
      );
    listProperty('Users');
    listProperty('Groups');

    const strings = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('', ' ', 'x'.repeat(256), 'ann@acme.test', 'gil@globex.test', '\u0000', '%', '__proto__', 'True'),
    );
    const loose = fc.oneof(strings, fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
    /** Mostly a valid value, sometimes anything: near-valid resources get past the first check. */
    const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: loose });
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((value) => value.trim().length > 0);
    const userBody = fc.oneof(
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
      {
        weight: 4,
        arbitrary: fc.record(
          {
            schemas: mostly(fc.constantFrom([USER], [USER, ENTERPRISE])),
            userName: mostly(
              fc.oneof(
                fc.uuid().map((uuid) => `u-${uuid}@acme.test`),
                fc.constantFrom('ann@acme.test', 'ANN@acme.test', 'gil@globex.test'),
              ),
            ),
            displayName: mostly(text),
            active: mostly(fc.oneof(fc.boolean(), fc.constantFrom('True', 'false'))),
            externalId: mostly(text),
            title: mostly(text),
            name: mostly(fc.record({ givenName: mostly(text), familyName: mostly(text), formatted: mostly(text) }, { requiredKeys: [] })),
            emails: mostly(
              fc.array(
                fc.record(
                  { value: mostly(fc.emailAddress()), type: mostly(fc.constantFrom('work', 'home')), primary: mostly(fc.boolean()) },
                  { requiredKeys: ['value'] },
                ),
                { maxLength: 3 },
              ),
            ),
            phoneNumbers: mostly(
              fc.array(fc.record({ value: mostly(text), type: mostly(fc.constantFrom('work', 'mobile')) }, { requiredKeys: ['value'] }), {
                maxLength: 2,
              }),
            ),
            groups: loose,
            id: loose,
            meta: loose,
            [ENTERPRISE]: mostly(
              fc.record(
                { department: mostly(text), employeeNumber: mostly(text), manager: mostly(fc.record({ value: mostly(text) })) },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: ['userName'] },
        ),
      },
    );
    const groupBody = fc.oneof(
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
      {
        weight: 4,
        arbitrary: fc.record(
          {
            schemas: mostly(fc.constant([GROUP])),
            displayName: mostly(
              fc.oneof(
                fc.uuid().map((uuid) => `g-${uuid}`),
                fc.constantFrom('Floor 1', 'FLOOR 1'),
                text,
              ),
            ),
            externalId: mostly(text),
            members: mostly(
              fc.array(
                fc.record(
                  {
                    value: mostly(fc.constantFrom('m0', 'm1', 'm2', 'm2', 'globex', 'unknown')),
                    display: mostly(text),
                    type: mostly(fc.constant('User')),
                  },
                  { requiredKeys: ['value'] },
                ),
                { maxLength: 4 },
              ),
            ),
            id: loose,
            meta: loose,
          },
          { requiredKeys: ['displayName'] },
        ),
      },
    );
    /** Symbolic member ids in generated bodies become the real ones of this run. */
    const realIds = (value: unknown): unknown => {
      const ids: Record<string, string> = {
        m0: memberIds[0],
        m1: memberIds[1],
        m2: memberIds[2],
        globex: globexUserId,
        unknown: UNKNOWN_ID,
      };
      return JSON.parse(JSON.stringify(value ?? null), (_key, item) => (typeof item === 'string' && item in ids ? ids[item] : item));
    };

    const bodyProperty = (resource: 'Users' | 'Groups', arbitrary: fc.Arbitrary<unknown>) =>
      it(
        `POST and PUT /${resource} with ${RUNS} random bodies: never 5xx, a refused write changes nothing`,
        async () => {
          // A resource of its own to PUT onto, so other tests' fixtures stay as they are.
          const target = body(
            resource === 'Users'
              ? await acme.post('/Users', { userName: 'put-target@acme.test', displayName: 'Target' }).expect(201)
              : await acme.post('/Groups', { schemas: [GROUP], displayName: 'Put Target', members: [{ value: memberIds[2] }] }).expect(201),
          ).id as string;
          let runs = 0;
          const statuses: Record<string, number> = {};
          await fc.assert(
            fc.asyncProperty(fc.constantFrom<'post' | 'put'>('post', 'put'), arbitrary, async (method, generated) => {
              runs += 1;
              const payload = realIds(generated);
              const before = await snapshot(resource === 'Users' ? USER_TABLES : GROUP_TABLES);
              const response = await scim(method, method === 'post' ? `/${resource}` : `/${resource}/${target}`, JSON.stringify(payload));
              statuses[`${method} ${response.status}`] = (statuses[`${method} ${response.status}`] ?? 0) + 1;
              expect(response.status).toBeLessThan(500);
              expectNoPollution();
              if (response.status >= 400) {
                expectScimError(response);
                expect(await snapshot(resource === 'Users' ? USER_TABLES : GROUP_TABLES)).toBe(before);
              } else {
                const written = body(response);
                expect(written.id).toBeDefined();
                if (resource === 'Groups') for (const member of written.members ?? []) expect(member.value).not.toBe(globexUserId);
                if (method === 'post') await acme.delete(`/${resource}/${written.id}`).expect(204);
              }
            }),
            { numRuns: RUNS, seed: SEED },
          );
          console.log(
            `hostile-input: POST/PUT /${resource} body property ran ${runs} generated inputs (seed ${SEED}), statuses ${JSON.stringify(statuses)}`,
          );
          await acme.delete(`/${resource}/${target}`).expect(204);
        },
        PROPERTY_TIMEOUT,
      );
    bodyProperty('Users', userBody);
    bodyProperty('Groups', groupBody);

    it(
      `PATCH /Groups with ${RUNS} random bodies: never 5xx, a refused PATCH changes nothing, members stay in the organisation`,
      async () => {
        const target = body(
          await acme.post('/Groups', { schemas: [GROUP], displayName: 'Patch Target', members: [{ value: memberIds[0] }] }).expect(201),
        ).id as string;
        const memberValue = fc.oneof(
          fc.constantFrom('m0', 'm1', 'm2', 'globex', 'unknown', '', '__proto__'),
          fc.string({ maxLength: 8 }),
          fc.integer(),
        );
        const paths = fc.oneof(
          fc.constantFrom(
            'members',
            'members[value eq "m0"]',
            'members[value eq "m1"]',
            'members[value eq "globex"]',
            'members[value eq "m0" or value eq "m1"]',
            'members[value pr]',
            'members[display eq "x"]',
            'members.value',
            'displayName',
            'externalId',
            'id',
            'meta',
            '__proto__.polluted',
            'members[',
            'MEMBERS',
            `${GROUP}:displayName`,
            `${GROUP}:members`,
          ),
          fc.string({ maxLength: 10 }),
        );
        const values = fc.oneof(
          fc.array(fc.record({ value: memberValue, display: fc.string({ maxLength: 4 }) }, { requiredKeys: [] }), { maxLength: 4 }),
          fc.record({ value: memberValue }),
          fc.record(
            {
              displayName: fc.oneof(
                fc.uuid().map((uuid) => `p-${uuid}`),
                fc.constant('Floor 1'),
                fc.integer(),
              ),
              members: fc.array(fc.record({ value: memberValue }), { maxLength: 3 }),
            },
            { requiredKeys: [] },
          ),
          fc.uuid().map((uuid) => `p-${uuid}`),
          fc.constantFrom('Floor 1', '', 'x'.repeat(300)),
          fc.jsonValue({ maxDepth: 3 }),
        );
        const operation = fc.oneof(
          fc.record(
            { op: fc.constantFrom('add', 'remove', 'replace', 'Add', 'REMOVE', 'Replace', 'move', ''), path: paths, value: values },
            { requiredKeys: ['op'] },
          ),
          fc.jsonValue({ maxDepth: 2 }),
        );
        const patchBody = fc.oneof(
          { weight: 4, arbitrary: fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.array(operation, { maxLength: 4 }) }) },
          {
            weight: 1,
            arbitrary: fc.record(
              { schemas: fc.oneof(fc.constant([PATCH_OP]), fc.jsonValue({ maxDepth: 1 })), Operations: fc.jsonValue({ maxDepth: 3 }) },
              { requiredKeys: [] },
            ),
          },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
        );
        let runs = 0;
        const statuses: Record<number, number> = {};
        await fc.assert(
          fc.asyncProperty(patchBody, async (generated) => {
            runs += 1;
            const before = await snapshot(GROUP_TABLES);
            const response = await scim('patch', `/Groups/${target}`, JSON.stringify(realIds(generated)));
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            expect(response.status).toBeLessThan(500);
            expectNoPollution();
            if (response.status >= 400) {
              expectScimError(response);
              expect(await snapshot(GROUP_TABLES)).toBe(before);
            } else {
              const after = body(await acme.get(`/Groups/${target}`).expect(200));
              for (const member of after.members ?? []) expect(member.value).not.toBe(globexUserId);
            }
          }),
          { numRuns: RUNS, seed: SEED },
        );
        console.log(
          `hostile-input: PATCH /Groups property ran ${runs} generated inputs (seed ${SEED}), statuses ${JSON.stringify(statuses)}`,
        );
        await acme.delete(`/Groups/${target}`).expect(204);
      },
      PROPERTY_TIMEOUT,
    );
  });
});
