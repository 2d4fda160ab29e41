import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, UseFilters } from '@nestjs/common';
import type { OrgRef } from '../auth/org-ref';
import { ScimAuthenticated, Tenant } from '../auth/scim-bearer.guard';
import { parseProjection } from '../protocol/messages';
import { ScimUsersService } from '../users/scim-users.service';
import { ScimExceptionFilter } from './scim-exception.filter';

type Parameters = Record<string, unknown>;

@Controller('scim/v2/:organisation/Users')
@ScimAuthenticated()
@UseFilters(ScimExceptionFilter)
export class ScimUsersController {
  constructor(private readonly users: ScimUsersService) {}

  @Get()
  list(@Tenant() org: OrgRef, @Query() query: Parameters) {
    return this.users.list(org, query);
  }

  @Post('.search')
  @HttpCode(200)
  search(@Tenant() org: OrgRef, @Body() body: Parameters) {
    return this.users.list(org, body ?? {});
  }

  @Get(':id')
  get(@Tenant() org: OrgRef, @Param('id') id: string, @Query() query: Parameters) {
    return this.users.get(org, id, parseProjection(query));
  }

  @Post()
  create(@Tenant() org: OrgRef, @Body() body: unknown, @Query() query: Parameters) {
    return this.users.create(org, body, parseProjection(query));
  }

  @Put(':id')
  replace(
    @Tenant() org: OrgRef,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Query() query: Parameters,
  ) {
    return this.users.replace(org, id, body, ifMatch, parseProjection(query));
  }

  @Patch(':id')
  patch(
    @Tenant() org: OrgRef,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Query() query: Parameters,
  ) {
    return this.users.patch(org, id, body, ifMatch, parseProjection(query));
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Tenant() org: OrgRef, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    return this.users.delete(org, id, ifMatch);
  }
}
