// The runner against a scripted HTTP server (no app): what it sends, what it binds and what a failure says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildRequestUrl,
  FixtureFailedError,
  FixtureFormatError,
  findFixtureFiles,
  loadFixture,
  runFixture,
  substitutePlaceholders,
  type IdpFixture,
  type LoadedFixture,
} from './fixture-runner';

const TOKEN = 'secret-token-value';
const SHIPPED_FIXTURES = join(__dirname, '..', 'fixtures', 'idp');

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Reply = (request: ReceivedRequest) => { status: number; body?: unknown; headers?: Record<string, string> };

describe('fixture runner', () => {
  let server: Server;
  let baseUrl: string;
  let received: ReceivedRequest[];
  let reply: Reply;

  beforeAll(async () => {
    server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
      incoming.on('end', () => {
        const request = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body };
        received.push(request);
        const answer = reply(request);
        outgoing.writeHead(answer.status, { 'Content-Type': 'application/scim+json; charset=utf-8', ...answer.headers });
        outgoing.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2/acme`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = [];
    reply = () => ({ status: 200, body: {} });
  });

  const run = (fixture: IdpFixture) => runFixture({ name: 'test/inline.json', fixture }, { baseUrl, token: TOKEN });

  it('creates the given resources in order, binds their ids and substitutes them everywhere', async () => {
    let created = 0;
    reply = (request) => (request.method === 'POST' ? { status: 201, body: { id: `id-${++created}` } } : { status: 204 });
    await run({
      description: 'binding',
      given: [
        { bind: '{userId1}', create: '/Users', body: { userName: 'a' } },
        { bind: '{groupId}', create: '/Groups', body: { members: [{ value: '{userId1}' }] } },
      ],
      request: {
        method: 'PATCH',
        path: '/Groups/{groupId}',
        headers: { Authorization: 'Bearer {token}', 'Content-Type': 'application/scim+json', 'X-Trace': 'g={groupId}' },
        body: { Operations: [{ op: 'remove', path: 'members[value eq "{userId1}"]' }] },
      },
      expect: { status: 204 },
    });

    expect(received.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /scim/v2/acme/Users',
      'POST /scim/v2/acme/Groups',
      'PATCH /scim/v2/acme/Groups/id-2',
    ]);
    expect(received[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(received[0].headers['content-type']).toBe('application/scim+json');
    expect(JSON.parse(received[1].body)).toEqual({ members: [{ value: 'id-1' }] });
    expect(received[2].headers['x-trace']).toBe('g=id-2');
    expect(JSON.parse(received[2].body)).toEqual({ Operations: [{ op: 'remove', path: 'members[value eq "id-1"]' }] });
  });

  it('encodes query values in key order with %20 and sends a pre-encoded path unchanged', async () => {
    reply = () => ({ status: 200, body: { Resources: [] } });
    await run({
      description: 'query',
      request: {
        method: 'GET',
        path: '/Groups',
        query: { excludedAttributes: 'members', filter: 'displayName eq "a b+c@d"', count: 100 },
        headers: { Authorization: 'Bearer {token}' },
      },
      expect: { status: 200, body: { Resources: [] } },
      then: [
        {
          request: { method: 'GET', path: '/Users?aadOptscim062020&filter=userName+eq+%22a%40b%22', headers: {} },
          expect: { status: 200 },
        },
      ],
    });
    expect(received.map((request) => request.url)).toEqual([
      '/scim/v2/acme/Groups?excludedAttributes=members&filter=displayName%20eq%20%22a%20b%2Bc%40d%22&count=100',
      '/scim/v2/acme/Users?aadOptscim062020&filter=userName+eq+%22a%40b%22',
    ]);
  });

  it('binds {unknownId} to one fresh UUID per run and leaves unknown braces alone', async () => {
    await run({
      description: 'unknownId',
      request: { method: 'GET', path: '/Users/{unknownId}', headers: { 'X-Other': '{notAPlaceholder}' } },
      expect: { status: 200 },
      then: [{ request: { method: 'GET', path: '/Users/{unknownId}' }, expect: { status: 200 } }],
    });
    expect(received[0].url).toMatch(/^\/scim\/v2\/acme\/Users\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(received[1].url).toBe(received[0].url);
    expect(received[0].headers['x-other']).toBe('{notAPlaceholder}');
  });

  it('explains a mismatch: fixture, step, request, expected fragment and actual answer, without the token', async () => {
    reply = (request) =>
      request.method === 'POST' ? { status: 201, body: { id: 'u-1' } } : { status: 200, body: { id: 'u-1', active: 'False', echo: TOKEN } };
    const failure = await run({
      description: 'Entra disables a user.',
      given: [{ bind: '{id}', create: '/Users', body: { userName: 'a' } }],
      request: { method: 'GET', path: '/Users/{id}', headers: { Authorization: 'Bearer {token}' } },
      expect: { status: 200, body: { id: '{id}' } },
      then: [
        {
          request: { method: 'GET', path: '/Users/{id}', query: { attributes: 'active' }, headers: { Authorization: 'Bearer {token}' } },
          expect: { status: 200, body: { active: false } },
        },
      ],
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(FixtureFailedError);
    const message = (failure as Error).message;
    expect(message).toContain('IdP fixture test/inline.json failed at then[0]');
    expect(message).toContain('Entra disables a user.');
    expect(message).toContain(
      `Request: GET ${baseUrl}/Users/u-1?attributes=active\nMismatches:\n  - body.active: expected false (boolean), got "False" (string)\n`,
    );
    expect(message).toContain('Sent:\n  Authorization: Bearer {token}\n');
    expect(message).toMatch(/Expected:\n {2}status 200\n {2}body \{\n {4}"active": false\n {2}\}/);
    expect(message).toMatch(/Actual:\n {2}status 200\n {2}content-type: application\/scim\+json; charset=utf-8\n {2}body \{/);
    expect(message).toContain('"echo": "{token}"');
    expect(message).not.toContain(TOKEN);
  });

  it('reports a given entry the server cannot create as a failure of that entry', async () => {
    reply = () => ({ status: 404, body: { detail: 'no such route' } });
    const failure = await run({
      description: 'given fails',
      given: [{ bind: '{id}', create: '/Users', body: { userName: 'a' } }],
      request: { method: 'GET', path: '/Users/{id}' },
      expect: { status: 200 },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FixtureFailedError);
    expect((failure as Error).message).toContain('failed at given[0] {id}');
    expect((failure as Error).message).toContain('expected a 2xx answer whose body has a string id, got 404');
  });

  it('reports an unreachable server as a failure with the request line', async () => {
    const failure = await runFixture(
      { name: 'x.json', fixture: { description: 'down', request: { method: 'GET', path: '/Users' }, expect: { status: 200 } } },
      { baseUrl: 'http://127.0.0.1:1/scim/v2/acme', token: TOKEN },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FixtureFailedError);
    expect((failure as Error).message).toMatch(
      /Request: GET http:\/\/127\.0\.0\.1:1\/scim\/v2\/acme\/Users\nMismatches:\n {2}- request: no response/,
    );
  });
});

describe('substitutePlaceholders and buildRequestUrl', () => {
  it('replaces bound names inside longer strings and nested values, never object keys or "{*}"', () => {
    const bindings = new Map([['id', '42']]);
    expect(substitutePlaceholders({ '{id}': ['x{id}y', '{*}', 7, null, { v: '{id}{id}' }] }, bindings)).toEqual({
      '{id}': ['x42y', '{*}', 7, null, { v: '4242' }],
    });
  });

  it('joins the tenant URL and the path without a doubled slash', () => {
    expect(buildRequestUrl('http://h/scim/v2/acme/', '/Users', {})).toBe('http://h/scim/v2/acme/Users');
  });
});

describe('loadFixture', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'idp-fixtures-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const load = (fixture: unknown): LoadedFixture => {
    writeFileSync(join(directory, 'f.json'), JSON.stringify(fixture));
    return loadFixture(directory, 'f.json');
  };
  const valid = { description: 'd', request: { method: 'GET', path: '/Users' }, expect: { status: 200 } };

  it('reads every shipped fixture', () => {
    const files = findFixtureFiles(SHIPPED_FIXTURES);
    expect(files).toContain('okta/08-unauthorized.json');
    expect(files.filter((file) => !/^(entra|okta)\/[\w-]+\.json$/.test(file))).toEqual([]);
    for (const file of files) expect(loadFixture(SHIPPED_FIXTURES, file).name).toBe(file);
  });

  it.each([
    ['an unknown key', { ...valid, expected: { status: 200 } }, 'the fixture has unknown key(s) expected'],
    [
      'a documented placeholder nobody binds',
      { ...valid, request: { method: 'GET', path: '/Groups/{groupId}' } },
      'request uses {groupId}',
    ],
    [
      'a placeholder used before its given entry',
      {
        ...valid,
        given: [
          { bind: '{groupId}', create: '/Groups', body: { members: [{ value: '{userId1}' }] } },
          { bind: '{userId1}', create: '/Users', body: {} },
        ],
      },
      'given[0] uses {userId1}',
    ],
    [
      'a query next to a pre-encoded path',
      { ...valid, request: { method: 'GET', path: '/Users?a=b', query: { c: 'd' } } },
      'use one of them',
    ],
    ['a status that is not a number', { ...valid, expect: { status: '200' } }, 'expect.status must be an integer'],
    ['an absent entry that is not a key path', { ...valid, expect: { status: 200, absent: ['members'] } }, 'expect.absent must be a list'],
    ['a rebound {token}', { ...valid, given: [{ bind: '{token}', create: '/Users', body: {} }] }, 'must not rebind {token}'],
  ])('rejects %s', (_, fixture, message) => {
    expect(() => load(fixture)).toThrow(FixtureFormatError);
    expect(() => load(fixture)).toThrow(message);
  });

  it('accepts a placeholder name the README does not list once a given entry binds it', () => {
    expect(() =>
      load({ ...valid, given: [{ bind: '{userId4}', create: '/Users', body: {} }], request: { method: 'GET', path: '/Users/{userId4}' } }),
    ).not.toThrow();
  });
});
