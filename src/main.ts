import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { InvalidConfigError, loadConfigFromEnvironment } from './config/load-config';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfigFromEnvironment();
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: config.logLevels });
  configureApp(app);
  await app.listen(config.port, config.host);
  const where = config.database.kind === 'sqlite' ? `SQLite ${config.database.path}` : `MySQL/MariaDB ${config.database.database}`;
  new Logger('Bootstrap').log(`listening on ${config.host}:${config.port} (${config.publicBaseUrl}), database: ${where}`);
}

void bootstrap();
