import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import type { OrgRef } from '../auth/org-ref';
import { ProvisioningLogService } from '../audit/provisioning-log.service';
import { ScimRequestLogService } from '../audit/scim-request-log.service';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every authenticated SCIM call once the response has gone out, whatever its status:
 * `finish` fires after the exception filter too. A refused write also goes to the provisioning
 * log as `rejected`, with the detail the identity provider was given (searches that find nothing
 * are normal traffic, not failures). Calls that fail authentication have no organisation to
 * record them under.
 */
@Injectable()
export class ScimRequestLogInterceptor implements NestInterceptor {
  constructor(
    private readonly log: ScimRequestLogService,
    private readonly provisioningLog: ProvisioningLogService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { user?: OrgRef }>();
    const response = context.switchToHttp().getResponse<Response>();
    const started = process.hrtime.bigint();
    const organisation = request.user;
    if (organisation) {
      response.once('finish', () => {
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
        void this.log.record({
          organisationId: organisation.id,
          method: request.method,
          path: request.originalUrl,
          status: response.statusCode,
          durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
          resourceId,
        });
      });
    }
    return next.handle();
  }
}
