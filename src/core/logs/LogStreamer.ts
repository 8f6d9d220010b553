import type { Logger } from '../log/Logger';
import type { Clock } from '../util/clock';
import { tailLog, type FetchLogPage } from './LogTail';

/** Where a job's streamed log lines go (an output channel in the extension, an array in a test). */
export interface LogLineSink {
  /** Lines exactly as the provider printed them, in order, each once. */
  appendLines(lines: readonly string[]): void;
  /** The stream ended: the log is complete, it failed for good, or it was stopped. */
  ended?(outcome: LogStreamOutcome): void;
}

export type LogStreamOutcome = { readonly kind: 'complete'; readonly lines: number } | { readonly kind: 'stopped'; readonly lines: number } | { readonly kind: 'failed'; readonly lines: number; readonly error: unknown };

export interface LogStreamRequest {
  /** One stream per key (a job id): a second start for a key that is streaming is a no-op. */
  readonly key: string;
  readonly fetchPage: FetchLogPage;
  readonly sink: LogLineSink;
  /** Stops the stream (sign-out of the account the job belongs to). */
  readonly signal?: AbortSignal;
  /**
   * Offset of the first line wanted. Default: where this key's last stream stopped (so a stream restarted into the same
   * sink neither repeats nor skips a line), or 0 the first time.
   */
  readonly startOffset?: number;
}

export interface LogStreamerOptions {
  readonly clock: Clock;
  readonly minIntervalMs?: number;
  readonly maxIntervalMs?: number;
  readonly maxConsecutiveFailures?: number;
  readonly logger?: Logger;
}

interface Running {
  readonly abort: AbortController;
  readonly done: Promise<LogStreamOutcome>;
}

/**
 * Streams provider logs into sinks, one tail per job: lines go to the sink as `tailLog` yields them (every line once,
 * in order, retried from the same offset after a failure), the stream stops by itself when the log is complete, and
 * `stop`/`dispose`/the request's signal end it early. It remembers how far each key got, so starting the same key
 * again resumes there instead of replaying the log into a sink that already shows it.
 */
export class LogStreamer {
  private readonly running = new Map<string, Running>();
  private readonly offsets = new Map<string, number>();
  private disposed = false;

  constructor(private readonly options: LogStreamerOptions) {}

  isStreaming(key: string): boolean {
    return this.running.has(key);
  }

  /** Lines delivered for the key so far (the offset the next stream for it starts from). */
  delivered(key: string): number {
    return this.offsets.get(key) ?? 0;
  }

  /** Starts streaming unless the key already streams; resolves with how the stream (the new or the running one) ended. */
  start(request: LogStreamRequest): Promise<LogStreamOutcome> {
    const current = this.running.get(request.key);
    if (current) return current.done;
    if (this.disposed || request.signal?.aborted) return Promise.resolve({ kind: 'stopped', lines: 0 });
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const done = this.run(request, abort.signal).finally(() => {
      request.signal?.removeEventListener('abort', onOuterAbort);
      if (this.running.get(request.key)?.abort === abort) this.running.delete(request.key);
    });
    this.running.set(request.key, { abort, done });
    return done;
  }

  /** Stops the key's stream (it ends as `stopped`); its offset is kept for a later start. */
  stop(key: string): void {
    this.running.get(key)?.abort.abort();
  }

  /** Stops the key's stream and forgets its offset: the sink that showed it is gone, a new one starts from 0. */
  forget(key: string): void {
    this.stop(key);
    this.offsets.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    for (const running of this.running.values()) running.abort.abort();
  }

  private async run(request: LogStreamRequest, signal: AbortSignal): Promise<LogStreamOutcome> {
    const { key, sink, fetchPage } = request;
    const start = Math.max(0, request.startOffset ?? this.offsets.get(key) ?? 0);
    let offset = start;
    let outcome: LogStreamOutcome;
    try {
      const lines = tailLog({
        fetchPage,
        clock: this.options.clock,
        signal,
        startOffset: start,
        minIntervalMs: this.options.minIntervalMs,
        maxIntervalMs: this.options.maxIntervalMs,
        maxConsecutiveFailures: this.options.maxConsecutiveFailures,
        onRetry: (error, waitMs) => this.options.logger?.debug(`log stream ${key}: retrying in ${waitMs} ms after`, error),
      });
      // One sink call per line keeps the offset exact: what the sink got is what the next start skips.
      for await (const line of lines) {
        sink.appendLines([line]);
        offset += 1;
        this.offsets.set(key, offset);
      }
      outcome = signal.aborted ? { kind: 'stopped', lines: offset - start } : { kind: 'complete', lines: offset - start };
    } catch (error) {
      outcome = signal.aborted ? { kind: 'stopped', lines: offset - start } : { kind: 'failed', lines: offset - start, error };
      if (outcome.kind === 'failed') this.options.logger?.warn(`log stream ${key} stopped after ${offset} lines`, error);
    }
    try {
      sink.ended?.(outcome);
    } catch (error) {
      this.options.logger?.warn(`log stream ${key}: the sink failed on end`, error);
    }
    return outcome;
  }
}
