/** Starting the scimmy peer (bench/scimmy-peer.ts) as a child process seeded with the bench users. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, sampleRss, startChild, waitUntilUp, type Child } from './processes';

export interface Peer {
  origin: string;
  token: string;
  child: Child;
  rssMaxMb(): number | undefined;
  stop(): Promise<void>;
}

export async function startPeer(users: number): Promise<Peer> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const child = startChild(
    'scimmy peer',
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--swc', join(__dirname, '..', 'scimmy-peer.ts')],
    { BENCH_PEER_PORT: String(port), BENCH_PEER_USERS: String(users), BENCH_PEER_TOKEN: token },
  );
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${origin}/health`, child, 120_000);
  const rss = sampleRss(child.pid ?? 0);
  return {
    origin,
    token,
    child,
    rssMaxMb: () => rss.max(),
    stop: async () => {
      rss.stop();
      await child.stop();
    },
  };
}
