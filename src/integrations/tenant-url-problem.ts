/**
 * What stands in the way of an identity provider calling `tenantUrl` (built on PUBLIC_BASE_URL), in words for the
 * admin who is about to paste one into Entra or Okta; null when the server can see nothing wrong. Both call from
 * the cloud, and Entra over HTTPS only (guide §5.5), so a loopback or plain-http URL fails their Test Connection
 * with a message that does not say why. Shown on the integrations page under the tenant URL.
 */
export function tenantUrlProblem(tenantUrl: string): string | null {
  const url = new URL(tenantUrl);
  if (isLoopback(url.hostname)) {
    return (
      `The tenant URL points at this computer (${url.host}), which an identity provider in the cloud cannot reach. ` +
      'Set PUBLIC_BASE_URL to the https address it can reach.'
    );
  }
  if (url.protocol !== 'https:') {
    return (
      'Microsoft Entra ID calls tenant URLs over HTTPS only, and this one starts with http. ' +
      'Serve the app over HTTPS and set PUBLIC_BASE_URL to its https address.'
    );
  }
  return null;
}

/** localhost and its subdomains, 127.0.0.0/8 and ::1, as the WHATWG URL parser spells them. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}
