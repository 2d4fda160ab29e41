import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { InvalidConfigError, loadConfigFromEnvironment } from './config/load-config';
import { configureApp } from './configure-app';
import { shutDownGracefullyOnSignals } from './lifecycle/graceful-shutdown';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfigFromEnvironment();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  // Start-up logs wait in a buffer until the pino logger exists, then go through it like all others.
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureApp(app);
  shutDownGracefullyOnSignals(app, { logger, timeoutMs: config.shutdownTimeoutSeconds * 1000 });
  await app.listen(config.port, config.host);
  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.path}` : `MySQL/MariaDB ${config.database.database}`;
  logger.log(`listening on ${config.host}:${config.port} (${config.publicBaseUrl}), database: ${where}`, 'Bootstrap');
}

void bootstrap();
