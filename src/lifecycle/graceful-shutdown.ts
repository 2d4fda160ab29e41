import type { Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';

/** How often idle keep-alive connections are closed while in-flight requests finish. */
const IDLE_SWEEP_INTERVAL_MS = 50;

export interface GracefulShutdownOptions {
  logger: LoggerService;
  /** SHUTDOWN_TIMEOUT_SECONDS, in milliseconds. */
  timeoutMs: number;
  signals?: NodeJS.Signals[];
}

/**
 * On SIGTERM (or SIGINT): stop accepting connections, let in-flight requests finish, then close the
 * app (its database pool included) and let the process end by itself with code 0. If that takes
 * longer than the timeout (a client that never finishes its body, a handle left open), log it and
 * exit 1. A second signal during shutdown gets Node's default handling: immediate termination.
 *
 * Nest's enableShutdownHooks() is not used: it ends the process with process.kill(signal), so an
 * orchestrator sees a signal death rather than a clean exit, and a stuck request would hang it.
 */
export function shutDownGracefullyOnSignals(app: INestApplication, options: GracefulShutdownOptions): void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const each of signals) process.removeListener(each, onSignal);
    void shutDown(app, signal, options.logger, options.timeoutMs);
  };
  for (const signal of signals) process.once(signal, onSignal);
}

async function shutDown(app: INestApplication, signal: NodeJS.Signals, logger: LoggerService, timeoutMs: number): Promise<void> {
  const startedAt = Date.now();
  logger.log(`${signal} received: refusing new connections, finishing in-flight requests (at most ${timeoutMs} ms)`, 'Shutdown');
  // Unref'd, so it never keeps the process alive itself; it fires only if something else does.
  const deadline = setTimeout(() => {
    logger.error(`shutdown did not finish within ${timeoutMs} ms; exiting with work abandoned`, undefined, 'Shutdown');
    process.exit(1);
  }, timeoutMs);
  deadline.unref();
  try {
    await closeHttpServer(app.getHttpServer() as Server);
    // Destroy hooks, then the database pool (TypeORM's shutdown hook). The HTTP server is already closed.
    await app.close();
  } catch (error) {
    logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`, undefined, 'Shutdown');
    process.exit(1);
  }
  clearTimeout(deadline);
  logger.log(`shutdown complete in ${Date.now() - startedAt} ms`, 'Shutdown');
}

/**
 * Resolves once the server has stopped listening and every connection has ended. server.close()
 * stops accepting at once and closes idle keep-alive connections, but a keep-alive connection that
 * finishes its request afterwards would stay open until its timeout; the sweep closes each as soon
 * as it goes idle.
 */
function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_INTERVAL_MS);
    server.close((error) => {
      clearInterval(sweep);
      if (error) reject(error);
      else resolve();
    });
  });
}
