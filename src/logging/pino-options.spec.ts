import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { Logger, PinoLogger } from 'nestjs-pino';
import { pinoHttp } from 'pino-http';
import { QueryFailedError } from 'typeorm';
import { generateSecretToken, hashSecretToken } from '../common/secret-token';
import { createLoggers, pinoLevelFor } from './pino-options';
import { scrubSecrets } from './scrub-secrets';

/** A pino destination that keeps every line, parsed, for the assertions. */
function captureLines(): { destination: DestinationStream; lines: Record<string, unknown>[]; text(): string } {
  const raw: string[] = [];
  return {
    destination: { write: (line: string) => void raw.push(line) },
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}

const ALL_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

describe('scrubSecrets', () => {
  it('replaces a credential after its auth scheme, SHA-256 hex and a duplicate-key value', () => {
    const token = generateSecretToken();
    const hash = hashSecretToken(token);
    expect(scrubSecrets(`header was "Bearer ${token}", basic dXNlcjpwYXNz`)).toBe('header was "Bearer [Redacted]", basic [Redacted]');
    expect(scrubSecrets(`WHERE token_hash = '${hash}'`)).toBe("WHERE token_hash = '[Redacted]'");
    expect(scrubSecrets("Duplicate entry 'ada@acme.test-7' for key 'IDX_x'")).toBe("Duplicate entry '[Redacted]' for key 'IDX_x'");
  });

  it('leaves ordinary text, ids and already-redacted values alone', () => {
    const text = 'GET /scim/v2/acme/Users/7d0c4b1e-8f5a-4d0e-9a51-2f1d3c4b5a69 answered 404; Bearer [Redacted]';
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe('pinoLevelFor', () => {
  it('maps the most verbose Nest level LOG_LEVEL enabled onto pino', () => {
    expect(pinoLevelFor(['fatal', 'error'])).toBe('error');
    expect(pinoLevelFor(['fatal', 'error', 'warn', 'log'])).toBe('info');
    expect(pinoLevelFor([...ALL_LEVELS])).toBe('trace');
    expect(pinoLevelFor([])).toBe('silent');
  });
});

describe('request lines', () => {
  let server: Server;
  let baseUrl: string;
  const capture = captureLines();

  beforeAll(async () => {
    const { requestLogger } = createLoggers([...ALL_LEVELS], capture.destination);
    server = createServer((request, response) => {
      requestLogger(request, response, () => {
        // What the SCIM bearer guard leaves on the request once the token is accepted.
        if (request.url?.startsWith('/scim/')) Object.assign(request, { user: { id: 'org-1', slug: 'acme' } });
        // What an exception filter's Logger writes while the request runs.
        new Logger(new PinoLogger({}), {}).warn(`handling ${request.url}`, 'Spec');
        const status = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
        request.resume();
        request.on('end', () => {
          response.statusCode = status;
          response.setHeader('Set-Cookie', 'session=secret-cookie-value');
          response.end(JSON.stringify({ token: 'response-body-token' }));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function send(path: string, headers: Record<string, string>, body?: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(`${baseUrl}${path}`, { method: body ? 'POST' : 'GET', headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  it('writes one line per request with method, url, status, time, id and organisation; credentials redacted, no bodies', async () => {
    const token = generateSecretToken();
    const response = await send(
      '/scim/v2/acme/Users?status=201',
      { authorization: `Bearer ${token}`, cookie: 'sid=cookie-secret', 'content-type': 'application/json' },
      JSON.stringify({ password: 'body-password' }),
    );

    const line = capture.lines.find((entry) => (entry.req as { url?: string })?.url === '/scim/v2/acme/Users?status=201');
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      organisationId: 'org-1',
      req: { method: 'POST', headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'content-type': 'application/json' } },
      res: { statusCode: 201 },
    });
    expect(typeof line?.responseTime).toBe('number');
    expect((line?.req as { id: string }).id).toBe(response.headers['x-request-id']);
    const nestLine = capture.lines.find((entry) => entry.msg === 'handling /scim/v2/acme/Users?status=201');
    expect(nestLine).toMatchObject({ context: 'Spec', reqId: response.headers['x-request-id'] });
    expect(nestLine).not.toHaveProperty('req');
    for (const secret of [token, 'cookie-secret', 'body-password', 'response-body-token', 'secret-cookie-value']) {
      expect(capture.text()).not.toContain(secret);
    }
  });

  it('keeps a sane incoming X-Request-Id and replaces one that is not', async () => {
    const kept = await send('/kept', { 'x-request-id': 'trace-1234' });
    const replaced = await send('/replaced', { 'x-request-id': 'bad id with spaces' });
    expect(kept.headers['x-request-id']).toBe('trace-1234');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs 4xx and 503 as warnings and other 5xx as errors', async () => {
    await send('/status?status=404', {});
    await send('/status?status=503', {});
    await send('/status?status=500', {});
    const levelOf = (status: number) => capture.lines.find((entry) => (entry.res as { statusCode?: number })?.statusCode === status)?.level;
    expect([levelOf(404), levelOf(503), levelOf(500)]).toEqual([40, 40, 50]);
  });
});

describe('request lines below LOG_LEVEL', () => {
  let server: Server;
  let baseUrl: string;
  const capture = captureLines();

  beforeAll(async () => {
    // LOG_LEVEL=error: only 5xx request lines are visible.
    const { requestLogger } = createLoggers(['fatal', 'error'], capture.destination);
    server = createServer((request, response) => {
      requestLogger(request, response, () => {
        new Logger(new PinoLogger({}), {}).error(`failing ${request.url}`, 'Spec');
        response.statusCode = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest(`${baseUrl}${path}`, (response) => {
        response.resume();
        response.on('end', () => resolve(response));
      })
        .on('error', reject)
        .end();
    });

  it('writes no line for a 200 or a 404, still the 500 and the request-scoped error, and always echoes the id', async () => {
    const ok = await get('/quiet?status=200');
    await get('/quiet?status=404');
    const failed = await get('/loud?status=500');
    expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const requestLines = capture.lines.filter((line) => line.req !== undefined);
    expect(requestLines).toEqual([
      expect.objectContaining({ level: 50, msg: 'request errored', req: expect.objectContaining({ url: '/loud?status=500' }) }),
    ]);
    expect((requestLines[0].req as { id: string }).id).toBe(failed.headers['x-request-id']);
    // Logs written while a request runs carry its id, though no request logger was built up front.
    const nestLines = capture.lines.filter((line) => line.context === 'Spec');
    expect(nestLines.map((line) => line.reqId)).toEqual([ok.headers['x-request-id'], expect.any(String), failed.headers['x-request-id']]);
  });
});

describe('errors in logs', () => {
  const token = generateSecretToken();
  const hash = hashSecretToken(token);
  // What a failed INSERT of a SCIM credential looks like on MySQL: mysql2 puts the query with its
  // values inlined in `sql`, TypeORM copies it and keeps `parameters`; MySQL echoes the value.
  const driverError = Object.assign(new Error(`Duplicate entry '${hash}' for key 'IDX_scim_token_hash'`), {
    code: 'ER_DUP_ENTRY',
    sql: `INSERT INTO scim_credentials (token_hash) VALUES ('${hash}')`,
  });
  const failure = new QueryFailedError('INSERT INTO scim_credentials (token_hash) VALUES (?)', [hash, token], driverError);

  it('are logged with type, message, stack and code, never parameters, sql or the driver error', () => {
    const capture = captureLines();
    const { root } = createLoggers([...ALL_LEVELS], capture.destination);
    root.error({ err: failure }, 'query failed');

    expect(capture.text()).not.toContain(hash);
    expect(capture.text()).not.toContain(token);
    expect(capture.lines[0].err).toEqual({
      type: 'QueryFailedError',
      message: "Duplicate entry '[Redacted]' for key 'IDX_scim_token_hash'",
      stack: expect.stringContaining("Duplicate entry '[Redacted]'"),
      code: 'ER_DUP_ENTRY',
    });
  });

  it('are scrubbed the same way through the request-scoped logger nestjs-pino gives Nest, and in interpolated messages', () => {
    const capture = captureLines();
    const { root } = createLoggers([...ALL_LEVELS], capture.destination);
    // LoggingModule's options for nestjs-pino; its Logger writes Nest's logs through this child.
    const nestLogger = pinoHttp({ logger: root, autoLogging: false, wrapSerializers: false }).logger;
    nestLogger.error({ err: failure, context: 'AdminApi' });
    nestLogger.error(failure);
    nestLogger.error({ context: 'Scim' }, failure.stack);
    nestLogger.warn({ context: 'Scim' }, `could not record a SCIM call: ${failure.message} (Bearer ${token})`);

    expect(capture.lines).toHaveLength(4);
    expect(capture.text()).not.toContain(hash);
    expect(capture.text()).not.toContain(token);
  });
});
