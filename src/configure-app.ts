import { INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
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
  express.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  express.disable('x-powered-by');
  app.useGlobalFilters(new AdminExceptionFilter());
  app.useGlobalPipes(new ValidationPipe({ ...VALIDATOR_OPTIONS, transform: true, exceptionFactory: validationFailed }));
  app.enableShutdownHooks();
}
