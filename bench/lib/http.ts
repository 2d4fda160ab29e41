/**
 * One HTTP request, by default on its own connection, for the benchmarks' setup and probes. Not fetch: its pool keeps
 * idle keep-alive sockets, and while the bench's event loop is busy seeding (seconds of synchronous mapping) it cannot
 * notice the server closing them, then reuses a dead one ("other side closed"). A load that keeps the event loop free
 * passes a keep-alive `agent` instead, as the Entra cycle does: node:http costs the client a fraction of fetch's CPU,
 * and the client shares the machine's cores with the server it measures.
 */
import { request as httpRequest, type Agent } from 'node:http';

export interface HttpAnswer {
  status: number;
  text: string;
  ok: boolean;
}

export function http(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number; agent?: Agent } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false, timeout: options.timeoutMs ?? 120_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          resolve({ status, text: Buffer.concat(chunks).toString('utf8'), ok: status >= 200 && status < 300 });
        });
        response.on('error', reject);
      },
    );
    call.on('timeout', () =>
      call.destroy(Object.assign(new Error(`${url}: no answer within ${options.timeoutMs ?? 120_000} ms`), { name: 'TimeoutError' })),
    );
    call.on('error', reject);
    call.end(options.body);
  });
}
