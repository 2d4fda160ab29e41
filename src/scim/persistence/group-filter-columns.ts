import { GROUP_RESOURCE_TYPE } from '../protocol/schema';
import { defineFilterMap, nullableColumn, requiredColumn } from './filter-map';

/**
 * Where each filterable Group attribute lives: the `teams` row and its `team_members` rows (src/teams/team.entity.ts).
 * A member is filterable by its id only (`members.value`, `members[value eq "…"]`), an EXISTS on the membership's
 * primary key; `members.display`, `members.type`, `meta.version` and anything else not listed here is refused with
 * 400 invalidFilter.
 */
export const GROUP_FILTER_MAP = defineFilterMap({
  resourceType: GROUP_RESOURCE_TYPE,
  idColumn: 'id',
  defaultSortBy: 'meta.created',
  attributes: {
    id: { kind: 'column', column: requiredColumn('id') },
    externalId: { kind: 'column', column: nullableColumn('externalId') },
    meta: {
      kind: 'complex',
      subAttributes: { created: requiredColumn('createdAt'), lastModified: requiredColumn('updatedAt') },
    },
    // Unique per organisation regardless of case, through the same lower-cased column that enforces it.
    displayName: { kind: 'column', column: requiredColumn('name', { normalizedColumn: 'nameNormalized' }) },
    members: {
      kind: 'multiValued',
      table: { table: 'team_members', parentColumn: 'teamId', alias: 'member' },
      subAttributes: { value: requiredColumn('userId') },
    },
  },
});
