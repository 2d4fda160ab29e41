/**
 * `meta.location` of a discovery resource: the base URL (the tenant URL, e.g. `https://desk.example.com/scim/v2/acme`,
 * with or without a trailing slash) followed by the given path segments. The base URL comes from the request
 * scope of the caller, never from process-wide state (trap T42).
 */
export function locationOf(baseUrl: string, ...segments: string[]): string {
  return [baseUrl.replace(/\/+$/, ''), ...segments].join('/');
}
