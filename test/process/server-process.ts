import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../e2e/harness/local-machine';

const ROOT = join(__dirname, '..', '..');
/** ts-node's own entry point, run with this node: the child is the server itself, so signals reach it. */
const TS_NODE = require.resolve('ts-node/dist/bin.js');
const run = promisify(execFile);

export interface ServerProcess {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves when a stdout line matches, rejects after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Resolves with how the process ended; rejects if it is still running after `timeoutMs`. */
  waitForExit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
  /** SIGKILL if it is still running: for afterAll, so no test leaves a server behind. */
  kill(): void;
}

/**
 * Starts `src/main.ts` as a real child process, exactly as `npm start` runs the app (through
 * ts-node --swc, so no build is needed), and waits until /health answers.
 */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [TS_NODE, '--swc', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const startedAt = Date.now();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, afterMs: Date.now() - startedAt })),
  );
  let exitedAt: number | undefined;
  void exited.then(() => (exitedAt = Date.now()));

  const server: ServerProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitForOutput(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (Date.now() > deadline) throw new Error(`no output matching ${pattern} within ${timeoutMs} ms\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async waitForExit(timeoutMs) {
      const signalledAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`the server was still running ${timeoutMs} ms later\n${stdout}\n${stderr}`)), timeoutMs);
      });
      try {
        const result = await Promise.race([exited, timeout]);
        return { ...result, afterMs: (exitedAt ?? Date.now()) - signalledAt };
      } finally {
        clearTimeout(timer);
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitedAt !== undefined) throw new Error(`the server exited during start-up\n${stdout}\n${stderr}`);
    try {
      if ((await fetch(`${server.baseUrl}/health`)).ok) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      server.kill();
      throw new Error(`the server did not answer /health within 60 s\n${stdout}\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The real admin CLI, as a user runs it: `npm run --silent cli -- …`; returns its one JSON object. */
export async function runCli(databaseUrl: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('npm', ['run', '--silent', 'cli', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}
