/**
 * Every failure a service reports to a caller, by code. Services throw these (never HttpException);
 * each API maps the codes to its own transport exhaustively (AdminExceptionFilter for /api).
 */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'ORGANISATION_NOT_FOUND'
  | 'ORGANISATION_SLUG_TAKEN'
  | 'USER_NOT_FOUND'
  | 'USER_NAME_TAKEN'
  | 'USER_INACTIVE'
  | 'USER_MANAGED_BY_SCIM'
  | 'TEAM_MANAGED_BY_SCIM'
  | 'TEAM_NOT_FOUND'
  | 'TEAM_NAME_TAKEN'
  | 'RESOURCE_NOT_FOUND'
  | 'RESOURCE_NAME_TAKEN'
  | 'BOOKING_NOT_FOUND'
  | 'BOOKING_OVERLAP'
  | 'BOOKING_NOT_PERMITTED'
  | 'BOOKING_ALREADY_CANCELLED'
  | 'SCIM_ALREADY_ENABLED'
  | 'SCIM_NOT_ENABLED'
  | 'INVALID_CREDENTIALS'
  | 'TOO_MANY_LOGIN_ATTEMPTS'
  | 'FORBIDDEN';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Extra machine-readable facts for the client (e.g. the fields that failed). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(code: Extract<DomainErrorCode, `${string}_NOT_FOUND`>, what: string, id: string) {
    super(code, `${what} ${JSON.stringify(id)} was not found`);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
