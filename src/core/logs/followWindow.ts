/**
 * The arithmetic of a followed log: where the first look starts, and how many of the oldest kept lines go when the
 * document grows past its limit. Offsets count lines of the provider's log.
 */

/** First offset to read so the document opens on the last `initialLines` lines of a log of `total` lines. */
export function initialOffset(total: number, initialLines: number): number {
  return Math.max(0, Math.floor(total) - Math.max(0, Math.floor(initialLines)));
}

/**
 * How many of the oldest lines to drop when `kept` lines are held and at most `maxLines` may be. Trimming goes down to
 * 90 % of the limit, not to the limit itself, so a busy log rewrites its file once per tenth of the limit instead of
 * on every page.
 */
export function linesToTrim(kept: number, maxLines: number): number {
  const limit = Math.max(1, Math.floor(maxLines));
  if (kept <= limit) return 0;
  return kept - Math.max(1, Math.floor(limit * 0.9));
}

/** The offset to resume from: the first line not on disk. The file is the truth: `base` plus the lines it holds. */
export function resumeOffset(base: number, keptLines: number): number {
  return base + keptLines;
}

/** Settings read from the user, made safe: whole numbers in range, with the defaults when unset or nonsense. */
export function followLimits(initialLines: unknown, maxLines: unknown): { initialLines: number; maxLines: number } {
  const max = wholeIn(maxLines, 100, 10_000_000, 50_000);
  return { initialLines: Math.min(max, wholeIn(initialLines, 0, 10_000_000, 1_000)), maxLines: max };
}

function wholeIn(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}
