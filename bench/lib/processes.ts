/**
 * Everything the benchmarks start, and the discipline for stopping it: children, temporary databases and open
 * connections are registered as they are made and torn down in reverse order on success, on error and on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { http } from './http';

type Teardown = () => Promise<void> | void;
/** Children started, so a failed run can show what they said last. */
const children: { name: string; output(): string }[] = [];
const teardowns: { name: string; run: Teardown }[] = [];

/**
 * Registers how to undo something just started; returns that undo, run at most once, for stopping it earlier than
 * the end (a later teardown then does nothing).
 */
export function onTeardown(name: string, run: Teardown): () => Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => (done ??= Promise.resolve().then(run));
  teardowns.push({ name, run: once });
  return once;
}

export async function teardownAll(): Promise<void> {
  while (teardowns.length > 0) {
    const { name, run } = teardowns.pop()!;
    try {
      await run();
    } catch (error) {
      console.error(`cleanup of ${name} failed: ${(error as Error).message}`);
    }
  }
}

/** Runs `main`, then stops everything it started; Ctrl-C and SIGTERM stop everything too. */
export function runBenchmark(main: () => Promise<number | void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping everything the benchmark started`);
    void teardownAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  main()
    .then((code) => {
      process.exitCode = code ?? 0;
    })
    .catch((error: unknown) => {
      console.error(error);
      for (const child of children) {
        if (child.output().trim()) console.error(`\n--- last output of ${child.name} ---\n${child.output().slice(-4000)}`);
      }
      process.exitCode = 1;
    })
    .finally(() => void teardownAll());
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A child process that is stopped (SIGTERM, then SIGKILL after 5 s) at teardown, and whose stderr is kept for errors. */
export type Child = ChildProcess & { output(): string; stop(): Promise<void> };

export function startChild(name: string, command: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = onTeardown(name, () => stopChild(child));
  children.push({ name, output: () => output });
  return Object.assign(child, { output: () => output, stop });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Polls `url` until it answers 200, failing early when the child dies. */
export async function waitUntilUp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}:\n${child.output()}`);
    try {
      if ((await http(url, { timeoutMs: 5_000 })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Resident memory of a process in MB, from /proc (Linux); undefined where there is no /proc. */
export function residentMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every 250 ms; `max()` is the peak seen so far. */
export function sampleRss(pid: number): { max(): number | undefined; stop(): void } {
  let peak: number | undefined;
  const sample = () => {
    const now = residentMb(pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  };
  sample();
  const timer = setInterval(sample, 250);
  timer.unref();
  return { max: () => peak, stop: () => clearInterval(timer) };
}

/** The newest modification time of the files under a folder that `keep` accepts. */
function newestMtime(path: string, keep: (file: string) => boolean): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return keep(path) ? stat.mtimeMs : 0;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry), keep)), 0);
}

/**
 * Builds the server with `npm run build` unless dist/ is newer than every source file. The compiler is incremental and
 * rewrites only the outputs of changed files, so the newest output is compared, not dist/main.js.
 */
export async function buildIfNeeded(root: string): Promise<void> {
  const main = join(root, 'dist', 'main.js');
  const isSource = (file: string) => file.endsWith('.ts') && !file.endsWith('.spec.ts');
  if (existsSync(main) && newestMtime(join(root, 'dist'), (file) => file.endsWith('.js')) >= newestMtime(join(root, 'src'), isSource))
    return;
  console.log('building the server (npm run build)…');
  await new Promise<void>((resolve, reject) => {
    const build = spawn('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    build.once('error', reject);
    build.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
  });
}
