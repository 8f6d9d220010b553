import { setMaxListeners } from 'node:events';
import { LinkedAbortController } from '../util/abort';

/**
 * Runs `task` over `items` with at most `concurrency` at a time. The first failure aborts the signal handed to the
 * other tasks and is what the pool rejects with, once every started task has settled (no work keeps running behind
 * the caller's back).
 */
export async function runPool<T>(items: readonly T[], concurrency: number, signal: AbortSignal, task: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const pool = new LinkedAbortController([signal]);
  // Every task's requests listen on this signal (the HTTP core links one controller per try): eight blocks in flight
  // passed Node's default of 10 and printed a "possible memory leak" warning for listeners that are all removed.
  setMaxListeners(Math.max(10, concurrency * 4), pool.signal);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && !pool.signal.aborted && next < items.length) {
      const item = items[next];
      next += 1;
      try {
        await task(item, pool.signal);
      } catch (error) {
        failure ??= { error };
        pool.abort(error);
      }
    }
  };
  try {
    const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, () => worker());
    await Promise.all(workers);
    if (failure) throw failure.error;
    signal.throwIfAborted();
  } finally {
    pool.dispose();
  }
}
