import { applyDecorators, createParamDecorator, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { OrgRef } from './org-ref';
import { SCIM_BEARER_STRATEGY } from './scim-bearer.strategy';
import { ScimThrottlerGuard } from './scim-throttler.guard';

/** 401 (as a SCIM error, by ScimExceptionFilter) unless the token opens the URL's organisation. */
@Injectable()
export class ScimBearerGuard extends AuthGuard(SCIM_BEARER_STRATEGY) {}

/** The organisation the SCIM request acts for. */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): OrgRef => {
  return context.switchToHttp().getRequest<{ user: OrgRef }>().user;
});

/** Every SCIM route: the organisation's bearer token, then its rate limit. */
export const ScimAuthenticated = () => applyDecorators(UseGuards(ScimBearerGuard, ScimThrottlerGuard));
