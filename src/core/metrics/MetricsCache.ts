import type { MetricsOutcome } from './fetchMetrics';

/** Finished jobs' metrics kept; a sweep of 64 variants fits many times over. */
export const MAX_CACHED_METRICS = 2000;

/**
 * A finished job's results never change, so its metrics are fetched once per window: reopening a comparison, or a poll
 * that re-sends the same variants, costs no request. A fetch in flight is shared; one that failed is forgotten, so
 * the next look tries again. Keys include the account, since job ids are unique only within one.
 */
export class MetricsCache {
  private readonly entries = new Map<string, Promise<MetricsOutcome>>();

  constructor(private readonly limit = MAX_CACHED_METRICS) {}

  get(key: string, fetch: () => Promise<MetricsOutcome>): Promise<MetricsOutcome> {
    const known = this.entries.get(key);
    if (known) return known;
    const pending = fetch();
    this.entries.set(key, pending);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return pending;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
