import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { OrgRef } from './org-ref';

/**
 * Rate limit per organisation, not per IP address: Entra calls from many addresses, and one
 * organisation's provisioning must not slow another's. Runs after ScimBearerGuard, so the key is
 * the authenticated organisation. The counters live in this instance's memory (README).
 */
@Injectable()
export class ScimThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return (request.user as OrgRef).id;
  }
}
