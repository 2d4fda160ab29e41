// The admin JSON API, as every page calls it. The session token lives in sessionStorage (gone when
// the tab closes) and travels only in the Authorization header: no cookie, so no request another
// site can forge on the admin's behalf.

const SESSION_KEY = 'workplace-booking.admin-session';
const SIGN_IN_PAGE = '/admin/';

/** An error answered by the API: `code` is the API's stable code, `message` is written for people. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `The server answered ${status}`);
    this.status = status;
    this.code = body?.code ?? 'HTTP_ERROR';
    this.details = body?.details;
  }
}

/** The stored session, or null when there is none or it has expired. */
export function currentSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    if (!session?.accessToken || Date.parse(session.expiresAt) <= Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ accessToken: session.accessToken, expiresAt: session.expiresAt }));
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Sends the admin to the sign-in page, to come back here afterwards. */
export function redirectToSignIn() {
  const here = `${location.pathname}${location.search}`;
  location.assign(`${SIGN_IN_PAGE}?next=${encodeURIComponent(here)}`);
}

/**
 * Where to go after signing in: only a page of this app, so a crafted ?next= link cannot send
 * the admin to another site.
 */
export function safeNextPage(next) {
  if (typeof next === 'string' && /^\/admin\/[^/\\]/.test(next) && !next.startsWith('//')) return next;
  return '/admin/integrations/scim';
}

/** Calls the API and returns the parsed JSON (null for 204); throws ApiError on any other answer. */
export async function callApi(path, { method = 'GET', body } = {}) {
  const session = currentSession();
  const headers = { Accept: 'application/json' };
  if (session) headers.Authorization = `Bearer ${session.accessToken}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.status === 401 && session) {
    // The session ended (expired, or the account was deactivated): sign in again.
    clearSession();
    redirectToSignIn();
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Builds a query string from the defined, non-empty values only. */
export function queryString(params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
