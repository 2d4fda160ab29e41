import { TokenBucketStorage } from './token-bucket.storage';

/** The throttler's view of 10 calls a second with a burst of 10, as scim.module.ts derives it: 10 calls per 1,000 ms. */
const TTL = 1000;
const LIMIT = 10;

describe('TokenBucketStorage', () => {
  let now: number;
  let storage: TokenBucketStorage;
  const call = (key = 'org-a', ttl = TTL, limit = LIMIT) => storage.increment(key, ttl, limit);
  const calls = async (count: number, key?: string) => {
    const records = [];
    for (let index = 0; index < count; index += 1) records.push(await call(key));
    return records;
  };

  beforeEach(() => {
    now = 1_800_000_000_000;
    storage = new TokenBucketStorage(() => now);
  });

  it('lets a full burst through at once, counting down what remains, then refuses', async () => {
    const burst = await calls(LIMIT);
    expect(burst.map((record) => record.isBlocked)).toEqual(Array.from({ length: LIMIT }, () => false));
    // The guard's Remaining header is limit - totalHits: 9, 8, … 0.
    expect(burst.map((record) => LIMIT - record.totalHits)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const refused = await call();
    expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    expect(refused.totalHits).toBeGreaterThan(LIMIT);
  });

  it('earns calls back at the rate, one every ttl / limit milliseconds, and never more than the burst', async () => {
    await calls(LIMIT);
    now += 99;
    expect((await call()).isBlocked).toBe(true);
    now += 1;
    expect((await call()).isBlocked).toBe(false);
    expect((await call()).isBlocked).toBe(true);

    now += 300;
    expect((await calls(3)).every((record) => !record.isBlocked)).toBe(true);
    expect((await call()).isBlocked).toBe(true);

    // A long quiet spell fills the bucket, and no further.
    now += 60_000;
    const afterRest = await calls(LIMIT + 1);
    expect(afterRest.filter((record) => !record.isBlocked)).toHaveLength(LIMIT);
  });

  it('does not charge refused calls: a client that keeps knocking is not locked out longer', async () => {
    await calls(LIMIT);
    for (let knock = 0; knock < 50; knock += 1) expect((await call()).isBlocked).toBe(true);
    now += 100;
    expect((await call()).isBlocked).toBe(false);
  });

  it('says how long to wait in whole seconds, at least one', async () => {
    // 2 calls a second with a burst of 10: 500 ms per call.
    for (let index = 0; index < 10; index += 1) await call('slow', 5000, 10);
    expect(await call('slow', 5000, 10)).toMatchObject({ isBlocked: true, timeToBlockExpire: 1, timeToExpire: 5 });
    // 1 call every 4 seconds: the next one is 4 s away.
    await call('rare', 4000, 1);
    expect(await call('rare', 4000, 1)).toMatchObject({ isBlocked: true, timeToBlockExpire: 4 });
  });

  it('keeps one bucket per key', async () => {
    await calls(LIMIT, 'org-a');
    expect((await call('org-a')).isBlocked).toBe(true);
    expect((await call('org-b')).isBlocked).toBe(false);
  });

  it('holds when the rate does not divide the window evenly', async () => {
    // 30 a second with a burst of 100: scim.module.ts rounds the window up to 3,334 ms.
    const records = [];
    for (let index = 0; index < 101; index += 1) records.push(await call('uneven', 3334, 100));
    expect(records.filter((record) => !record.isBlocked)).toHaveLength(100);
    expect(records[99].totalHits).toBe(100);
  });

  it('forgets keys whose bucket is full again, once a minute', async () => {
    await call('gone');
    now += 61_000;
    await call('fresh');
    const buckets = (storage as unknown as { buckets: Map<string, unknown> }).buckets;
    expect([...buckets.keys()]).toEqual(['fresh']);
  });
});
