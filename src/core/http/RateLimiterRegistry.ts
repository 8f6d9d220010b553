import type { Clock } from '../util/clock';
import { RateLimiter, type RateLimiterOptions } from './RateLimiter';

/**
 * One bucket per credential, shared by every client, poller and command that uses it: the provider counts requests
 * per key, so two clients with their own buckets would together send twice the budget.
 */
export class RateLimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(private readonly clock: Clock) {}

  /**
   * The limiter for `credentialId`, created on first use. A later call with another rate applies it (the setting
   * changed), so the newest configuration wins for everyone sharing the key.
   */
  forCredential(credentialId: string, options: RateLimiterOptions): RateLimiter {
    const existing = this.limiters.get(credentialId);
    if (!existing) {
      const limiter = new RateLimiter(this.clock, options);
      this.limiters.set(credentialId, limiter);
      return limiter;
    }
    const burst = options.burst ?? existing.burst;
    if (existing.ratePerMinute !== options.ratePerMinute || existing.burst !== burst) existing.setRate(options.ratePerMinute, burst);
    return existing;
  }

  get(credentialId: string): RateLimiter | undefined {
    return this.limiters.get(credentialId);
  }

  /** Changes the rate of an existing bucket; returns false when no client has used this credential yet. */
  setRate(credentialId: string, ratePerMinute: number): boolean {
    const limiter = this.limiters.get(credentialId);
    limiter?.setRate(ratePerMinute);
    return limiter !== undefined;
  }

  /** Forgets a credential's bucket (signed out). */
  delete(credentialId: string): void {
    this.limiters.delete(credentialId);
  }
}
