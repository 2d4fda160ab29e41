import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { SCIM_CONTENT_TYPE } from './scim-exception.filter';

interface ResourceMeta {
  meta?: { version?: unknown; location?: unknown };
}

/**
 * Every SCIM response is application/scim+json (the SCIM Validator rejects application/json).
 * A resource carries its version as ETag, and a created one its location as Location. A client
 * that sends `Prefer: return=minimal` (RFC 7240) on PUT or PATCH gets 204 without the resource.
 */
@Injectable()
export class ScimResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    // Set before the handler runs: express only adds application/json when no type is set yet.
    response.setHeader('Content-Type', SCIM_CONTENT_TYPE);
    const minimal = (request.method === 'PATCH' || request.method === 'PUT') && /\breturn=minimal\b/i.test(request.get('Prefer') ?? '');
    return next.handle().pipe(
      map((body: unknown) => {
        const meta = (body as ResourceMeta | undefined)?.meta;
        if (typeof meta?.version === 'string') response.setHeader('ETag', meta.version);
        if (response.statusCode === 201 && typeof meta?.location === 'string') response.setHeader('Location', meta.location);
        if (!minimal) return body;
        response.status(204);
        response.removeHeader('Content-Type');
        return undefined;
      }),
    );
  }
}
