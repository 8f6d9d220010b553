import type { Clock } from '../util/clock';

export interface RateLimiterOptions {
  /** Sustained rate; the provider's documented budget (Simulacrum: 60 requests per minute per API key). */
  ratePerMinute: number;
  /**
   * Requests that may go at once after a quiet spell. Small on purpose: with 5, 120 calls at 60/min take about
   * (120 − 5) seconds and never run into the server's own limit, whatever its burst allowance is. Default 5.
   */
  burst?: number;
}

export const DEFAULT_BURST = 5;

const WINDOW_MS = 60_000;

/**
 * A token bucket on the injected Clock. Each acquire() reserves the next token, possibly one that will only exist
 * in the future, and sleeps until then: callers are served in arrival order and the rate holds no matter how many
 * wait. A reservation given up by an aborted caller is handed back.
 *
 * The bucket alone lets a burst plus a minute's refill through in one minute (65 at 60/min with a burst of 5: the
 * chaos run measured 64). "60 requests per minute" read strictly means no 60-second window holds more than 60, so
 * every reservation is also kept a minute after the reservation `ratePerMinute` places before it.
 */
export class RateLimiter {
  private tokens: number;
  private updatedAt: number;
  private rate: number;
  private capacity: number;
  /** Set from a 429's Retry-After: the server says the budget is spent until then, whatever our bucket thinks. */
  private heldUntil = 0;
  /** The send times of the last `ratePerMinute` reservations, ascending (reservations never go back in time). */
  private readonly reserved: number[] = [];

  constructor(
    private readonly clock: Clock,
    options: RateLimiterOptions,
  ) {
    this.rate = checkRate(options.ratePerMinute);
    this.capacity = checkBurst(options.burst ?? DEFAULT_BURST);
    this.tokens = this.capacity;
    this.updatedAt = clock.now();
  }

  get ratePerMinute(): number {
    return this.rate;
  }

  get burst(): number {
    return this.capacity;
  }

  /**
   * Changes the rate (the user edited the setting) from now on. Time already elapsed refills at the old rate;
   * callers already waiting keep their reserved times.
   */
  setRate(ratePerMinute: number, burst: number = this.capacity): void {
    this.refill();
    this.rate = checkRate(ratePerMinute);
    this.capacity = checkBurst(burst);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Waits until a request may be sent. Rejects with the signal's reason when aborted, returning the reservation. */
  async acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const waitMs = this.reserve();
    if (waitMs <= 0) return;
    try {
      await this.clock.sleep(waitMs, signal);
    } catch (error) {
      this.refill();
      this.tokens = Math.min(this.capacity, this.tokens + 1);
      throw error;
    }
  }

  /**
   * After a 429 with Retry-After: the server's bucket is empty, so ours is emptied too and nobody sharing this
   * credential sends before `time` (epoch ms on the Clock). The bucket keeps refilling meanwhile, as the server's does.
   */
  holdUntil(time: number): void {
    this.refill();
    this.heldUntil = Math.max(this.heldUntil, time);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** How long an acquire() now would wait, without reserving anything (for status displays and tests). */
  pendingDelayMs(): number {
    this.refill();
    return Math.max(this.heldUntil - this.clock.now(), this.tokens >= 1 ? 0 : ((1 - this.tokens) * 60_000) / this.rate, 0);
  }

  private reserve(): number {
    this.refill();
    this.tokens -= 1;
    const now = this.clock.now();
    const untilToken = this.tokens >= 0 ? 0 : (-this.tokens * 60_000) / this.rate;
    let at = now + Math.max(untilToken, this.heldUntil - now, 0);
    const perWindow = Math.max(1, Math.floor(this.rate));
    if (this.reserved.length >= perWindow) at = Math.max(at, this.reserved[this.reserved.length - perWindow] + WINDOW_MS);
    this.reserved.push(at);
    if (this.reserved.length > perWindow) this.reserved.splice(0, this.reserved.length - perWindow);
    return at - now;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.rate) / 60_000);
    this.updatedAt = now;
  }
}

function checkRate(ratePerMinute: number): number {
  if (!Number.isFinite(ratePerMinute) || ratePerMinute <= 0) throw new RangeError(`ratePerMinute must be a positive number, got ${ratePerMinute}`);
  return ratePerMinute;
}

function checkBurst(burst: number): number {
  if (!Number.isFinite(burst) || burst < 1) throw new RangeError(`burst must be at least 1, got ${burst}`);
  return Math.floor(burst);
}
