import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AdminExceptionFilter } from './common/admin-exception.filter';
import { validationFailed, VALIDATOR_OPTIONS } from './common/validation';

/** Request bodies above this are refused with 413 before any parsing work. */
export const BODY_LIMIT = '1mb';

/**
 * Everything that makes the HTTP app behave as in production. main.ts and the e2e harness both
 * call it, so tests exercise exactly what runs.
 */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: refuseInvalidUtf8 });
  express.disable('x-powered-by');
  // Security headers on every response (nosniff, frame denial, HSTS, a strict CSP: the API serves
  // no pages, so nothing legitimate needs more).
  express.use(helmet());
  app.useGlobalFilters(new AdminExceptionFilter());
  app.useGlobalPipes(new ValidationPipe({ ...VALIDATOR_OPTIONS, transform: true, exceptionFactory: validationFailed }));
  app.enableShutdownHooks();
}

/**
 * Hostile-input fix (issue 8): body-parser decodes invalid UTF-8 bytes to U+FFFD and carries on,
 * so a body with broken bytes was stored with replacement characters instead of being refused.
 * A UTF-8 body (the default, and what SCIM requires) that is not valid UTF-8 is now a 400, which
 * both error filters report as malformed JSON. Other declared charsets are left to body-parser.
 */
function refuseInvalidUtf8(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8' || isUtf8(body)) return;
  const error = new Error('The request body is not valid UTF-8 JSON') as Error & { status: number; type: string };
  error.status = 400;
  error.type = 'entity.parse.failed';
  throw error;
}
