import { normaliseKey } from '../../common/normalise';
import type { Team } from '../../teams/team.entity';
import { ScimError } from '../protocol/errors/scim-error';
import { projectResource, type Projection } from '../protocol/messages';
import type { CanonicalResource } from '../protocol/resource/read-resource';
import { GROUP_RESOURCE_TYPE, GROUP_SCHEMA_URN } from '../protocol/schema';
import { weakEtag } from '../protocol/messages';

/** One membership as SCIM shows it: the member's user id and display name. */
export interface ScimGroupMember {
  readonly userId: string;
  readonly displayName: string | null;
}

/**
 * A team as SCIM shows it. `members` is absent when they were not loaded (`excludedAttributes=members`, trap T22),
 * and may hold only some of them inside a PATCH (see member-scope.ts).
 */
export interface ScimGroupRecord {
  readonly team: Team;
  readonly members?: readonly ScimGroupMember[];
}

/** The team columns SCIM owns. Members are written as row deltas, never as part of this. */
export interface ScimGroupWrite {
  readonly name: string;
  readonly nameNormalized: string;
  readonly externalId: string | null;
}

type Json = Record<string, unknown>;

const MEMBERS = GROUP_RESOURCE_TYPE.resolve('members');

/** A canonical SCIM Group (see read-resource.ts) as team columns; an absent externalId is cleared (PUT replaces). */
export function scimGroupWrite(resource: CanonicalResource): ScimGroupWrite {
  // displayName is required, so readResource and applyPatch never hand over a resource without one.
  const name = typeof resource.displayName === 'string' ? resource.displayName : '';
  return {
    name,
    nameNormalized: normaliseKey(name),
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
  };
}

/** The member ids of a canonical Group, each once, in the order given; every member needs one, as in PATCH. */
export function memberIdsOf(resource: CanonicalResource): string[] {
  const members: unknown[] = Array.isArray(resource.members) ? resource.members : [];
  const ids = members.map((member) => (isObject(member) ? member.value : undefined));
  if (!ids.every((id) => typeof id === 'string')) {
    throw ScimError.invalidValue('Every element of members needs a "value": the id of a user of this organisation.');
  }
  return [...new Set(ids)];
}

/**
 * Whether a PUT body says anything about members. A PUT without them keeps the members (a rename must never empty
 * a group, guide §2.8); `"members": []` or `null` empties it. readResource cannot tell: it drops both.
 */
export function namesMembers(body: unknown): boolean {
  return (
    isObject(body) && Object.keys(body).some((key) => MEMBERS !== undefined && GROUP_RESOURCE_TYPE.resolve(key)?.path === MEMBERS.path)
  );
}

/** Whether a response shaped by this projection shows members, by the projection's own rules: only then are they loaded. */
export function includesMembers(projection: Projection): boolean {
  return projectResource({ members: [{ value: 'probe' }] }, GROUP_RESOURCE_TYPE, projection).members !== undefined;
}

/** The full SCIM Group for a stored team, under the tenant URL `tenantBaseUrl`: what GET returns before projection. */
export function toScimGroup(record: ScimGroupRecord, tenantBaseUrl: string): Json {
  const { team } = record;
  const members = (record.members ?? []).map((member) => ({
    value: member.userId,
    ...(member.displayName === null ? {} : { display: member.displayName }),
    $ref: `${tenantBaseUrl}/Users/${member.userId}`,
    type: 'User',
  }));
  return {
    schemas: [GROUP_SCHEMA_URN],
    id: team.id,
    ...(team.externalId === null ? {} : { externalId: team.externalId }),
    displayName: team.name,
    ...(members.length === 0 ? {} : { members }),
    meta: {
      resourceType: 'Group',
      created: team.createdAt.toISOString(),
      lastModified: team.updatedAt.toISOString(),
      location: `${tenantBaseUrl}/Groups/${team.id}`,
      version: weakEtag(team.version),
    },
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
