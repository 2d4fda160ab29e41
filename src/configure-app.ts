import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AdminExceptionFilter } from './common/admin-exception.filter';
import { validationFailed, VALIDATOR_OPTIONS } from './common/validation';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { limitDatabaseWaits } from './database/wait-limit';
import { REQUEST_LOGGER } from './logging/logging.module';
import type { RequestLoggingMiddleware } from './logging/pino-options';
import { SCIM_PATH_PREFIX } from './scim/http/scim-exception.filter';
import { ScimResponseMiddleware } from './scim/http/scim-response.middleware';
import { SECURITY_HEADERS, serveWebApp } from './web/serve-web-app';

/** Request bodies above this are refused with 413 before any parsing work. */
export const BODY_LIMIT = '1mb';

/** JSON bodies nested deeper than this are refused before parsing (no resource needs more than a few levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * Everything that makes the HTTP app behave as in production. main.ts and the e2e harness both
 * call it, so tests exercise exactly what runs.
 */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  // First, so every request gets its log line, including those the body parser refuses.
  express.use(app.get<typeof REQUEST_LOGGER, RequestLoggingMiddleware>(REQUEST_LOGGER));
  // Hostile-input fix (issue 8): SCIM takes JSON only. Nest's default urlencoded parser let a
  // form-encoded body create SCIM resources; any other body type on a SCIM route is now a 415,
  // answered by the SCIM filter as a 400 invalidSyntax SCIM error.
  express.use(SCIM_PATH_PREFIX, refuseNonJsonBody);
  express.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: verifyJsonBody });
  express.disable('x-powered-by');
  // Security headers on every response (nosniff, frame denial, HSTS, a strict CSP that the admin
  // web app's pages live within: same-origin scripts and styles only, nothing inline).
  express.use(helmet(SECURITY_HEADERS));
  // SCIM response headers and the request log (scim-response.middleware.ts), on the whole SCIM prefix as one layer.
  const scimResponses = app.get(ScimResponseMiddleware);
  express.use(SCIM_PATH_PREFIX, (request: Request, response: Response, next: NextFunction) => scimResponses.use(request, response, next));
  serveWebApp(express);
  app.useGlobalFilters(new AdminExceptionFilter());
  app.useGlobalPipes(new ValidationPipe({ ...VALIDATOR_OPTIONS, transform: true, exceptionFactory: validationFailed }));
  // The HTTP app's waits only: migrations ran before, and the CLI's maintenance commands do not come here.
  limitDatabaseWaits(app.get(DataSource), app.get<AppConfig>(APP_CONFIG).databaseTimeoutSeconds * 1000);
}

function refuseNonJsonBody(request: Request, _response: Response, next: NextFunction): void {
  // `is` is null when there is no body at all, false when there is one of another type.
  if (request.is(['application/json', 'application/*+json']) === false) {
    return next(Object.assign(new Error('Unsupported Media Type'), { status: 415, type: 'entity.unsupported' }));
  }
  next();
}

/**
 * Hostile-input fixes (issue 8), checked on the raw bytes before JSON.parse:
 * - body-parser decoded invalid UTF-8 to U+FFFD and carried on, so broken bytes were stored as
 *   replacement characters; a UTF-8 body (the default, and what SCIM requires) must now be valid.
 * - 10,000 levels of [[[…]]] or {"a":{"a":…}} on an admin route overflowed the stack in
 *   class-transformer (500); bodies nested deeper than MAX_JSON_DEPTH are now refused.
 * Both are 400s that the admin and SCIM filters report as malformed JSON.
 */
function verifyJsonBody(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') === 'utf8' && !isUtf8(body)) throw malformedJson('The request body is not valid UTF-8 JSON');
  if (jsonDepth(body) > MAX_JSON_DEPTH) throw malformedJson(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`);
}

function malformedJson(message: string): Error {
  return Object.assign(new Error(message), { status: 400, type: 'entity.parse.failed' });
}

/** The deepest nesting of arrays and objects in a JSON text, ignoring brackets inside strings. */
function jsonDepth(body: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index];
    if (inString) {
      // A backslash escapes the next character; an unescaped quote ends the string.
      if (byte === 0x5c) index += 1;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (byte === 0x5d || byte === 0x7d) depth -= 1;
  }
  return deepest;
}
