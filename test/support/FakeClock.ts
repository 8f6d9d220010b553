// A manual clock for unit tests: time moves only when the test says so, and advance() lets every promise that a
// fired timer resolves run before it looks at the next one, so retry loops and limiters step through deterministically.
import type { Clock } from '../../src/core/util/clock';

interface Sleeper {
  readonly due: number;
  readonly id: number;
  readonly resolve: () => void;
}

export class FakeClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private nextId = 0;
  /** Every sleep() duration asked for, in order: lets tests assert on backoff delays. */
  readonly requestedSleeps: number[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.requestedSleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const id = this.nextId++;
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s.id !== id);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push({
        due: this.current + Math.max(0, ms),
        id,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      });
    });
  }

  get pendingTimers(): number {
    return this.sleepers.length;
  }

  /** Moves time forward by `ms`, firing due sleepers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flush();
    for (;;) {
      const next = [...this.sleepers].sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next || next.due > target) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.current = Math.max(this.current, next.due);
      next.resolve();
      await flush();
    }
    this.current = target;
    await flush();
  }
}

/** Lets pending promise continuations (several hops deep) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
