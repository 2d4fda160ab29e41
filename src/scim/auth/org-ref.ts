/** The organisation a SCIM request acts for, established by ScimBearerGuard from its token. */
export interface OrgRef {
  id: string;
  slug: string;
}
