import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../common/domain-error';
import type { Actor } from './actor';
import { ADMIN_BEARER_STRATEGY } from './admin-bearer.strategy';

export const REQUIRED_ROLE = 'requiredRole';

/** Authenticates the admin API's bearer token (see AdminBearerStrategy); 401 without a valid one. */
@Injectable()
export class AdminBearerGuard extends AuthGuard(ADMIN_BEARER_STRATEGY) {}

@Injectable()
export class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
    const actor = context.switchToHttp().getRequest<{ user: Actor }>().user;
    if (required && actor.role !== required) throw new DomainError('FORBIDDEN', `this needs the ${required} role`);
    return true;
  }
}
