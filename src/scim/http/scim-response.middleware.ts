import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { OrgRef } from '../auth/org-ref';
import { ProvisioningLogService } from '../audit/provisioning-log.service';
import { ScimRequestLogService } from '../audit/scim-request-log.service';
import { ScimNoContent } from '../groups/scim-groups.service';
import { SCIM_CONTENT_TYPE } from './scim-exception.filter';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface ResourceMeta {
  meta?: { version?: unknown; location?: unknown };
}

/**
 * What every SCIM route's response carries, and the record of every authenticated call.
 *
 * This is Express middleware, not Nest interceptors, because every Nest interceptor wraps the
 * handler in rxjs and an `AsyncResource.bind` (which builds two deprecation wrappers per call in
 * Node 20): the three interceptors this replaced cost a lookup or a POST 3-6 % of its server CPU
 * (README, Performance). The same hooks exist on Express's own response: `json()`, which Nest
 * calls with the handler's result, and the `finish` event. configureApp mounts it on the SCIM path
 * prefix, as one layer: registered through Nest's MiddlewareConsumer it would add a route beside
 * each controller route, and the tenant-isolation test checks every route.
 *
 * - Every SCIM response is application/scim+json (the SCIM Validator rejects application/json),
 *   set before the handler runs: express only adds application/json when no type is set yet.
 * - A resource carries its version as ETag, and a created one its location as Location.
 * - A client that sends `Prefer: return=minimal` (RFC 7240) on PUT or PATCH gets 204 without the
 *   resource; a service answer of ScimNoContent is a 204 with its version as the ETag.
 * - Once the response has gone out, whatever its status (`finish` fires after the exception
 *   filter too), the call goes to the SCIM request log, and a refused write also goes to the
 *   provisioning log as `rejected`, with the detail the identity provider was given (searches
 *   that find nothing are normal traffic, not failures). Calls that fail authentication have no
 *   organisation to record them under, and calls refused by the rate limit are not recorded
 *   either: a runaway client must not fill the log at the rate it is refused.
 */
@Injectable()
export class ScimResponseMiddleware implements NestMiddleware {
  constructor(
    private readonly requestLog: ScimRequestLogService,
    private readonly provisioningLog: ProvisioningLogService,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.setHeader('Content-Type', SCIM_CONTENT_TYPE);
    const minimal = (request.method === 'PATCH' || request.method === 'PUT') && /\breturn=minimal\b/i.test(request.get('Prefer') ?? '');
    const json = response.json;
    response.json = (body: unknown) => json.call(response, this.decorate(response, body, minimal));
    response.once('finish', () => this.record(request, response, started));
    next();
  }

  /** Sets the headers a successful answer carries, and returns the body to send (undefined for a 204). */
  private decorate(response: Response, body: unknown, minimal: boolean): unknown {
    if (body instanceof ScimNoContent) {
      response.status(204).setHeader('ETag', body.etag);
      return undefined;
    }
    if (response.statusCode >= 300) return body;
    const meta = (body as ResourceMeta | undefined)?.meta;
    if (typeof meta?.version === 'string') response.setHeader('ETag', meta.version);
    if (response.statusCode === 201 && typeof meta?.location === 'string') response.setHeader('Location', meta.location);
    if (!minimal) return body;
    response.status(204);
    return undefined;
  }

  private record(request: Request, response: Response, started: bigint): void {
    // Set by the bearer guard once the token opened the organisation (ScimBearerStrategy).
    const organisation = request.user as OrgRef | undefined;
    if (!organisation || response.statusCode === 429) return;
    const location = response.getHeader('Location');
    const createdId = typeof location === 'string' ? location.split('/').pop() : undefined;
    const resourceId = (typeof request.params.id === 'string' ? request.params.id : createdId) ?? null;
    if (response.statusCode >= 400 && WRITES.has(request.method)) {
      void this.provisioningLog.recordRejected(organisation.id, {
        userId: request.path.includes('/Users') ? resourceId : null,
        userName: null,
        httpStatus: response.statusCode,
        summary: `${request.method} refused: ${String(response.locals.scimErrorDetail ?? 'no detail')}`,
      });
    }
    void this.requestLog.record({
      organisationId: organisation.id,
      method: request.method,
      path: request.originalUrl,
      status: response.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
      resourceId,
    });
  }
}
