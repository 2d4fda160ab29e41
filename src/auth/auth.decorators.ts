import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import type { Actor } from './actor';
import { AdminBearerGuard, RoleGuard, REQUIRED_ROLE } from './admin-bearer.guard';

/** Any signed-in, active user of the organisation. */
export const SignedIn = () => applyDecorators(UseGuards(AdminBearerGuard));

/** Signed-in admins only; other users get 403. */
export const AdminOnly = () => applyDecorators(SetMetadata(REQUIRED_ROLE, 'admin'), UseGuards(AdminBearerGuard, RoleGuard));

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ user: Actor }>().user;
});
