import { z } from 'zod';
import type { KeyValueStore } from '../jobs/KeyValueStore';
import type { MetricsOutcome } from './fetchMetrics';

/** Finished jobs' metrics kept in memory; a sweep of 64 variants fits many times over. */
export const MAX_CACHED_METRICS = 2000;
/** Outcomes kept across window reloads, newest first. */
export const MAX_PERSISTED_METRICS = 500;
/** Longer series stay in memory only: global state is read whole when the extension starts. */
export const MAX_PERSISTED_POINTS = 2000;
export const METRICS_CACHE_KEY = 'simcloud.metrics.cache';

const storedOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('found'), file: z.string().max(200), series: z.record(z.string().max(80), z.array(z.number().finite()).max(MAX_PERSISTED_POINTS)) }),
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('unreadable'), file: z.string().max(200), reason: z.string().max(200) }),
]);
const storedEntry = z.tuple([z.string().max(500), z.unknown()]);

/**
 * A finished job's results never change, so its metrics are fetched once: reopening a comparison, a poll that re-sends
 * the same variants, or (with `storage`) a window reload costs no request. A fetch in flight is shared; one that failed
 * is forgotten, so the next look tries again. Keys include the account, since job ids are unique only within one.
 * What is persisted is what the results say (numbers, a file name), never a URL.
 */
export class MetricsCache {
  private readonly entries = new Map<string, Promise<MetricsOutcome>>();

  constructor(
    private readonly storage?: KeyValueStore,
    private readonly limit = MAX_CACHED_METRICS,
    private readonly storageKey = METRICS_CACHE_KEY,
  ) {}

  get(key: string, fetch: () => Promise<MetricsOutcome>): Promise<MetricsOutcome> {
    const known = this.entries.get(key);
    if (known) return known;
    const stored = this.stored(key);
    const pending = stored ? Promise.resolve(stored) : fetch();
    this.entries.set(key, pending);
    pending.then(
      (outcome) => {
        if (!stored) void this.persist(key, outcome);
      },
      () => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
      },
    );
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return pending;
  }

  private persisted(): [string, unknown][] {
    const value = this.storage?.get<unknown>(this.storageKey);
    if (!Array.isArray(value)) return [];
    return value.flatMap((entry) => {
      const parsed = storedEntry.safeParse(entry);
      return parsed.success ? [parsed.data as [string, unknown]] : [];
    });
  }

  /** A persisted outcome that still parses (an older version, or a hand edit, is skipped and fetched again). */
  private stored(key: string): MetricsOutcome | undefined {
    const entry = this.persisted().find(([stored]) => stored === key);
    const parsed = entry && storedOutcome.safeParse(entry[1]);
    return parsed?.success ? parsed.data : undefined;
  }

  private async persist(key: string, outcome: MetricsOutcome): Promise<void> {
    if (!this.storage || !storedOutcome.safeParse(outcome).success) return;
    const next = [[key, outcome], ...this.persisted().filter(([stored]) => stored !== key)].slice(0, MAX_PERSISTED_METRICS);
    await this.storage.update(this.storageKey, next);
  }
}
