import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

const pathDirectories = (): string[] => (process.env.PATH ?? '').split(delimiter).filter(Boolean);

const executableIn = (directories: readonly string[], name: string): string | undefined =>
  directories.map((directory) => join(directory, name)).find((path) => spawnSync('test', ['-x', path]).status === 0);

/** The programs of `names` that are not on PATH (empty when all are there). */
export function missingPrograms(names: readonly string[]): string[] {
  const directories = pathDirectories();
  return names.filter((name) => executableIn(directories, name) === undefined);
}

/**
 * Where a daemon is installed: on PATH, or in /usr/sbin or /sbin, where Debian puts daemons (nginx) that a
 * non-root PATH leaves out. Undefined when it is not installed.
 */
export const findDaemon = (name: string): string | undefined => executableIn([...pathDirectories(), '/usr/sbin', '/sbin'], name);

/** A port nobody listens on right now, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
