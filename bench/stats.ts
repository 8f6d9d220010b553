// Median and spread of repeated timings, and the alternating runner: subjects take turns (A B A B …) so a slow
// moment of the machine (page cache, a CPU-hungry neighbour) lands on both, not on whichever ran second.

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max − min) / median, as a fraction: 0.08 prints as "±4 %" of spread around the median. */
  readonly spread: number;
  readonly samples: readonly number[];
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summarize() needs at least one sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  return { median, min, max, spread: median > 0 ? (max - min) / median : 0, samples };
}

/** Runs each subject `repetitions` times, in turns, and returns each subject's results in its own list. */
export async function alternate<K extends string, T>(repetitions: number, subjects: Record<K, () => Promise<T>>): Promise<Record<K, T[]>> {
  const keys = Object.keys(subjects) as K[];
  const results = Object.fromEntries(keys.map((key) => [key, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < repetitions; round += 1) {
    // Rotate who goes first each round as well.
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[(i + round) % keys.length];
      results[key].push(await subjects[key]());
    }
  }
  return results;
}

export const formatMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
export const formatBytes = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
export const formatRate = (bytes: number, ms: number): string => `${(bytes / 1024 ** 2 / (ms / 1000)).toFixed(0)} MiB/s`;
export const formatSpread = (summary: Summary): string => `±${Math.round((summary.spread / 2) * 100)} %`;
