/**
 * CPU time per request, read from /proc (Linux), for the server and, when it runs on this machine, the database.
 *
 * Why: on a machine shared by the server, the database and the load generator, requests a second move ±15 % between
 * runs whatever the code, while the CPU a request costs moves a few per cent. It is the measure that shows whether a
 * change made a request cheaper, and what a request would cost on a machine of its own. It includes what the SQL
 * counting hook (sql-count-hook.js) does in the server; BENCH_COUNT_SQL=0 leaves it out.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime: 100 on every Linux this runs on, asked once anyway. */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) the process has used so far; undefined without /proc or once it is gone. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * The MariaDB or MySQL server process when the database URL names this machine (the oldest `mariadbd` or `mysqld`,
 * by `pgrep`); undefined for a remote database or SQLite, which runs inside the server process.
 */
export function localDatabasePid(databaseUrl: string | undefined): number | undefined {
  if (databaseUrl === undefined || databaseUrl.startsWith('sqlite')) return undefined;
  const host = new URL(databaseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return undefined;
  for (const name of ['mariadbd', 'mysqld']) {
    try {
      const pid = Number(execFileSync('pgrep', ['-o', '-x', name], { encoding: 'utf8' }).trim());
      if (pid > 0) return pid;
    } catch {
      // pgrep exits 1 when nothing matches.
    }
  }
  return undefined;
}

export interface CpuPerRequest {
  /** Milliseconds of server CPU per request. */
  server: number;
  /** Milliseconds of database CPU per request; absent when the database is not a local process. */
  database?: number;
  /**
   * Milliseconds of the load generator's CPU per request: this process, which sends the requests (autocannon, or the
   * Entra simulator) on the same cores as the server it measures, so what it spends the server cannot.
   */
  loadGenerator: number;
}

/**
 * Starts counting the CPU of the server, the database and this process; `perRequest(n)` divides what they used since
 * by n requests.
 */
export function cpuMeter(serverPid: number, databasePid: number | undefined): { perRequest(requests: number): CpuPerRequest | undefined } {
  const serverStart = cpuSecondsOf(serverPid);
  const databaseStart = databasePid === undefined ? undefined : cpuSecondsOf(databasePid);
  const loadGeneratorStart = process.cpuUsage();
  return {
    perRequest(requests) {
      const serverEnd = cpuSecondsOf(serverPid);
      if (serverStart === undefined || serverEnd === undefined || requests === 0) return undefined;
      const databaseEnd = databasePid === undefined ? undefined : cpuSecondsOf(databasePid);
      const loadGenerator = process.cpuUsage(loadGeneratorStart);
      const perRequest = (seconds: number) => Math.round((seconds * 1000 * 1000) / requests) / 1000;
      return {
        server: perRequest(serverEnd - serverStart),
        ...(databaseStart !== undefined && databaseEnd !== undefined ? { database: perRequest(databaseEnd - databaseStart) } : {}),
        loadGenerator: perRequest((loadGenerator.user + loadGenerator.system) / 1e6),
      };
    },
  };
}

/** `2.31 + 0.95 (0.40)`: server, then database when measured, then in brackets the load generator. */
export const formatCpu = (cpu: CpuPerRequest): string =>
  `${cpu.server.toFixed(2)}${cpu.database === undefined ? '' : ` + ${cpu.database.toFixed(2)}`} (${cpu.loadGenerator.toFixed(2)})`;

/** The column heading for formatCpu's figures. */
export const CPU_HEADING = 'CPU ms/req: server + database (load generator)';
