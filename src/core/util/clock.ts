/**
 * Time as the HTTP core sees it. Every wait (backoff, Retry-After, rate limiting, deadlines) goes through an injected
 * Clock so tests can run minutes of retries on a virtual clock in milliseconds. The sandbox's VirtualClock has the
 * same shape, so it can be passed straight in.
 */
export interface Clock {
  /** Epoch milliseconds. Retry-After HTTP-dates are compared against this, not Date.now(). */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when the signal aborts (and leaves no timer behind). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Node turns a setTimeout above 2^31-1 ms into 1 ms, which makes a huge Retry-After a tight retry loop. Every delay
 * the core computes is capped at this, and the system clock sleeps longer waits in slices.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      let remaining = Number.isFinite(ms) && ms > 0 ? ms : 0;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const arm = () => {
        const slice = Math.min(remaining, MAX_TIMEOUT_MS);
        remaining -= slice;
        timer = setTimeout(() => {
          if (remaining > 0) return arm();
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, slice);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      arm();
    });
  },
};
