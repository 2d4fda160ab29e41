import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, missingPrograms } from './local-machine';

const BINARIES = ['mariadb-install-db', 'mariadbd', 'mariadb-admin', 'mariadb'] as const;

/** The MariaDB binaries this harness needs that are not on PATH (empty when it can run). */
export const missingMariaDbBinaries = (): string[] => missingPrograms(BINARIES);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A private mariadbd in a temporary directory, on loopback and a free port, so a test can stop and start a real
 * database server without disturbing the MariaDB the rest of the suite uses. The commands are those of .ci/run, with
 * --no-defaults so the machine's my.cnf cannot change the port, socket or data directory.
 */
export class MariaDbServer {
  private process: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly directory: string,
    readonly port: number,
  ) {}

  private get socket(): string {
    return join(this.directory, 'mysqld.sock');
  }

  /** The app's database URL on this server: the `booking` user on the `booking` database, over TCP like production. */
  get url(): string {
    return `mariadb://booking:booking@127.0.0.1:${this.port}/booking`;
  }

  /** Creates the data directory, starts the server and adds the `booking` user and database. */
  static async create(): Promise<MariaDbServer> {
    const server = new MariaDbServer(mkdtempSync(join(tmpdir(), 'booking-mariadb-')), await freePort());
    const installed = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--user=${userInfo().username}`,
        `--datadir=${join(server.directory, 'data')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { encoding: 'utf8' },
    );
    if (installed.status !== 0) throw new Error(`mariadb-install-db failed:\n${installed.stdout}\n${installed.stderr}`);
    await server.start();
    server.rootSql(`
      CREATE DATABASE booking CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
      CREATE USER 'booking'@'127.0.0.1' IDENTIFIED BY 'booking';
      GRANT ALL ON booking.* TO 'booking'@'127.0.0.1';`);
    return server;
  }

  /** Starts mariadbd on the same data directory and port, and waits until it answers. */
  async start(): Promise<void> {
    if (this.process) throw new Error('mariadbd is already running');
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--user=${userInfo().username}`,
        `--datadir=${join(this.directory, 'data')}`,
        `--socket=${this.socket}`,
        `--pid-file=${join(this.directory, 'mysqld.pid')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        // Small enough for a throwaway server on a shared CI machine.
        '--innodb-buffer-pool-size=32M',
        `--log-error=${join(this.directory, 'error.log')}`,
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });

    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (!this.process) throw new Error(`mariadbd exited while starting:\n${this.errorLog()}`);
      if (spawnSync('mariadb-admin', ['--no-defaults', `--socket=${this.socket}`, '-uroot', 'ping']).status === 0) return;
      await sleep(100);
    }
    throw new Error(`mariadbd did not answer within 30 s:\n${this.errorLog()}`);
  }

  /**
   * Stops mariadbd and waits until the process has exited. SIGTERM is an orderly shutdown (what systemd does on
   * `systemctl stop`); SIGKILL is a crash: connections drop with no goodbye.
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.process;
    if (!child) return;
    child.kill(signal);
    await this.exited;
  }

  /**
   * Freezes mariadbd (SIGSTOP) until thaw(): its connections stay open and the kernel still accepts new ones, but
   * nothing answers. That is what a hung server, or a database host cut off by a network partition, looks like to
   * the app.
   */
  freeze(): void {
    this.process?.kill('SIGSTOP');
  }

  thaw(): void {
    this.process?.kill('SIGCONT');
  }

  get isRunning(): boolean {
    return this.process !== undefined;
  }

  /** Stops the server and removes its data directory. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.directory, { recursive: true, force: true });
  }

  private rootSql(sql: string): void {
    const result = spawnSync('mariadb', ['--no-defaults', `--socket=${this.socket}`, '-uroot', '-e', sql], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`SQL as root failed: ${result.stderr}`);
  }

  private errorLog(): string {
    try {
      return readFileSync(join(this.directory, 'error.log'), 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no error log)';
    }
  }
}
