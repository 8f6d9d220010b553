// Per-key token buckets on the virtual clock: "60 requests per minute per API key" is a bucket of 60 that refills
// one token a second, so a burst of 60 passes and the 61st waits about a second. Providers create one per budget.
import type { VirtualClock } from '../clock/VirtualClock';

export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
}

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: VirtualClock,
    readonly options: TokenBucketOptions,
  ) {
    if (!(options.capacity > 0) || !(options.refillPerSecond > 0)) throw new RangeError('capacity and refillPerSecond must be > 0');
  }

  /** Takes one token for `key`; when none is left, says how many whole seconds until one is (the Retry-After). */
  take(key: string): TakeResult {
    const bucket = this.refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, remaining: Math.floor(bucket.tokens) };
    }
    const seconds = (1 - bucket.tokens) / this.options.refillPerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
  }

  reset(key?: string): void {
    if (key === undefined) this.buckets.clear();
    else this.buckets.delete(key);
  }

  private refill(key: string): Bucket {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.capacity, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + elapsedSeconds * this.options.refillPerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
