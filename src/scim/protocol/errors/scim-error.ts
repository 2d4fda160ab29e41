/**
 * The status/scimType pairs RFC 7644 §3.12 allows, with the pagination types RFC 9865 §2.1 adds to 400. scimmy rejects a bad pair at run time; here a bad pair does
 * not compile (`{ status: 404, scimType: 'uniqueness' }` is a type error).
 */
export type ScimErrorKind =
  | {
      status: 400;
      scimType?:
        | 'invalidFilter'
        | 'tooMany'
        | 'invalidPath'
        | 'noTarget'
        | 'invalidValue'
        | 'invalidVers'
        | 'invalidSyntax'
        | 'mutability'
        | 'invalidCursor'
        | 'expiredCursor'
        | 'invalidCount';
    }
  | { status: 403; scimType?: 'sensitive' }
  | { status: 409; scimType?: 'uniqueness' }
  | { status: 401 | 404 | 412 | 413 | 429 | 500 | 501 | 503; scimType?: undefined };

export type ScimStatus = ScimErrorKind['status'];
export type ScimType = NonNullable<ScimErrorKind['scimType']>;

/**
 * The one error protocol code throws. The SCIM exception filter turns it into an Error body; `detail` is written
 * for the client (it is sent as is), so it never carries stack traces or internal names.
 */
export class ScimError extends Error {
  readonly status: ScimStatus;
  readonly scimType: ScimType | undefined;

  constructor(
    kind: ScimErrorKind,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ScimError';
    this.status = kind.status;
    this.scimType = kind.scimType;
  }

  static invalidFilter(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'invalidFilter' }, detail);
  }

  static invalidPath(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'invalidPath' }, detail);
  }

  static invalidSyntax(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'invalidSyntax' }, detail);
  }

  static invalidValue(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'invalidValue' }, detail);
  }

  /** RFC 9865: a cursor we did not issue for this query, or one that was altered. */
  static invalidCursor(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'invalidCursor' }, detail);
  }

  /** RFC 9865: a count that cursor paging cannot serve (below 1). */
  static invalidCount(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'invalidCount' }, detail);
  }

  static noTarget(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'noTarget' }, detail);
  }

  static mutability(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'mutability' }, detail);
  }

  static tooMany(detail: string): ScimError {
    return new ScimError({ status: 400, scimType: 'tooMany' }, detail);
  }

  static uniqueness(detail: string): ScimError {
    return new ScimError({ status: 409, scimType: 'uniqueness' }, detail);
  }

  static notFound(detail: string): ScimError {
    return new ScimError({ status: 404 }, detail);
  }

  static preconditionFailed(detail: string): ScimError {
    return new ScimError({ status: 412 }, detail);
  }
}
