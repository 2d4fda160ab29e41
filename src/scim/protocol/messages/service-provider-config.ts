import { locationOf } from './location';
import { SERVICE_PROVIDER_CONFIG_SCHEMA } from './message-schemas';

/** An entry of `authenticationSchemes` (RFC 7643 §5). Only the bearer token is implemented, so only it can be advertised. */
export interface AuthenticationScheme {
  readonly type: 'oauthbearertoken';
  readonly name: string;
  readonly description: string;
  readonly specUri?: string;
  readonly documentationUri?: string;
  readonly primary?: boolean;
}

/** The per-organisation bearer token checked by the SCIM guard (guide §1.1). */
export const OAUTH_BEARER_TOKEN_SCHEME: AuthenticationScheme = Object.freeze({
  type: 'oauthbearertoken',
  name: 'Bearer token',
  description: 'Per-organisation bearer token in the Authorization header',
  specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
  primary: true,
});

/**
 * What the deployment really supports (trap T44): each flag flips only once the feature works and has tests.
 * `bulk` and `changePassword` are typed `false` because neither exists; advertising them does not compile.
 */
export interface ServiceProviderConfigOptions {
  readonly documentationUri?: string;
  readonly patchSupported: boolean;
  readonly bulk: false;
  /** The most resources one filtered list answers with (our page-size cap). */
  readonly filterMaxResults: number;
  readonly sortSupported: boolean;
  readonly etagSupported: boolean;
  readonly changePasswordSupported: false;
  readonly authenticationSchemes: readonly [AuthenticationScheme, ...AuthenticationScheme[]];
  readonly pagination: PaginationOptions;
}

/**
 * RFC 9865 §4. Index paging (startIndex) is always supported and stays the default, because Entra and Okta page
 * that way and a client that names neither method must get what it got before cursors existed.
 */
export interface PaginationOptions {
  readonly cursor: boolean;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  /** Seconds a cursor is guaranteed to stay valid between page requests. */
  readonly cursorTimeout: number;
}

export interface PaginationDocument {
  readonly cursor: boolean;
  readonly index: true;
  readonly defaultPaginationMethod: 'index';
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly cursorTimeout?: number;
}

export interface ServiceProviderConfigDocument {
  readonly schemas: readonly [typeof SERVICE_PROVIDER_CONFIG_SCHEMA];
  readonly documentationUri?: string;
  readonly patch: { readonly supported: boolean };
  readonly bulk: { readonly supported: false; readonly maxOperations: 0; readonly maxPayloadSize: 0 };
  readonly filter: { readonly supported: true; readonly maxResults: number };
  readonly changePassword: { readonly supported: false };
  readonly sort: { readonly supported: boolean };
  readonly etag: { readonly supported: boolean };
  readonly authenticationSchemes: readonly AuthenticationScheme[];
  readonly pagination: PaginationDocument;
  readonly meta: { readonly resourceType: 'ServiceProviderConfig'; readonly location: string };
}

/**
 * `GET /ServiceProviderConfig` (RFC 7643 §5): one object, not a list, and without `id`. Filtering is always
 * supported, since Entra cannot work without it. Everything else comes from `options`, never from global state.
 */
export function serviceProviderConfig(baseUrl: string, options: ServiceProviderConfigOptions): ServiceProviderConfigDocument {
  if (!Number.isInteger(options.filterMaxResults) || options.filterMaxResults < 1) {
    throw new RangeError(`filterMaxResults ${options.filterMaxResults} must be a positive integer.`);
  }
  if (options.authenticationSchemes.length === 0) throw new RangeError('At least one authentication scheme must be advertised.');
  const { pagination } = options;
  for (const [name, value] of Object.entries({
    defaultPageSize: pagination.defaultPageSize,
    maxPageSize: pagination.maxPageSize,
    cursorTimeout: pagination.cursorTimeout,
  })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`pagination.${name} ${value} must be a positive integer.`);
  }
  if (pagination.defaultPageSize > pagination.maxPageSize) {
    throw new RangeError(`pagination.defaultPageSize ${pagination.defaultPageSize} must not exceed maxPageSize ${pagination.maxPageSize}.`);
  }
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(options.documentationUri === undefined ? {} : { documentationUri: options.documentationUri }),
    patch: { supported: options.patchSupported },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: options.filterMaxResults },
    changePassword: { supported: false },
    sort: { supported: options.sortSupported },
    etag: { supported: options.etagSupported },
    authenticationSchemes: options.authenticationSchemes.map((scheme) => ({ ...scheme })),
    pagination: {
      cursor: pagination.cursor,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: pagination.defaultPageSize,
      maxPageSize: pagination.maxPageSize,
      // A timeout describes cursors; a server without them has nothing to promise.
      ...(pagination.cursor ? { cursorTimeout: pagination.cursorTimeout } : {}),
    },
    meta: { resourceType: 'ServiceProviderConfig', location: locationOf(baseUrl, 'ServiceProviderConfig') },
  };
}
