import type { ThrottlerStorage } from '@nestjs/throttler';

/** What the guard reads back (the package does not export the type by name). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often keys whose bucket has filled up again are forgotten. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * A key's bucket, in integers so that no rounding lets a call too many through: `owed` is what the
 * calls since the bucket was last full still cost, in milliseconds × limit (a call costs `ttl`, time
 * pays back `limit` a millisecond, a full burst owes ttl × limit).
 */
interface Bucket {
  owed: number;
  at: number;
  /** When the bucket is full again, for the sweep. */
  fullAt: number;
}

/**
 * The SCIM rate limit's counters, as a token bucket: an organisation may spend `limit` calls at once
 * (SCIM_RATE_LIMIT_BURST) and earns them back one every `ttl / limit` milliseconds
 * (SCIM_RATE_LIMIT_PER_SECOND), so a call costs the same whatever the budget.
 *
 * @nestjs/throttler's own storage keeps every call's expiry in an array and filters that array on
 * each call: at 500 calls a second in a 10-second window, each call copied 5,000 numbers. Its guard
 * (the headers and the 429) is kept; only the counting is ours. A refused call takes nothing from
 * the bucket and is answered with the wait until the next call is earned (`Retry-After`, at least
 * 1 s). There is no further lock-out: a client that goes over gets calls back at the rate.
 */
export class TokenBucketStorage implements ThrottlerStorage {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key);
    // Time since the last call pays back (at most a full bucket's worth; never negative if the clock steps back).
    const paidBack = bucket ? Math.min(Math.max(now - bucket.at, 0), ttl) * limit : 0;
    const owed = Math.max((bucket?.owed ?? 0) - paidBack, 0) + ttl;
    const capacity = ttl * limit;
    if (owed > capacity) {
      return Promise.resolve({
        totalHits: limit + 1,
        timeToExpire: Math.ceil((owed - ttl) / limit / 1000),
        isBlocked: true,
        timeToBlockExpire: Math.max(1, Math.ceil((owed - capacity) / limit / 1000)),
      });
    }
    this.buckets.set(key, { owed, at: now, fullAt: now + owed / limit });
    const remaining = Math.floor((capacity - owed) / ttl);
    return Promise.resolve({
      totalHits: limit - remaining,
      timeToExpire: Math.ceil(owed / limit / 1000),
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (bucket.fullAt <= now) this.buckets.delete(key);
  }
}
