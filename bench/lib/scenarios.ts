/**
 * The scenarios on users that both `npm run bench` (run.ts) and `npm run bench:compare` (compare.ts) measure: the same
 * requests, checked the same way, so that a comparison of two builds measures what the benchmark reports.
 */
import { benchExternalId, benchUser, benchUserName, ENTERPRISE_SCHEMA, PATCH_SCHEMA } from './entra-users';
import { resourceCountOf, totalResultsOf, type Scenario, type ScenarioRequest } from './load';

/** Users a page holds. */
export const PAGE = 100;

export const random = (below: number) => Math.floor(Math.random() * below);
const filterPath = (tenant: string, filter: string) => `${tenant}/Users?filter=${encodeURIComponent(filter)}`;

/** What every run measures first: the bare stack, whose requests a second the others are compared with. */
export const baselineScenario = (): Scenario => ({ name: 'baseline GET /health', requests: [{ build: () => ({ path: '/health' }) }] });

/**
 * The SCIM pipeline alone (token check, rate limit, response middleware, request log, SCIM JSON) with no user read: how
 * much of a lookup's cost is the route rather than the lookup.
 */
export const scimFloorScenario = (tenant: string): Scenario => ({
  name: 'SCIM floor: GET ServiceProviderConfig',
  requests: [{ build: () => ({ path: `${tenant}/ServiceProviderConfig` }) }],
});

/**
 * Half the lookups name an existing user (bench user 0 to size - 1), half one that does not exist (from `missingFrom`
 * on, past any other users seeded); each answer must say which.
 */
export function lookupScenario(
  name: string,
  tenant: string,
  size: number,
  attribute: 'userName' | 'externalId',
  missingFrom = size,
): Scenario {
  return {
    name,
    requests: [
      {
        build: (context) => {
          const exists = Math.random() < 0.5;
          const index = exists ? random(size) : missingFrom + random(size * 10);
          context.expected = exists ? 1 : 0;
          const value = attribute === 'userName' ? benchUserName(index) : benchExternalId(index);
          return { path: filterPath(tenant, `${attribute} eq "${value}"`) };
        },
        check: (body, context) => {
          const total = totalResultsOf(body);
          return total === context.expected ? undefined : `${attribute} lookup found ${total} users, expected ${String(context.expected)}`;
        },
      },
    ],
  };
}

export function pageScenario(name: string, path: string, expected = PAGE): Scenario {
  return { name, requests: [{ build: () => ({ path }), check: checkPage(expected) }] };
}

export function checkPage(expected: number): ScenarioRequest['check'] {
  return (body) => {
    const count = resourceCountOf(body);
    return count === expected ? undefined : `page held ${count} users, expected ${expected}`;
  };
}

export function postScenario(tenant: string, size: number): Scenario {
  let next = 0;
  return {
    name: 'POST /Users (Entra body)',
    requests: [{ method: 'POST', build: () => ({ path: `${tenant}/Users`, body: benchUser(next++, `new${size}-`).body }) }],
  };
}

/** Entra's PATCH for changed attributes (fixtures 08, q13): capitalised ops, a filtered email path, an enterprise URN path. */
export function patchScenario(tenant: string, ids: readonly string[]): Scenario {
  return {
    name: 'PATCH /Users/{id} replace (Entra)',
    requests: [
      {
        method: 'PATCH',
        build: () => {
          const stamp = random(1e9);
          return {
            path: `${tenant}/Users/${ids[random(ids.length)]}`,
            body: {
              schemas: [PATCH_SCHEMA],
              Operations: [
                { op: 'Replace', path: 'name.familyName', value: `Family${stamp}` },
                { op: 'Replace', path: `${ENTERPRISE_SCHEMA}:department`, value: `Department ${stamp % 50}` },
                { op: 'Replace', path: 'title', value: `Title ${stamp}` },
              ],
            },
          };
        },
      },
    ],
  };
}

export function putScenario(tenant: string, ids: readonly string[]): Scenario {
  return {
    name: 'PUT /Users/{id}',
    requests: [
      {
        method: 'PUT',
        build: () => {
          const index = random(ids.length);
          // ids[i] was seeded from benchUser(i), so the body keeps its userName and externalId.
          return { path: `${tenant}/Users/${ids[index]}`, body: { ...benchUser(index).body, title: `Title ${random(1e9)}` } };
        },
      },
    ],
  };
}
