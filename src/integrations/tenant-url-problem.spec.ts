import { tenantUrlProblem } from './tenant-url-problem';

describe('tenantUrlProblem', () => {
  it.each(['https://booking.example.com', 'https://booking.example.com:8443/prefix', 'https://10.0.0.5', 'https://[2001:db8::1]'])(
    'finds nothing in %s',
    (url) => {
      expect(tenantUrlProblem(url)).toBeNull();
    },
  );

  it.each([
    'http://localhost:3000',
    'https://localhost',
    'http://app.localhost',
    'http://127.0.0.1:3000',
    'https://127.1.2.3',
    'http://[::1]:3000',
  ])('says that %s is this computer, whatever the scheme', (url) => {
    expect(tenantUrlProblem(url)).toMatch(
      /^The tenant URL points at this computer \(.+\), which an identity provider in the cloud cannot reach\./,
    );
  });

  it.each(['http://booking.example.com', 'http://10.0.0.5:3000', 'http://[2001:db8::1]'])('asks for HTTPS for %s', (url) => {
    expect(tenantUrlProblem(url)).toMatch(/^Microsoft Entra ID calls tenant URLs over HTTPS only/);
  });

  it('names the host and port it saw', () => {
    expect(tenantUrlProblem('http://127.0.0.1:3000')).toContain('(127.0.0.1:3000)');
  });

  it('does not take a name that only starts like a loopback one for loopback', () => {
    expect(tenantUrlProblem('https://localhost.example.com')).toBeNull();
    expect(tenantUrlProblem('https://127.0.0.1.nip.example')).toBeNull();
  });
});
