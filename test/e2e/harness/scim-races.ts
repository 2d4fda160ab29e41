import request from 'supertest';
import { User } from '../../../src/users/user.entity';
import type { ScimTenant } from './scim-tenant';
import type { TestApp } from './test-app';

/**
 * Race scenarios an identity provider produces (parallel workers, timeout-retries), written once and run by
 * scim-concurrency.e2e-spec.ts against one app instance and by two-instances.e2e-spec.ts against two instances on one
 * database. Requests are dealt round-robin over the clients, so with two clients every race is split across both.
 */

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Parsed SCIM JSON: the assertions read nested attributes freely, and a wrong guess fails the test. */
type Json = Record<string, any>;

/** One tenant's SCIM client, bound to one app instance. */
export interface ScimClient {
  get(path: string): request.Test;
  post(path: string, body: unknown): request.Test;
  patch(path: string, body: unknown, ifMatch?: string): request.Test;
}

/** The tenant's SCIM client on the app `t`: the same bearer token and tenant URL, another server. */
export function scimClientOn(t: TestApp, tenant: ScimTenant): ScimClient {
  const send = (call: request.Test, body: unknown) =>
    call.set('Content-Type', 'application/scim+json').set('Authorization', `Bearer ${tenant.token}`).send(JSON.stringify(body));
  return {
    get: (path) => t.http().get(`${tenant.base}${path}`).set('Authorization', `Bearer ${tenant.token}`),
    post: (path, body) => send(t.http().post(`${tenant.base}${path}`), body),
    patch: (path, body, ifMatch) => {
      const call = t.http().patch(`${tenant.base}${path}`);
      if (ifMatch !== undefined) call.set('If-Match', ifMatch);
      return send(call, body);
    },
  };
}

export const body = (response: { text: string }): Json => JSON.parse(response.text);

export const patchOf = (...operations: Json[]) => ({ schemas: [PATCH_OP], Operations: operations });

export const newUser = (userName: string, extra: Json = {}) => ({
  schemas: [USER],
  userName,
  active: true,
  displayName: userName.split('@')[0],
  emails: [{ value: userName, type: 'work', primary: true }],
  ...extra,
});

/** Deals `count` requests round-robin over the clients and sends them all at once. */
async function concurrently(clients: readonly ScimClient[], count: number, send: (client: ScimClient, index: number) => request.Test) {
  return Promise.all(Array.from({ length: count }, (_, index) => send(clients[index % clients.length], index).then((r) => r)));
}

const is2xx = (status: number) => status >= 200 && status < 300;

/**
 * A request that lost a race may fail only cleanly: 409 (conflict) or 503 (contention the server gave up retrying),
 * with a SCIM error body, never a 500.
 */
function expectCleanRaceFailure(response: request.Response): void {
  expect([409, 503]).toContain(response.status);
  expect(body(response)).toMatchObject({ schemas: [ERROR], status: String(response.status) });
}

/** What a scenario saw, for the run's figures. */
export interface RaceFigures {
  scenario: string;
  requests: number;
  statuses: Record<string, number>;
}

function figures(scenario: string, responses: readonly request.Response[]): RaceFigures {
  const statuses: Record<string, number> = {};
  for (const { status } of responses) statuses[status] = (statuses[status] ?? 0) + 1;
  return { scenario, requests: responses.length, statuses };
}

/** Rows in the users table holding this userName in any case: the unique index allows one. */
async function usersNamed(t: TestApp, organisationId: string, userName: string): Promise<number> {
  return t.dataSource.getRepository(User).count({ where: { organisationId, userNameNormalized: userName.toLowerCase() } });
}

/**
 * `count` concurrent POSTs of one userName, each spelled as `spell(index)` gives it: exactly one 201, the rest 409
 * uniqueness with a SCIM error body, one row, and the winner is what a filter finds.
 */
export async function raceCreates(
  t: TestApp,
  tenant: ScimTenant,
  clients: readonly ScimClient[],
  scenario: string,
  count: number,
  spell: (index: number) => string,
): Promise<RaceFigures> {
  const responses = await concurrently(clients, count, (client, index) =>
    client.post('/Users', newUser(spell(index), { externalId: `ext-${index}` })),
  );
  const created = responses.filter((response) => response.status === 201);
  expect(created).toHaveLength(1);
  for (const response of responses.filter((r) => r.status !== 201)) {
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(body(response)).toEqual({ schemas: [ERROR], status: '409', scimType: 'uniqueness', detail: expect.any(String) });
  }
  expect(await usersNamed(t, tenant.organisation.id, spell(0))).toBe(1);
  const found = body(await clients[0].get(`/Users?filter=${encodeURIComponent(`userName eq "${spell(0)}"`)}`).expect(200));
  expect(found.totalResults).toBe(1);
  expect(found.Resources[0].id).toBe(body(created[0]).id);
  return figures(scenario, responses);
}

