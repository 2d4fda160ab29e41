import { ScimError } from '../errors/scim-error';

/** The ETag and meta.version of a resource version: weak, as the representation is not byte-exact. */
export const weakEtag = (version: number): string => `W/"${version}"`;

/** `If-Match: W/"3"`, `"3"`, a list of them, or `*`. */
export function etagMatches(header: string, version: number): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === `"${version}"`);
}

/** The If-Match precondition of a write (RFC 7644 §3.14): 412 when the resource has moved on. */
export function assertIfMatch(ifMatch: string | undefined, version: number, resource: string): void {
  if (ifMatch !== undefined && !etagMatches(ifMatch, version)) {
    throw ScimError.preconditionFailed(`${resource} has changed (now version ${weakEtag(version)}); read it again.`);
  }
}
