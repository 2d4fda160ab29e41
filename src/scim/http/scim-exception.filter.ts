import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { assertNever, DomainError, type DomainErrorCode } from '../../common/domain-error';
import { isDatabaseUnavailable } from '../../database/db-errors';
import { ScimError } from '../protocol/errors/scim-error';
import { scimErrorBody } from '../protocol/messages';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
export const SCIM_PATH_PREFIX = '/scim/';

export const isScimRequest = (request: Request): boolean => request.path.startsWith(SCIM_PATH_PREFIX);

/** The same domain errors the admin API maps to its codes, as SCIM errors. */
export function scimErrorFor(error: DomainError): ScimError {
  const code: DomainErrorCode = error.code;
  switch (code) {
    case 'VALIDATION_FAILED':
      return ScimError.invalidValue(error.message);
    case 'USER_NAME_TAKEN':
    case 'TEAM_NAME_TAKEN':
    case 'RESOURCE_NAME_TAKEN':
    case 'ORGANISATION_SLUG_TAKEN':
      return ScimError.uniqueness(error.message);
    case 'ORGANISATION_NOT_FOUND':
    case 'USER_NOT_FOUND':
    case 'TEAM_NOT_FOUND':
    case 'RESOURCE_NOT_FOUND':
    case 'BOOKING_NOT_FOUND':
      return ScimError.notFound(error.message);
    case 'USER_INACTIVE':
    case 'USER_MANAGED_BY_SCIM':
    case 'TEAM_MANAGED_BY_SCIM':
    case 'BOOKING_OVERLAP':
    case 'BOOKING_ALREADY_CANCELLED':
    case 'SCIM_ALREADY_ENABLED':
    case 'SCIM_NOT_ENABLED':
      return new ScimError({ status: 409 }, error.message);
    case 'FORBIDDEN':
    case 'BOOKING_NOT_PERMITTED':
      return new ScimError({ status: 403 }, error.message);
    case 'INVALID_CREDENTIALS':
      return new ScimError({ status: 401 }, error.message);
    case 'TOO_MANY_LOGIN_ATTEMPTS':
      return new ScimError({ status: 429 }, error.message);
    default:
      return assertNever(code);
  }
}

/**
 * Every failure on a SCIM route as a SCIM Error body (`status` as a string, `scimType` where one
 * applies), always `application/scim+json`. Unknown errors are logged in full and answered 500
 * with a generic detail: never 404 (Entra would create duplicates, trap T38), never internals.
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Scim');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toScimError(exception);
    if (error.status === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', 'Bearer realm="SCIM"');
    if (error.status === HttpStatus.SERVICE_UNAVAILABLE || error.status === HttpStatus.TOO_MANY_REQUESTS) {
      if (!response.getHeader('Retry-After')) response.setHeader('Retry-After', '5');
    }
    // For the provisioning log, which records refused writes with the reason the client was given.
    response.locals.scimErrorDetail = error.detail;
    response
      .status(error.status)
      .setHeader('Content-Type', SCIM_CONTENT_TYPE)
      .send(JSON.stringify(scimErrorBody(error)));
  }

  private toScimError(exception: unknown): ScimError {
    if (exception instanceof ScimError) return exception;
    if (exception instanceof DomainError) return scimErrorFor(exception);
    const status = exception instanceof HttpException ? exception.getStatus() : (exception as { status?: unknown })?.status;
    const type = (exception as { type?: unknown })?.type;
    switch (status) {
      case HttpStatus.BAD_REQUEST:
        // body-parser reports malformed JSON as entity.parse.failed.
        return ScimError.invalidSyntax(
          type === 'entity.parse.failed' || /JSON/i.test(String((exception as Error).message))
            ? 'The request body is not valid JSON.'
            : 'The request is not valid.',
        );
      case HttpStatus.UNAUTHORIZED:
        return new ScimError({ status: 401 }, 'A valid bearer token for this tenant URL is required.');
      case HttpStatus.NOT_FOUND:
        return ScimError.notFound('There is no such SCIM endpoint.');
      case HttpStatus.PAYLOAD_TOO_LARGE:
        return new ScimError({ status: 413 }, 'The request body is larger than the 1 MB limit.');
      case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
        return ScimError.invalidSyntax('Send the body as application/scim+json or application/json.');
      case HttpStatus.TOO_MANY_REQUESTS:
        return new ScimError({ status: 429 }, 'Too many requests; slow down and retry after the Retry-After delay.');
      case HttpStatus.SERVICE_UNAVAILABLE:
        return new ScimError({ status: 503 }, 'The service is temporarily unavailable; retry later.');
    }
    if (typeof status === 'number' && status >= 400 && status < 500) return ScimError.invalidSyntax((exception as Error).message);
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      return new ScimError({ status: 503 }, 'The service is temporarily unavailable; retry later.');
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return new ScimError({ status: 500 }, 'An unexpected error occurred; it has been logged.');
  }
}
