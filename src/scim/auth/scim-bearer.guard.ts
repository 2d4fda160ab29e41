import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { OrgRef } from './org-ref';
import { SCIM_BEARER_STRATEGY } from './scim-bearer.strategy';

/** 401 (as a SCIM error, by ScimExceptionFilter) unless the token opens the URL's organisation. */
@Injectable()
export class ScimBearerGuard extends AuthGuard(SCIM_BEARER_STRATEGY) {}

/** The organisation the SCIM request acts for. */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): OrgRef => {
  return context.switchToHttp().getRequest<{ user: OrgRef }>().user;
});
