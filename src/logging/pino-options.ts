import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogLevel } from '@nestjs/common';
import pino, { type DestinationStream, type LevelWithSilent, type Logger, type LoggerOptions } from 'pino';
// Not in nestjs-pino's index, but what its Logger reads the current request's logger from.
import { storage, Store } from 'nestjs-pino/storage';
import { REDACTED, scrubSecrets } from './scrub-secrets';

/**
 * Header paths whose values are credentials. Request and response bodies are never logged at all
 * (the login body holds a password, the SCIM enable and rotate responses a token).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const PINO_LEVEL_BY_NEST_LEVEL: Record<LogLevel, pino.Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};
const NEST_LEVELS_BY_VERBOSITY: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The pino level matching the most verbose Nest level enabled by LOG_LEVEL; nothing enabled is silent. */
export function pinoLevelFor(logLevels: LogLevel[]): LevelWithSilent {
  const mostVerbose = NEST_LEVELS_BY_VERBOSITY.filter((level) => logLevels.includes(level)).pop();
  return mostVerbose === undefined ? 'silent' : PINO_LEVEL_BY_NEST_LEVEL[mostVerbose];
}

/**
 * Errors keep their type, message, stack and driver code, nothing else. pino's standard serializer
 * copies every enumerable property, and a TypeORM QueryFailedError carries `parameters`, `sql` (the
 * query with values inlined, on MySQL) and `driverError`: token hashes and personal data.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  const standard = pino.stdSerializers.err(error as Error) as { type?: string; message?: string; stack?: string; code?: unknown };
  if (typeof standard !== 'object' || standard === null) return { message: scrubSecrets(String(error)) };
  return {
    type: standard.type,
    message: scrubSecrets(String(standard.message ?? '')),
    ...(standard.stack !== undefined && { stack: scrubSecrets(standard.stack) }),
    ...((typeof standard.code === 'string' || typeof standard.code === 'number') && { code: standard.code }),
  };
}

/** Shared by the root logger and the HTTP loggers, so no child logger falls back to pino's defaults. */
export const LOG_SERIALIZERS = { err: serializeError };

/** The process-wide logger: Nest's own logs and the request lines both go through it. */
export function rootLoggerOptions(logLevels: LogLevel[]): LoggerOptions {
  return {
    level: pinoLevelFor(logLevels),
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    serializers: LOG_SERIALIZERS,
    hooks: {
      logMethod(args, method) {
        return method.apply(this, scrubLogArguments(args) as Parameters<typeof method>);
      },
    },
  };
}

/**
 * Messages often interpolate an exception (`logger.error(error.stack)`), so string arguments are
 * scrubbed. An error logged without a message (nestjs-pino's Logger does that for `logger.error(err)`)
 * would get pino's default message, the raw `err.message`; it gets the scrubbed one instead.
 */
export function scrubLogArguments(args: unknown[]): unknown[] {
  const [first, ...others] = args;
  const rest = others.map((argument) => (typeof argument === 'string' ? scrubSecrets(argument) : argument));
  const error = first instanceof Error ? first : typeof first === 'object' && first !== null && 'err' in first ? first.err : undefined;
  if (error instanceof Error && typeof rest[0] !== 'string') {
    const fields = first instanceof Error ? { err: first } : first;
    return [fields, scrubSecrets(error.message), ...rest];
  }
  return [typeof first === 'string' ? scrubSecrets(first) : first, ...rest];
}

const REQUEST_ID_FORMAT = /^[A-Za-z0-9._:-]{1,100}$/;

