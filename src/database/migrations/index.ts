import { InitialSchema1764400000000 } from './1764400000000-initial-schema';
import { ScimCredentials1764500000000 } from './1764500000000-scim-credentials';
import { ScimUserAttributes1764600000000 } from './1764600000000-scim-user-attributes';
import { ScimRequestLog1764700000000 } from './1764700000000-scim-request-log';
import { ProvisioningEvents1764800000000 } from './1764800000000-provisioning-events';
import { ListOrderIndexes1764900000000 } from './1764900000000-list-order-indexes';
import { OrganisationRowCounts1765000000000 } from './1765000000000-organisation-row-counts';
import { RowCountChanges1765100000000 } from './1765100000000-row-count-changes';
import { ExternalIdLookupIndex1765200000000 } from './1765200000000-external-id-lookup-index';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [
  InitialSchema1764400000000,
  ScimCredentials1764500000000,
  ScimUserAttributes1764600000000,
  ScimRequestLog1764700000000,
  ProvisioningEvents1764800000000,
  ListOrderIndexes1764900000000,
  OrganisationRowCounts1765000000000,
  RowCountChanges1765100000000,
  ExternalIdLookupIndex1765200000000,
];
