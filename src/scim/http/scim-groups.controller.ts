import {
  Body,
  CallHandler,
  Controller,
  Delete,
  ExecutionContext,
  Get,
  Headers,
  HttpCode,
  Injectable,
  NestInterceptor,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import type { OrgRef } from '../auth/org-ref';
import { ScimAuthenticated, Tenant } from '../auth/scim-bearer.guard';
import { ScimGroupsService, ScimNoContent } from '../groups/scim-groups.service';
import { parseProjection } from '../protocol/messages';
import { ScimExceptionFilter } from './scim-exception.filter';
import { ScimRequestLogInterceptor } from './scim-request-log.interceptor';
import { ScimResponseInterceptor } from './scim-response.interceptor';

type Parameters = Record<string, unknown>;

/** A service answer of ScimNoContent becomes 204 without a body, its version still sent as the ETag. */
@Injectable()
export class ScimNoContentInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (!(body instanceof ScimNoContent)) return body;
        response.status(204).setHeader('ETag', body.etag);
        return undefined;
      }),
    );
  }
}

@Controller('scim/v2/:organisation/Groups')
@ScimAuthenticated()
@UseFilters(ScimExceptionFilter)
@UseInterceptors(ScimRequestLogInterceptor, ScimResponseInterceptor)
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
  @UseInterceptors(ScimNoContentInterceptor)
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