/** The caller's X-Request-Id when it is a sane token (a proxy's trace id), else a new UUID; echoed back. */
export function requestIdFor(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID_FORMAT.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** 5xx are errors, except 503 (the database is away: expected, retried, already warned about). */
export function levelForStatus(_request: IncomingMessage, response: ServerResponse, error?: Error): LevelWithSilent {
  if (response.statusCode === 503) return 'warn';
  if (error || response.statusCode >= 500) return 'error';
  if (response.statusCode >= 400) return 'warn';
  return 'info';
}

/**
 * The organisation a request acted for, once authentication has run: a SCIM request's `user` is the
 * organisation itself ({id, slug}), an admin request's is the signed-in actor ({organisationId}).
 */
export function organisationOf(request: IncomingMessage): { organisationId?: string } {
  const user: unknown = (request as { user?: unknown }).user;
  if (typeof user !== 'object' || user === null) return {};
  if ('organisationId' in user && typeof user.organisationId === 'string') return { organisationId: user.organisationId };
  if ('slug' in user && 'id' in user && typeof user.id === 'string') return { organisationId: user.id };
  return {};
}

export type RequestLoggingMiddleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** What Express and this middleware leave on a request. */
type LoggedRequest = IncomingMessage & { originalUrl?: string };

/**
 * The `req` of a request line: no query object, no params, no body; the URL already shows the first
 * two. `headers` is the request's own object; pino's redact hides the credential paths while it
 * writes the line.
 */
function requestFields(request: LoggedRequest) {
  return {
    id: (request as { id?: unknown }).id,
    method: request.method,
    url: request.originalUrl ?? request.url,
    headers: request.headers,
    remoteAddress: request.socket?.remoteAddress,
  };
}

/**
 * The request line itself, once the response is done (`finish`), failed (`error`) or the client went
 * away first (`close`). The level comes from the status, and nothing is built when that level is off:
 * at LOG_LEVEL=error a 200 costs one comparison. Response headers are helmet's fixed set plus ids and
 * bodies are never logged (the SCIM enable and rotate responses carry a token), so `res` is the status.
 * The line is what pino-http wrote before (same keys, same messages), without its per-request child loggers.
 */
function writeRequestLine(lines: Logger, request: LoggedRequest, response: ServerResponse, startedAt: number, error?: Error): void {
  const level = levelForStatus(request, response, error);
  if (level === 'silent' || !lines.isLevelEnabled(level)) return;
  const fields = {
    req: requestFields(request),
    ...organisationOf(request),
    res: { statusCode: response.statusCode },
    responseTime: Date.now() - startedAt,
  };
  if (error || response.statusCode >= 500) {
    lines[level]({ ...fields, err: error ?? new Error(`failed with status code ${response.statusCode}`) }, 'request errored');
    return;
  }
  lines[level](fields, !request.readableAborted && response.writableEnded ? 'request completed' : 'request aborted');
}

/**
 * nestjs-pino's Logger writes through `storage.getStore().logger`, so logs written while a request
 * runs carry its id. Most requests log nothing, so that child logger is made on first use, not
 * for every request. `assign()` (nestjs-pino) replaces it, hence the setter.
 */
function requestStore(root: Logger, requestId: string): Store {
  let logger: Logger | undefined;
  return Object.defineProperties(Object.create(Store.prototype) as Store, {
    logger: {
      enumerable: true,
      get: () => (logger ??= root.child({ reqId: requestId })),
      set: (replacement: Logger) => {
        logger = replacement;
      },
    },
    responseLogger: { enumerable: true, writable: true, value: undefined },
  });
}

/**
 * The root logger, and the middleware that writes each request's line through it and makes the
 * request's id part of every log written while the request runs (nestjs-pino's Logger reads its
 * per-request logger from this AsyncLocalStorage; its own middleware would do the same, but Nest
 * mounts module middleware after the body parser, and as routes). Request lines are at info, warn
 * or error; when even error is off, no listener is attached at all.
 */
export function createLoggers(
  logLevels: LogLevel[],
  destination: DestinationStream,
): { root: Logger; requestLogger: RequestLoggingMiddleware } {
  const root = pino(rootLoggerOptions(logLevels), destination);
  const anyRequestLineVisible = root.isLevelEnabled('error');
  const requestLogger: RequestLoggingMiddleware = (request: LoggedRequest, response, next) => {
    const requestId = requestIdFor(request, response);
    Object.assign(request, { id: requestId });
    if (anyRequestLineVisible) {
      const startedAt = Date.now();
      const onDone = (error?: Error) => {
        response.removeListener('finish', onDone);
        response.removeListener('close', onDone);
        response.removeListener('error', onDone);
        writeRequestLine(root, request, response, startedAt, error);
      };
      response.on('finish', onDone);
      response.on('close', onDone);
      response.on('error', onDone);
    }
    storage.run(requestStore(root, requestId), next);
  };
  return { root, requestLogger };
}
