import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import type { OrgRef } from '../auth/org-ref';
import { ScimAuthenticated, Tenant } from '../auth/scim-bearer.guard';
import { ScimError } from '../protocol/errors/scim-error';
import {
  CURSOR_TIMEOUT_SECONDS,
  OAUTH_BEARER_TOKEN_SCHEME,
  SCIM_PAGING,
  listResponse,
  resourceTypeDocuments,
  schemaDocuments,
  serviceProviderConfig,
  type ResourceTypeDocument,
  type SchemaDocument,
} from '../protocol/messages';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../protocol/schema';
import { ScimUsersService } from '../users/scim-users.service';
import { ScimExceptionFilter } from './scim-exception.filter';

/** The resource types served today. Discovery describes exactly these (trap T44/T45). */
const SERVED_RESOURCE_TYPES = [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE];
const SERVED_SCHEMAS = new Set(SERVED_RESOURCE_TYPES.flatMap((type) => type.schemas.map((schema) => schema.id)));

/** RFC 7644 §4: what this server supports, generated from the attribute registry. */
@Controller('scim/v2/:organisation')
@ScimAuthenticated()
@UseFilters(ScimExceptionFilter)
export class ScimDiscoveryController {
  constructor(private readonly users: ScimUsersService) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Tenant() org: OrgRef) {
    return serviceProviderConfig(this.users.baseUrl(org), {
      patchSupported: true,
      bulk: false,
      filterMaxResults: SCIM_PAGING.maxCount,
      sortSupported: true,
      etagSupported: true,
      changePasswordSupported: false,
      authenticationSchemes: [OAUTH_BEARER_TOKEN_SCHEME],
      pagination: {
        cursor: true,
        defaultPageSize: SCIM_PAGING.defaultCount,
        maxPageSize: SCIM_PAGING.maxCount,
        cursorTimeout: CURSOR_TIMEOUT_SECONDS,
      },
    });
  }

  @Get('Schemas')
  schemas(@Tenant() org: OrgRef) {
    const schemas = this.servedSchemas(org);
    return listResponse(schemas, { totalResults: schemas.length, startIndex: 1 });
  }

  @Get('Schemas/:id')
  schema(@Tenant() org: OrgRef, @Param('id') id: string): SchemaDocument {
    const schema = this.servedSchemas(org).find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
    if (!schema) throw ScimError.notFound(`Schema ${JSON.stringify(id)} not found.`);
    return schema;
  }

  @Get('ResourceTypes')
  resourceTypes(@Tenant() org: OrgRef) {
    const types = this.servedResourceTypes(org);
    return listResponse(types, { totalResults: types.length, startIndex: 1 });
  }

  @Get('ResourceTypes/:id')
  resourceType(@Tenant() org: OrgRef, @Param('id') id: string): ResourceTypeDocument {
    const type = this.servedResourceTypes(org).find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
    if (!type) throw ScimError.notFound(`ResourceType ${JSON.stringify(id)} not found.`);
    return type;
  }

  private servedSchemas(org: OrgRef): SchemaDocument[] {
    return schemaDocuments(this.users.baseUrl(org)).filter((schema) => SERVED_SCHEMAS.has(schema.id));
  }

  private servedResourceTypes(org: OrgRef): ResourceTypeDocument[] {
    const served = new Set(SERVED_RESOURCE_TYPES.map((type) => type.name));
    return resourceTypeDocuments(this.users.baseUrl(org)).filter((type) => served.has(type.id));
  }
}
