import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import { createTestApp, type TestApp } from '../e2e/harness/test-app';
import { createScimTenant, type ScimTenant } from '../e2e/harness/scim-tenant';
import { findDaemon, freePort, missingPrograms } from '../e2e/harness/local-machine';
import { describeIfAvailable } from '../e2e/harness/suite-needs';

const run = promisify(execFile);
const DEPLOY = join(__dirname, '..', '..', 'deploy', 'nginx');
const nginxPath = findDaemon('nginx');
const missing = [...(nginxPath ? [] : ['nginx']), ...missingPrograms(['openssl'])];

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Entra's suites over TLS 1.2, in Microsoft's order (guide §5.5): OpenSSL's name and the IANA name. */
const ENTRA_SUITES: readonly (readonly [string, string])[] = [
  ['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  ['ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  ['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  ['ECDHE-RSA-AES256-GCM-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  ['ECDHE-ECDSA-AES128-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  ['ECDHE-ECDSA-AES256-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  ['ECDHE-RSA-AES128-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  ['ECDHE-RSA-AES256-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
];

interface Handshake {
  protocol?: string | null;
  cipher?: string;
  error?: string;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** `from` replaced by `to`, which must occur exactly `times` times: a changed example fails here, not silently. */
function replaceExactly(text: string, from: string, to: string, times: number): string {
  const found = text.split(from).length - 1;
  if (found !== times) throw new Error(`deploy/nginx/booking.conf: expected ${times} × ${JSON.stringify(from)}, found ${found}`);
  return text.split(from).join(to);
}

/**
 * deploy/nginx as an operator installs it, run by Debian's nginx in front of the real app: the TLS Entra requires,
 * SCIM through the proxy with the URLs and errors the app gives, and the app's own 503 while it is away. The shipped
 * files are used as they are; of booking.conf only the addresses and certificate paths are replaced.
 */
describeIfAvailable('HTTPS reverse proxy (deploy/nginx)', missing.length > 0 ? `${missing.join(', ')} not installed` : undefined)(
  'HTTPS reverse proxy (deploy/nginx)',
  () => {
    let t: TestApp;
    let tenant: ScimTenant;
    let dir: string;
    let nginx: ChildProcess | undefined;
    let httpsPort: number;
    let httpPort: number;
    const ca: string[] = [];
    let rsa: { key: string; cert: string };

    beforeAll(async () => {
      [httpsPort, httpPort] = [await freePort(), await freePort()];
      t = await createTestApp('https-proxy', { PUBLIC_BASE_URL: `https://127.0.0.1:${httpsPort}` });
      tenant = await createScimTenant(t, 'Proxied');
      const appPort = Number(new URL(t.baseUrl).port);

      dir = await mkdtemp(join(tmpdir(), 'booking-nginx-'));
      await mkdir(join(dir, 'certs'));
      await mkdir(join(dir, 'temp'));
      // Self-signed, with the key sizes Microsoft asks for at the least: RSA 2,048 bits, ECC 256.
      const certificate = (name: string, key: string) =>
        run('openssl', [
          ...`req -x509 -nodes -days 1 ${key} -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost`.split(' '),
          ...['-keyout', join(dir, `certs/${name}.key`), '-out', join(dir, `certs/${name}.crt`)],
        ]);
      await certificate('rsa', '-newkey rsa:2048');
      await certificate('ecdsa', '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1');
      rsa = { key: await readFile(join(dir, 'certs/rsa.key'), 'utf8'), cert: await readFile(join(dir, 'certs/rsa.crt'), 'utf8') };
      ca.push(rsa.cert, await readFile(join(dir, 'certs/ecdsa.crt'), 'utf8'));

      await cp(join(DEPLOY, 'booking'), join(dir, 'booking'), { recursive: true });
      let site = await readFile(join(DEPLOY, 'booking.conf'), 'utf8');
      site = replaceExactly(site, 'server 127.0.0.1:3000;', `server 127.0.0.1:${appPort};`, 1);
      site = replaceExactly(site, 'listen 443 ssl;', `listen 127.0.0.1:${httpsPort} ssl;`, 1);
      site = replaceExactly(site, 'listen 80;', `listen 127.0.0.1:${httpPort};`, 1);
      site = replaceExactly(site, 'listen [::]:443 ssl;', '', 1);
      site = replaceExactly(site, 'listen [::]:80;', '', 1);
      site = replaceExactly(site, '/etc/ssl/booking/', `${dir}/certs/`, 4);
      site = replaceExactly(site, '/var/log/nginx/', `${dir}/`, 1);
      await writeFile(join(dir, 'booking.conf'), site);
      // What /etc/nginx/nginx.conf gives an installed site, in the test's own folder: one process in the foreground.
      const temp = (name: string) => `${name}_temp_path ${dir}/temp/${name};`;
      await writeFile(
        join(dir, 'nginx.conf'),
        [
          'daemon off;',
          'master_process off;',
          `pid ${dir}/nginx.pid;`,
          `error_log ${dir}/error.log warn;`,
          'events { worker_connections 256; }',
          'http {',
          `  access_log ${dir}/access.log;`,
          `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join(' ')}`,
          '  include booking.conf;',
          '}',
        ].join('\n'),
      );
      nginx = spawn(nginxPath as string, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
      await waitForNginx();
    });

    afterAll(async () => {
      nginx?.kill('SIGTERM');
      await t?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function waitForNginx(): Promise<void> {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        if (nginx?.exitCode !== null) break;
        if ((await handshake({})).protocol) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
      throw new Error(`nginx did not start (exit code ${String(nginx?.exitCode)}):\n${log}`);
    }

    /** A TLS handshake with nginx (or `port`), the client limited by `options`: what was agreed, or why it failed. */
    function handshake(options: tls.ConnectionOptions, port = httpsPort): Promise<Handshake> {
      return new Promise((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca, ...options }, () => {
          resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().standardName });
          socket.destroy();
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      });
    }

    /** A Node TLS server that accepts whatever `options` allow, to show that a client nginx refuses could connect at all. */
    async function acceptedElsewhere(server: tls.TlsOptions, client: tls.ConnectionOptions): Promise<Handshake> {
      const control = tls.createServer({ ...rsa, ...server }, (socket) => socket.end());
      control.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
      try {
        return await handshake(client, (control.address() as { port: number }).port);
      } finally {
        await new Promise((resolve) => control.close(resolve));
      }
    }

    function send(method: string, url: string, options: { body?: string; token?: boolean } = {}): Promise<Answer> {
      const headers = {
        ...(options.token === false ? {} : { Authorization: `Bearer ${tenant.token}` }),
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/scim+json' }),
      };
      return new Promise((resolve, reject) => {
        const call = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method, headers, ca }, (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
        });
        call.on('error', reject);
        call.end(options.body);
      });
    }

    const scim = (path: string) => `https://127.0.0.1:${httpsPort}${tenant.base}${path}`;

    it('agrees each of Entra’s eight suites over TLS 1.2', async () => {
      for (const [openssl, iana] of ENTRA_SUITES) {
        expect(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: openssl })).toEqual({
          protocol: 'TLSv1.2',
          cipher: iana,
        });
      }
    });

    it('chooses by Microsoft’s order, not the client’s', async () => {
      const reversed = (suites: readonly (readonly [string, string])[]) =>
        suites
          .map(([openssl]) => openssl)
          .reverse()
          .join(':');
      const tls12 = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } as const;
      expect((await handshake({ ...tls12, ciphers: reversed(ENTRA_SUITES) })).cipher).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
      const rsaSuites = ENTRA_SUITES.filter(([openssl]) => openssl.startsWith('ECDHE-RSA'));
      expect((await handshake({ ...tls12, ciphers: reversed(rsaSuites) })).cipher).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    });

    it('refuses TLS 1.2 without ECDHE, or with SHA-1, to a client that another server accepts', async () => {
      for (const ciphers of ['AES128-GCM-SHA256:AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA']) {
        const client = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers } as const;
        expect((await acceptedElsewhere({ ciphers }, client)).protocol).toBe('TLSv1.2');
        expect(await handshake(client)).toEqual({ error: expect.any(String) });
      }
    });

    it('refuses TLS 1.0 and 1.1, to a client that another server accepts', async () => {
      for (const version of ['TLSv1', 'TLSv1.1'] as const) {
        // OpenSSL 3 allows these versions only at security level 0, on either side.
        const client = { minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' } as const;
        expect((await acceptedElsewhere({ minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, client)).protocol).toBe(version);
        expect(await handshake(client)).toEqual({ error: expect.any(String) });
      }
    });

    it('offers TLS 1.3 beside 1.2', async () => {
      expect((await handshake({ minVersion: 'TLSv1.3' })).protocol).toBe('TLSv1.3');
    });

    it('provisions through the proxy, with the https URLs of PUBLIC_BASE_URL and one request id with nginx', async () => {
      const created = await send('POST', scim('/Users'), { body: JSON.stringify({ schemas: [USER], userName: 'proxied@example.com' }) });
      expect(created.status).toBe(201);
      expect(created.headers['content-type']).toMatch(/^application\/scim\+json/);
      const user = JSON.parse(created.text) as { id: string; meta: { location: string } };
      const location = `https://127.0.0.1:${httpsPort}${tenant.base}/Users/${user.id}`;
      expect([created.headers.location, user.meta.location]).toEqual([location, location]);
      // nginx's $request_id (32 hex digits), taken by the app as its own (the app makes UUIDs, with dashes), and in
      // nginx's access log.
      const requestId = created.headers['x-request-id'] as string;
      expect(requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(await readFile(join(dir, 'booking.access.log'), 'utf8')).toMatch(
        new RegExp(`"POST ${tenant.base}/Users HTTP/1.1" 201 .* ${requestId}\\n`),
      );
      expect(created.headers['strict-transport-security']).toBeDefined();

      const found = await send('GET', scim(`/Users?filter=${encodeURIComponent('userName eq "PROXIED@example.com"')}`));
      expect(JSON.parse(found.text)).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] });
    });

    it('passes the app’s own errors through, an oversized body’s included', async () => {
      const unauthorised = await send('GET', scim('/Users'), { token: false });
      expect(unauthorised.status).toBe(401);
      expect(unauthorised.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(JSON.parse(unauthorised.text)).toMatchObject({ schemas: [ERROR], status: '401' });

      // Above the app's 1 MB limit and nginx's default one: the app must be the one to refuse it, in SCIM.
      const body = JSON.stringify({ schemas: [USER], userName: 'big@example.com', displayName: 'x'.repeat(1_500_000) });
      const tooLarge = await send('POST', scim('/Users'), { body });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(JSON.parse(tooLarge.text)).toMatchObject({ schemas: [ERROR], status: '413' });
    });

    it('sends plain HTTP to HTTPS', async () => {
      const answer = await send('GET', `http://127.0.0.1:${httpPort}${tenant.base}/Users`, { token: false });
      expect(answer.status).toBe(301);
      expect(answer.headers.location).toBe(`https://127.0.0.1${tenant.base}/Users`);
    });

    it('lets an idle connection to the app go before the app would close it', async () => {
      const server = t.app.getHttpServer() as Server;
      let opened = 0;
      const count = () => opened++;
      server.on('connection', count);
      try {
        await send('GET', scim('/ServiceProviderConfig'));
        await send('GET', scim('/ServiceProviderConfig'));
        expect(opened).toBeLessThanOrEqual(1); // kept alive between calls
        // Past nginx's 4 s, short of the app's 5: nginx has dropped the connection and opens a new one.
        await new Promise((resolve) => setTimeout(resolve, server.keepAliveTimeout - 500));
        const before = opened;
        await send('GET', scim('/ServiceProviderConfig'));
        expect(opened).toBe(before + 1);
      } finally {
        server.off('connection', count);
      }
    });

    // Last: it stops the app's HTTP server.
    it('answers SCIM and admin callers in their own format while the app is away', async () => {
      const server = t.app.getHttpServer() as Server;
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });

      const scimAnswer = await send('GET', scim('/Users'));
      expect(scimAnswer.status).toBe(503);
      expect(scimAnswer.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(scimAnswer.headers['retry-after']).toBe('5');
      expect(JSON.parse(scimAnswer.text)).toEqual({
        schemas: [ERROR],
        status: '503',
        detail: 'The service is temporarily unavailable; retry later.',
      });

      const adminAnswer = await send('GET', `https://127.0.0.1:${httpsPort}/api/auth/me`, { token: false });
      expect(adminAnswer.status).toBe(503);
      expect(adminAnswer.headers['content-type']).toMatch(/^application\/json/);
      expect(adminAnswer.headers['retry-after']).toBe('5');
      expect(JSON.parse(adminAnswer.text)).toEqual({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is temporarily unavailable; retry shortly',
      });
    });
  },
);
