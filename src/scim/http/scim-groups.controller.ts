import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, UseFilters } from '@nestjs/common';
import type { OrgRef } from '../auth/org-ref';
import { ScimAuthenticated, Tenant } from '../auth/scim-bearer.guard';
import { ScimGroupsService } from '../groups/scim-groups.service';
import { parseProjection } from '../protocol/messages';
import { ScimExceptionFilter } from './scim-exception.filter';

type Parameters = Record<string, unknown>;

@Controller('scim/v2/:organisation/Groups')
@ScimAuthenticated()
@UseFilters(ScimExceptionFilter)
export class ScimGroupsController {
  constructor(private readonly groups: ScimGroupsService) {}

  @Get()
  list(@Tenant() org: OrgRef, @Query() query: Parameters) {
    return this.groups.list(org, query);
  }

  @Post('.search')
  @HttpCode(200)
  search(@Tenant() org: OrgRef, @Body() body: Parameters) {
    return this.groups.list(org, body ?? {});
  }

  @Get(':id')
  get(@Tenant() org: OrgRef, @Param('id') id: string, @Query() query: Parameters) {
    return this.groups.get(org, id, parseProjection(query));
  }

  @Post()
  create(@Tenant() org: OrgRef, @Body() body: unknown, @Query() query: Parameters) {
    return this.groups.create(org, body, parseProjection(query));
  }

  @Put(':id')
  replace(
    @Tenant() org: OrgRef,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Query() query: Parameters,
  ) {
    return this.groups.replace(org, id, body, ifMatch, parseProjection(query));
  }

  @Patch(':id')
  patch(
    @Tenant() org: OrgRef,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Query() query: Parameters,
  ) {
    return this.groups.patch(org, id, body, ifMatch, parseProjection(query));
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Tenant() org: OrgRef, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    return this.groups.delete(org, id, ifMatch);
  }
}
