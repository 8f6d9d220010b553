import type { Logger } from '../log/Logger';
import type { Clock } from '../util/clock';
import { initialOffset } from './followWindow';
import { LogFile } from './LogFile';
import { FatalLogError, tailLog, type FetchLogPage } from './LogTail';

export interface FollowLogOptions {
  /** Any provider's log endpoint adapted to offsets. */
  readonly fetchPage: FetchLogPage;
  /** Where this log's file lives (one folder per followed log). */
  readonly dir: string;
  /** The file in `dir` when the caller has opened it already (a document shows it): the one instance to append to. */
  readonly existing?: LogFile;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** A fresh follow shows this many of the last lines first. */
  readonly initialLines: number;
  /** Oldest lines past this are trimmed. */
  readonly maxLines: number;
  /** Escapes out, secrets redacted: run on every line before it is written. */
  readonly clean: (line: string) => string;
  /** After each batch of lines is on disk (once per page, so a document redraws once per page, not per line). */
  readonly onAppend?: (file: LogFile) => void;
  readonly minIntervalMs?: number;
  readonly maxIntervalMs?: number;
  readonly logger?: Logger;
}

export type FollowOutcome = { readonly kind: 'complete' } | { readonly kind: 'stopped' } | { readonly kind: 'failed'; readonly error: unknown };

/**
 * Follows a log into its file until the log is complete, the signal aborts, or the endpoint fails for good. A folder
 * that already holds the log resumes from the file's offset (after a window reload): no line twice, none missing. A
 * fresh one starts at the last `initialLines` lines, see `locateStart`.
 */
export async function followLog(options: FollowLogOptions): Promise<FollowOutcome> {
  const { signal, maxLines, clean } = options;
  const notify = (file: LogFile) => {
    try {
      options.onAppend?.(file);
    } catch (error) {
      options.logger?.warn('followed log: a listener failed', error);
    }
  };
  let file: LogFile | undefined;
  let pending: string[] = [];
  const flush = async () => {
    if (!file || pending.length === 0) return;
    const batch = pending;
    pending = [];
    await file.append(batch, maxLines);
    notify(file);
  };
  try {
    file = options.existing ?? (await LogFile.open(options.dir));
    if (file?.complete) return { kind: 'complete' };
    if (!file) {
      const start = await locateStart(options.fetchPage, options.initialLines, signal);
      if (signal.aborted) return { kind: 'stopped' };
      file = await LogFile.create(options.dir, start.base);
      pending = start.lines.map(clean);
      await flush();
      notify(file);
      if (start.done) {
        await file.markComplete();
        return { kind: 'complete' };
      }
    }
    // Lines land on disk in the batches the endpoint served: the tail asks for the next page only after handing out every
    // line of the last one, so writing what is pending before each request keeps the file exactly at the tail's offset.
    // A failed write (disk full, no permission) stops the follow rather than being retried like a failed fetch: the
    // batch is gone from memory, and the file — the truth after a reload — resumes right after its last whole line.
    const fetchPage: FetchLogPage = async (offset, pageSignal) => {
      try {
        await flush();
      } catch (error) {
        throw new FatalLogError(`The followed log could not be written: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return options.fetchPage(offset, pageSignal);
    };
    for await (const line of tailLog({ fetchPage, clock: options.clock, signal, startOffset: file.offset, minIntervalMs: options.minIntervalMs, maxIntervalMs: options.maxIntervalMs })) {
      pending.push(clean(line));
    }
    await flush();
    if (signal.aborted) return { kind: 'stopped' };
    await file.markComplete();
    return { kind: 'complete' };
  } catch (error) {
    await flush().catch(() => undefined);
    return signal.aborted ? { kind: 'stopped' } : { kind: 'failed', error };
  }
}

export interface LogStart {
  /** Offset of the first line kept. */
  readonly base: number;
  /** The lines from `base` on that were read while looking. */
  readonly lines: readonly string[];
  readonly done: boolean;
}

/**
 * Where a fresh follow starts. An endpoint that tells its `total` on the first page is asked once more from
 * max(0, total − initialLines) on, never for the lines before. One that does not tell is read through once, keeping
 * only the last `initialLines` lines in memory, until a page brings nothing new: the only way to find the end of a
 * log that does not say how long it is (the lines before the last N are downloaded once, never kept or shown).
 */
export async function locateStart(fetchPage: FetchLogPage, initialLines: number, signal: AbortSignal): Promise<LogStart> {
  const first = await fetchPage(0, signal);
  const firstStart = first.nextOffset - first.lines.length;
  if (typeof first.total === 'number') {
    const base = Math.max(firstStart, initialOffset(first.total, initialLines));
    if (base < first.nextOffset) return { base, lines: first.lines.slice(base - firstStart), done: first.done };
    return { base, lines: [], done: false };
  }
  let ring = initialLines <= 0 ? [] : first.lines.slice(-initialLines);
  let offset = first.nextOffset;
  let done = first.done;
  while (!done && !signal.aborted) {
    const page = await fetchPage(offset, signal);
    const start = page.nextOffset - page.lines.length;
    const fresh = page.nextOffset > offset ? page.lines.slice(Math.max(0, offset - start)) : [];
    done = page.done;
    if (fresh.length === 0) break;
    offset = page.nextOffset;
    ring = initialLines <= 0 ? [] : [...ring, ...fresh].slice(-initialLines);
  }
  return { base: offset - ring.length, lines: ring, done };
}
