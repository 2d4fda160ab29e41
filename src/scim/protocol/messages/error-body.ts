import { ScimError, ScimStatus, ScimType } from '../errors/scim-error';
import { ERROR_SCHEMA } from './message-schemas';

export interface ScimErrorBody {
  readonly schemas: readonly [typeof ERROR_SCHEMA];
  /** The HTTP status as a string (RFC 7644 §3.12; Okta's suite checks for `"404"`, trap T47). */
  readonly status: string;
  readonly scimType?: ScimType;
  readonly detail: string;
}

// Used only when a ScimError was raised with an empty detail: Okta's suite requires a non-empty one (guide §2.3).
const FALLBACK_DETAIL: Readonly<Record<ScimStatus, string>> = {
  400: 'The request is not valid.',
  401: 'Authentication is required.',
  403: 'The request is not allowed.',
  404: 'The resource was not found.',
  409: 'The request conflicts with the current state of the resource.',
  412: 'The resource has changed since it was read.',
  413: 'The request is too large.',
  429: 'Too many requests; try again later.',
  500: 'An unexpected error occurred.',
  501: 'Not implemented.',
  503: 'The service is unavailable; try again later.',
};

/** The SCIM Error message for a ScimError; `scimType` is left out when the error has none. */
export function scimErrorBody(error: ScimError): ScimErrorBody {
  const detail = error.detail.trim() === '' ? FALLBACK_DETAIL[error.status] : error.detail;
  return {
    schemas: [ERROR_SCHEMA],
    status: String(error.status),
    ...(error.scimType === undefined ? {} : { scimType: error.scimType }),
    detail,
  };
}
