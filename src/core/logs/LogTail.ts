import { ApiError } from '../http/ApiError';
import { abortReason, MAX_TIMEOUT_MS, type Clock } from '../util/clock';

/**
 * One page of a provider's log, as its log endpoint returned it for a request at `offset`.
 *
 * Offsets count lines: the page holds the lines at offsets [nextOffset - lines.length, nextOffset). A server that
 * answers a retried request with a page starting before the requested offset (an overlapping retry) is fine: lines
 * below the offset already yielded are dropped by offset, never by content (two identical log lines are two lines).
 */
export interface LogPage {
  readonly lines: readonly string[];
  /** Offset of the line after the last one in this page; where the next request starts. */
  readonly nextOffset: number;
  /** The log is complete (the job ended and every line was served): tailing stops after this page. */
  readonly done: boolean;
  /** Lines the log holds in all, when the endpoint says: lets a follower start at the last N lines without reading the rest. */
  readonly total?: number;
}

/** A provider's log endpoint adapted to offsets; must honour the signal. */
export type FetchLogPage = (offset: number, signal: AbortSignal) => Promise<LogPage>;

export interface LogTailOptions {
  readonly fetchPage: FetchLogPage;
  readonly clock: Clock;
  /** Aborting ends the iteration quietly (no error) with no request and no timer left behind. */
  readonly signal?: AbortSignal;
  /** Offset of the first line wanted (default 0: the whole log). */
  readonly startOffset?: number;
  /** First wait after a page with nothing new (default 1 s); doubles on each quiet page up to maxIntervalMs. */
  readonly minIntervalMs?: number;
  /** Longest wait between polls (default 30 s). */
  readonly maxIntervalMs?: number;
  /** Failed fetches in a row before the tail gives up and throws the last error (default 8). */
  readonly maxConsecutiveFailures?: number;
  /** Told about each failure the tail will retry, with the wait before the retry. */
  readonly onRetry?: (error: unknown, waitMs: number) => void;
}

export const DEFAULT_LOG_MIN_INTERVAL_MS = 1_000;
export const DEFAULT_LOG_MAX_INTERVAL_MS = 30_000;
export const DEFAULT_LOG_MAX_FAILURES = 8;

/**
 * Tails a log: yields every line exactly once, in order, polling with backoff while nothing new arrives, resuming from
 * the last offset after a failed request, and stopping after a page that says `done`.
 *
 * - Errors an ApiError marks as not retryable (401, 403, 404, 422...) end the tail at once by throwing; other failures
 *   (resets, 5xx, timeouts, invalid bodies) are retried from the same offset with backoff, up to maxConsecutiveFailures.
 * - A page that reaches back before the current offset has its already-yielded lines dropped; a page whose nextOffset
 *   is behind the current offset yields nothing.
 * - Every wait is one clock.sleep with the signal, and nothing runs while the consumer holds a line, so breaking out of
 *   the loop or aborting leaves no timer.
 */
export async function* tailLog(options: LogTailOptions): AsyncGenerator<string, void, undefined> {
  const { fetchPage, clock, signal } = options;
  const minMs = Math.max(0, options.minIntervalMs ?? DEFAULT_LOG_MIN_INTERVAL_MS);
  const maxMs = Math.max(minMs, options.maxIntervalMs ?? DEFAULT_LOG_MAX_INTERVAL_MS);
  const maxFailures = Math.max(1, options.maxConsecutiveFailures ?? DEFAULT_LOG_MAX_FAILURES);
  const internal = new AbortController();
  const onAbort = () => internal.abort(abortReason(signal as AbortSignal));
  if (signal?.aborted) return;
  signal?.addEventListener('abort', onAbort, { once: true });
  let offset = Math.max(0, options.startOffset ?? 0);
  let quiet = 0;
  let failures = 0;
  try {
    while (!internal.signal.aborted) {
      let page: LogPage;
      try {
        page = await fetchPage(offset, internal.signal);
        checkPage(page);
      } catch (error) {
        if (internal.signal.aborted) return;
        failures += 1;
        if (failures >= maxFailures || !isRetryable(error)) throw error;
        const retryAfter = ApiError.is(error) ? (error.retryAfterMs ?? 0) : 0;
        const waitMs = Math.min(MAX_TIMEOUT_MS, Math.max(backoff(minMs, maxMs, failures - 1), retryAfter));
        options.onRetry?.(error, waitMs);
        if (!(await sleep(clock, waitMs, internal.signal))) return;
        continue;
      }
      failures = 0;
      const start = page.nextOffset - page.lines.length;
      const fresh = page.nextOffset > offset ? page.lines.slice(Math.max(0, offset - start)) : [];
      if (page.nextOffset > offset) offset = page.nextOffset;
      for (const line of fresh) {
        if (internal.signal.aborted) return;
        yield line;
      }
      if (page.done) return;
      if (fresh.length > 0) {
        // Still catching up: ask again at once, and start the quiet backoff afresh.
        quiet = 0;
        continue;
      }
      const waitMs = backoff(minMs, maxMs, quiet);
      quiet += 1;
      if (!(await sleep(clock, waitMs, internal.signal))) return;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that breaks out mid-request (it cannot, the generator is suspended only at yield) or a return from
    // inside a wait: abort anything still pending on the internal signal.
    internal.abort();
  }
}

function backoff(minMs: number, maxMs: number, streak: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(streak, 40));
}

async function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return !signal.aborted;
  } catch {
    return false;
  }
}

/** Thrown from a FetchLogPage when asking again cannot help (the lines could not be stored): the tail stops with it. */
export class FatalLogError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FatalLogError';
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof FatalLogError) return false;
  if (ApiError.is(error)) return error.retryable || error.kind === 'network' || error.kind === 'timeout' || error.kind === 'invalid-response';
  return true;
}

function checkPage(page: LogPage): void {
  if (!page || !Array.isArray(page.lines) || !Number.isSafeInteger(page.nextOffset) || page.nextOffset < page.lines.length) {
    throw new TypeError('Log page is malformed: expected lines[] and an integer nextOffset at least as large as the number of lines');
  }
}