/**
 * An IdP whose POST timed out sends it again (possibly to another instance): the repeat is a clean 409 uniqueness,
 * and the IdP's follow-up `GET /Users?filter=userName eq "…"` finds the user the first POST created.
 */
export async function duplicateCreateAfterRetry(t: TestApp, tenant: ScimTenant, clients: readonly ScimClient[], userName: string) {
  const first = await clients[0].post('/Users', newUser(userName)).expect(201);
  const retry = await clients[clients.length - 1].post('/Users', newUser(userName)).expect(409);
  expect(body(retry)).toEqual({ schemas: [ERROR], status: '409', scimType: 'uniqueness', detail: expect.stringContaining(userName) });
  for (const client of clients) {
    const found = body(await client.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`).expect(200));
    expect(found).toMatchObject({ totalResults: 1, Resources: [{ id: body(first).id, userName }] });
  }
  expect(await usersNamed(t, tenant.organisation.id, userName)).toBe(1);
}

/** Attributes a PATCH can replace independently of each other, and how to read them back. */
const REPLACEABLE: ReadonlyArray<{ path: string; read: (user: Json) => unknown }> = [
  { path: 'title', read: (user) => user.title },
  { path: 'nickName', read: (user) => user.nickName },
  { path: 'userType', read: (user) => user.userType },
  { path: 'displayName', read: (user) => user.displayName },
  { path: `${ENTERPRISE}:department`, read: (user) => user[ENTERPRISE]?.department },
  { path: `${ENTERPRISE}:costCenter`, read: (user) => user[ENTERPRISE]?.costCenter },
  { path: `${ENTERPRISE}:division`, read: (user) => user[ENTERPRISE]?.division },
  { path: `${ENTERPRISE}:organization`, read: (user) => user[ENTERPRISE]?.organization },
];

/**
 * `count` concurrent PATCHes of one user, each a different change: adding its own email, adding its own phone
 * number, or replacing its own attribute. Every PATCH answered 2xx must be in the final user (no lost update).
 */
export async function racePatchesOfOneUser(clients: readonly ScimClient[], scenario: string, userName: string, count = 20) {
  const created = body(await clients[0].post('/Users', newUser(userName)).expect(201));
  const operationOf = (index: number): { operation: Json; holds: (user: Json) => boolean } => {
    const tag = `${scenario.replace(/\W+/g, '-')}-${index}`;
    switch (index % 3) {
      case 0: {
        const value = `${tag}@mail.test`;
        return {
          operation: { op: 'add', path: 'emails', value: [{ value, type: 'other' }] },
          holds: (user) => (user.emails ?? []).some((email: Json) => email.value === value),
        };
      }
      case 1: {
        const value = `+44 20 7946 ${String(index).padStart(4, '0')}`;
        return {
          operation: { op: 'add', path: 'phoneNumbers', value: [{ value, type: 'other' }] },
          holds: (user) => (user.phoneNumbers ?? []).some((phone: Json) => phone.value === value),
        };
      }
      default: {
        const attribute = REPLACEABLE[Math.floor(index / 3) % REPLACEABLE.length];
        return { operation: { op: 'replace', path: attribute.path, value: tag }, holds: (user) => attribute.read(user) === tag };
      }
    }
  };
  const plan = Array.from({ length: count }, (_, index) => operationOf(index));
  const responses = await concurrently(clients, count, (client, index) =>
    client.patch(`/Users/${created.id}`, patchOf(plan[index].operation)),
  );
  const final = body(await clients[0].get(`/Users/${created.id}`).expect(200));
  responses.forEach((response, index) => {
    if (is2xx(response.status))
      expect({ index, operation: plan[index].operation, holds: plan[index].holds(final) }).toMatchObject({ holds: true });
    else expectCleanRaceFailure(response);
  });
  // Most of the race must succeed, or the test would prove little: the server retries contention itself.
  expect(responses.filter((response) => is2xx(response.status)).length).toBeGreaterThanOrEqual(count - 2);
  return figures(scenario, responses);
}

async function createUsers(clients: readonly ScimClient[], prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    ids.push(body(await clients[index % clients.length].post('/Users', newUser(`${prefix}-${index}@members.test`)).expect(201)).id);
  }
  return ids;
}

async function memberIdsOf(client: ScimClient, groupId: string): Promise<string[]> {
  const group = body(await client.get(`/Groups/${groupId}`).expect(200));
  return ((group.members ?? []) as Json[]).map((member) => member.value as string).sort();
}

/**
 * Concurrent member PATCHes of one group: `count` adds of different users at once, then a mixed round removing the
 * first half while adding others. The final membership is exactly what the 2xx answers said.
 */
export async function raceGroupMembers(clients: readonly ScimClient[], scenario: string, count = 20) {
  const prefix = scenario.replace(/\W+/g, '-');
  const group = body(await clients[0].post('/Groups', { schemas: [GROUP], displayName: `${prefix} group` }).expect(201));
  const users = await createUsers(clients, prefix, count + count / 2);
  const [firstWave, secondWave] = [users.slice(0, count), users.slice(count)];
  const addOf = (id: string) => patchOf({ op: 'add', path: 'members', value: [{ value: id }] });
  const removeOf = (id: string) => patchOf({ op: 'remove', path: `members[value eq "${id}"]` });

  const adds = await concurrently(clients, count, (client, index) => client.patch(`/Groups/${group.id}`, addOf(firstWave[index])));
  adds.forEach((response) => (is2xx(response.status) ? expect(response.status).toBe(204) : expectCleanRaceFailure(response)));
  const expected = new Set(firstWave.filter((_, index) => is2xx(adds[index].status)));
  expect(await memberIdsOf(clients[0], group.id)).toEqual([...expected].sort());

  // Mixed: remove the first half of the first wave while the second wave is added, all at once.
  const removed = firstWave.slice(0, count / 2);
  const mixed = [
    ...removed.map((id) => ({ id, body: removeOf(id), add: false })),
    ...secondWave.map((id) => ({ id, body: addOf(id), add: true })),
  ];
  const mixedResponses = await concurrently(clients, mixed.length, (client, index) =>
    client.patch(`/Groups/${group.id}`, mixed[index].body),
  );
  mixedResponses.forEach((response, index) => {
    if (!is2xx(response.status)) return expectCleanRaceFailure(response);
    expect(response.status).toBe(204);
    if (mixed[index].add) expected.add(mixed[index].id);
    else expected.delete(mixed[index].id);
  });
  for (const client of clients) expect(await memberIdsOf(client, group.id)).toEqual([...expected].sort());
  const succeeded = [...adds, ...mixedResponses].filter((response) => is2xx(response.status)).length;
  expect(succeeded).toBeGreaterThanOrEqual(adds.length + mixedResponses.length - 2);
  return figures(scenario, [...adds, ...mixedResponses]);
}

/**
 * Concurrent PATCHes that all carry the same If-Match version, on a user and on a group: exactly one wins, the
 * rest get 412 with a SCIM error body, and the resource holds the winner's change only.
 */
export async function raceIfMatch(clients: readonly ScimClient[], scenario: string, count = 10) {
  const prefix = scenario.replace(/\W+/g, '-');
  const user = await clients[0].post('/Users', newUser(`${prefix}@if-match.test`)).expect(201);
  const userResponses = await concurrently(clients, count, (client, index) =>
    client.patch(`/Users/${body(user).id}`, patchOf({ op: 'replace', path: 'title', value: `title ${index}` }), user.headers.etag),
  );
  const group = await clients[0].post('/Groups', { schemas: [GROUP], displayName: `${prefix} group` }).expect(201);
  const groupResponses = await concurrently(clients, count, (client, index) =>
    client.patch(
      `/Groups/${body(group).id}`,
      patchOf({ op: 'replace', path: 'displayName', value: `${prefix} group ${index}` }),
      group.headers.etag,
    ),
  );

  for (const [responses, read, valueOf] of [
    [userResponses, () => clients[0].get(`/Users/${body(user).id}`), (resource: Json) => resource.title],
    [groupResponses, () => clients[0].get(`/Groups/${body(group).id}`), (resource: Json) => resource.displayName],
  ] as const) {
    const winners = responses.map((response, index) => ({ response, index })).filter(({ response }) => is2xx(response.status));
    expect(winners).toHaveLength(1);
    for (const response of responses.filter((r) => !is2xx(r.status))) {
      expect(response.status).toBe(412);
      expect(body(response)).toMatchObject({ schemas: [ERROR], status: '412' });
    }
    const final = body(await read().expect(200));
    expect(valueOf(final)).toMatch(new RegExp(` ${winners[0].index}$`));
    expect(final.meta.version).not.toBe(responses === userResponses ? user.headers.etag : group.headers.etag);
  }
  return figures(scenario, [...userResponses, ...groupResponses]);
}
