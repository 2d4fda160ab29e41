import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DomainError } from '../common/domain-error';
import { InvalidConfigError, loadConfigFromEnvironment } from '../config/load-config';
import { CliModule } from './cli.module';
import { CliUsageError, parseCommandLine } from './commands';

/**
 * `npm run --silent cli -- <command> [flags]`: one JSON object on stdout and exit 0, or one line
 * on stderr and exit 1 (2 for usage errors). Uses the same DATABASE_URL as the server and may run
 * while the server does.
 */
async function main(argv: string[]): Promise<number> {
  let app;
  try {
    const { command, flags } = parseCommandLine(argv);
    const config = loadConfigFromEnvironment();
    app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['fatal'], abortOnError: false });
    const result = await command.run(app, flags);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    return reportFailure(error);
  } finally {
    await app?.close();
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof CliUsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof DomainError) {
    process.stderr.write(`error: ${error.code}: ${error.message}\n`);
    return 1;
  }
  if (error instanceof InvalidConfigError) {
    process.stderr.write(`error: ${error.problems.join('; ')}\n`);
    return 1;
  }
  process.stderr.write(`error: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
  return 1;
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
