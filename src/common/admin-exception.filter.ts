import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isScimRequest, ScimExceptionFilter } from '../scim/http/scim-exception.filter';
import { isDatabaseUnavailable } from '../database/db-errors';
import { assertNever, DomainError, DomainErrorCode } from './domain-error';

/** The admin API's error body: always JSON with a stable machine-readable `code`. */
export interface AdminErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export function adminStatusFor(code: DomainErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
      return HttpStatus.BAD_REQUEST;
    case 'INVALID_CREDENTIALS':
      return HttpStatus.UNAUTHORIZED;
    case 'TOO_MANY_LOGIN_ATTEMPTS':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'FORBIDDEN':
    case 'BOOKING_NOT_PERMITTED':
      return HttpStatus.FORBIDDEN;
    case 'ORGANISATION_NOT_FOUND':
    case 'USER_NOT_FOUND':
    case 'TEAM_NOT_FOUND':
    case 'RESOURCE_NOT_FOUND':
    case 'BOOKING_NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'ORGANISATION_SLUG_TAKEN':
    case 'USER_NAME_TAKEN':
    case 'USER_INACTIVE':
    case 'USER_MANAGED_BY_SCIM':
    case 'TEAM_MANAGED_BY_SCIM':
    case 'TEAM_NAME_TAKEN':
    case 'RESOURCE_NAME_TAKEN':
    case 'BOOKING_OVERLAP':
    case 'BOOKING_ALREADY_CANCELLED':
    case 'SCIM_ALREADY_ENABLED':
    case 'SCIM_NOT_ENABLED':
      return HttpStatus.CONFLICT;
    default:
      return assertNever(code);
  }
}

/** Codes for what the HTTP layer itself rejects before any service runs. */
function codeForHttpException(status: number, exception: HttpException): string {
  const type = (exception.getResponse() as { type?: string } | undefined)?.type;
  if (status === HttpStatus.BAD_REQUEST && /JSON/i.test(exception.message)) return 'MALFORMED_JSON';
  switch (status) {
    case HttpStatus.BAD_REQUEST:
      return type === 'encoding.unsupported' ? 'UNSUPPORTED_ENCODING' : 'BAD_REQUEST';
    case HttpStatus.UNAUTHORIZED:
      return 'UNAUTHENTICATED';
    case HttpStatus.FORBIDDEN:
      return 'FORBIDDEN';
    case HttpStatus.NOT_FOUND:
      return 'NOT_FOUND';
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return 'PAYLOAD_TOO_LARGE';
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case HttpStatus.SERVICE_UNAVAILABLE:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'HTTP_ERROR';
  }
}

/**
 * Maps everything thrown in the admin API (and any route without a filter of its own) to
 * `{statusCode, code, message}`. Unknown errors are logged in full and answered 500 with a generic
 * message: never a stack trace, never a driver message.
 */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  private readonly scim = new ScimExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    // Errors raised before a SCIM controller is chosen (malformed JSON, body too large, unknown
    // SCIM route) reach this global filter; SCIM clients still get SCIM error bodies.
    if (isScimRequest(host.switchToHttp().getRequest<Request>())) return this.scim.catch(exception, host);
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', 'Bearer');
    // A 503 here means the database is away; clients and load balancers should come back soon.
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '5');
    const retryAfterSeconds = body.details?.retryAfterSeconds;
    if (body.statusCode === HttpStatus.TOO_MANY_REQUESTS && typeof retryAfterSeconds === 'number') {
      response.setHeader('Retry-After', String(retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): AdminErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = adminStatusFor(exception.code);
      return { statusCode, code: exception.code, message: exception.message, ...(exception.details && { details: exception.details }) };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      if (statusCode >= 500) this.logger.error(exception.message, exception.stack);
      const code = codeForHttpException(statusCode, exception);
      const message =
        statusCode >= 500
          ? 'Internal server error'
          : code === 'MALFORMED_JSON'
            ? 'Request body must be a well-formed JSON object'
            : httpExceptionMessage(exception);
      return { statusCode, code, message };
    }
    // body-parser errors reach us as plain errors carrying an HTTP status.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return this.toBody(new HttpException((exception as Error).message, status));
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      return { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable; retry shortly' };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' };
  }
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'object' && response && 'message' in response) {
    const message = (response as { message: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return exception.message;
}
