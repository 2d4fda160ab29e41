import { createServer, type Server, type Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source';
import { isDatabaseUnavailable } from './db-errors';

/**
 * A database host that accepts TCP connections and then says nothing, as a frozen server or a half-dead network
 * path does (a refused port fails at once; this is the case that can hang). Requests that need a new connection
 * must give up within the connect timeout, as "database unavailable" (503), not wait on the operating system.
 */
describe('MariaDB connection settings', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let port: number;

  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up on a server that never answers the handshake within 2 s, as the database being unavailable', async () => {
    const url = `mariadb://booking:booking@127.0.0.1:${port}/booking`;
    const dataSource = new DataSource(buildDataSourceOptions({ kind: 'mysql', flavour: 'mariadb', url, database: 'booking' }));
    const started = Date.now();
    const failure = await dataSource.initialize().then(
      () => undefined,
      (error: unknown) => error,
    );
    const elapsed = Date.now() - started;
    expect(failure).toBeDefined();
    expect(isDatabaseUnavailable(failure)).toBe(true);
    expect(elapsed).toBeLessThan(3_000); // 2 s and some slack for a busy CI machine; it was 5 s before
    expect(sockets.length).toBeGreaterThan(0); // it did reach the silent server, so the timeout is what ended it
  });
});
