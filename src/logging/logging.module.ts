import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createLoggers } from './pino-options';

/**
 * The middleware that writes one JSON line per HTTP request. configureApp() mounts it before every
 * other middleware, so requests refused by the body parser (413, malformed JSON) are logged too;
 * middleware registered by a Nest module would only run after those.
 */
export const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

/**
 * Structured JSON logs on stdout through one pino logger: Nest's own logs (main.ts hands
 * nestjs-pino's Logger to app.useLogger) and the request lines, with credentials redacted.
 */
@Module({})
export class LoggingModule {
  /** `destination` is for specs that read the lines back; the app writes to stdout synchronously. */
  static forRoot(config: AppConfig, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): DynamicModule {
    const { root, requestLogger } = createLoggers(config.logLevels, destination);
    return {
      module: LoggingModule,
      global: true,
      imports: [
        // nestjs-pino for its Logger (Nest's logs through pino) only: REQUEST_LOGGER does the
        // per-request work, so its module middleware is mounted on no route at all.
        LoggerModule.forRoot({ pinoHttp: { logger: root, autoLogging: false, wrapSerializers: false }, forRoutes: [] }),
      ],
      providers: [{ provide: REQUEST_LOGGER, useValue: requestLogger }],
      exports: [REQUEST_LOGGER, LoggerModule],
    };
  }
}
