import { ApiError } from '../http/ApiError';
import { Emitter, type Disposable, type Event } from '../events/Emitter';
import type { Logger } from '../log/Logger';
import { MAX_TIMEOUT_MS, type Clock } from '../util/clock';

export interface PollOutcome {
  /** Something the user can see changed (the store fired). */
  readonly changed: boolean;
  /** Resources still active after this poll; 0 stops polling until the next kick. */
  readonly active: number;
}

export interface PollerOptions {
  /** For logs: "Simulacrum Labs jobs". */
  name: string;
  clock: Clock;
  /** One poll cycle; must honour the signal (stop() aborts it). */
  poll(signal: AbortSignal): Promise<PollOutcome>;
  /** Wait after a poll that changed something. Default 5 s. */
  minIntervalMs?: number;
  /** Longest wait between polls, however quiet or failing (a Retry-After may ask for longer). Default 60 s. */
  maxIntervalMs?: number;
  /**
   * A floor on every wait, read each time one is measured: the slower background pace while nobody looks at the
   * data. Call repace() when it changes.
   */
  paceFloorMs?(): number;
  logger?: Logger;
}

export const DEFAULT_MIN_POLL_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_POLL_INTERVAL_MS = 60_000;
/** Each quiet (or failed) poll doubles the wait, from min up to max: 5, 10, 20, 40, 60 s with the defaults. */
const GROWTH = 2;

/**
 * Polls a provider on an injected Clock (no setInterval: every wait is one clock.sleep with an AbortSignal, so stop()
 * leaves no timer behind and tests step through it on a fake clock).
 *
 * - A poll that changed something is followed by another in minIntervalMs; quiet polls double the wait up to max.
 * - Nothing active → stop until kick() (after a submit or cancel).
 * - Failures back off the same way; an ApiError's Retry-After is a floor; 401/403 stop polling (the credential needs
 *   the user, retrying cannot help). Every failure fires onDidFail.
 * - At most one poll is in flight, ever: a kick during a poll is coalesced into one more poll right after it, and a
 *   start() after stop() waits for the aborted poll to settle.
 */
export class Poller implements Disposable {
  private readonly pollEmitter = new Emitter<PollOutcome>();
  private readonly failEmitter = new Emitter<unknown>();
  readonly onDidPoll: Event<PollOutcome> = this.pollEmitter.event;
  readonly onDidFail: Event<unknown> = this.failEmitter.event;

  private readonly minMs: number;
  private readonly maxMs: number;
  /** The running loop's controller; undefined when stopped. */
  private loop: AbortController | undefined;
  /** Aborted to cut the current wait short (kick). */
  private wake: AbortController | undefined;
  /** A kick arrived while a poll was in flight: poll again as soon as it settles. */
  private kicked = false;
  /** repace() woke the current wait: measure it again instead of polling. */
  private repaced = false;
  /** Settles when the last loop has fully ended (its poll settled), so a new loop never overlaps it. */
  private lastLoop: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: PollerOptions) {
    this.minMs = Math.max(0, options.minIntervalMs ?? DEFAULT_MIN_POLL_INTERVAL_MS);
    this.maxMs = Math.max(this.minMs, options.maxIntervalMs ?? DEFAULT_MAX_POLL_INTERVAL_MS);
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** Starts polling (first poll at once). Idempotent. */
  start(): void {
    if (this.disposed || this.loop) return;
    const loop = new AbortController();
    this.loop = loop;
    const previous = this.lastLoop;
    this.lastLoop = previous.then(() => this.run(loop)).catch((error: unknown) => this.options.logger?.error(`${this.options.name}: poller loop failed`, error));
  }

  /** Stops polling: aborts the in-flight poll and the pending wait. */
  stop(): void {
    const loop = this.loop;
    if (!loop) return;
    this.loop = undefined;
    this.kicked = false;
    loop.abort(new Error(`${this.options.name}: polling stopped`));
  }

  /** Polls now (coalesced with one in flight) with the interval reset, starting the poller if it was stopped. */
  kick(): void {
    if (this.disposed) return;
    if (!this.loop) return this.start();
    this.kicked = true;
    this.wake?.abort();
  }

  /**
   * The pace floor changed: the current wait is measured again from when it began, so a window gaining focus after a
   * long background wait polls at once, and one losing it stretches the wait it is in.
   */
  repace(): void {
    if (!this.wake) return;
    this.repaced = true;
    this.wake.abort();
  }

  dispose(): void {
    this.stop();
    this.disposed = true;
    this.pollEmitter.dispose();
    this.failEmitter.dispose();
  }

  private async run(loop: AbortController): Promise<void> {
    const { signal } = loop;
    let quietStreak = 0;
    let failureStreak = 0;
    while (!signal.aborted) {
      this.kicked = false;
      let waitMs: number;
      try {
        const outcome = await this.options.poll(signal);
        if (signal.aborted) return;
        failureStreak = 0;
        quietStreak = outcome.changed ? 0 : quietStreak + 1;
        this.pollEmitter.fire(outcome);
        if (outcome.active <= 0 && !this.kicked) {
          this.options.logger?.debug(`${this.options.name}: nothing active, polling stops until the next kick`);
          this.endLoop(loop);
          return;
        }
        waitMs = this.backoff(quietStreak);
      } catch (error) {
        if (signal.aborted) return;
        failureStreak += 1;
        this.failEmitter.fire(error);
        if (isCredentialRejected(error)) {
          this.options.logger?.warn(`${this.options.name}: credential rejected (HTTP ${(error as ApiError).status}), polling stops`);
          this.endLoop(loop);
          return;
        }
        const retryAfterMs = ApiError.is(error) ? error.retryAfterMs : undefined;
        waitMs = Math.min(Math.max(this.backoff(failureStreak), retryAfterMs ?? 0), MAX_TIMEOUT_MS);
        this.options.logger?.debug(`${this.options.name}: poll failed, next try in ${Math.round(waitMs)} ms`, error);
      }
      if (this.kicked) {
        // A submit or cancel happened during this poll: its result may predate it, so look again now.
        quietStreak = 0;
        continue;
      }
      await this.waitOrWake(waitMs, signal);
      if (this.kicked) quietStreak = 0;
    }
  }

  /** Interval after `streak` quiet polls (or failures) in a row: min·2^streak, capped at max. */
  private backoff(streak: number): number {
    return Math.min(this.maxMs, this.minMs * GROWTH ** Math.max(0, streak));
  }

  private async waitOrWake(ms: number, signal: AbortSignal): Promise<void> {
    const began = this.options.clock.now();
    for (;;) {
      const remaining = began + Math.max(ms, this.options.paceFloorMs?.() ?? 0) - this.options.clock.now();
      if (remaining <= 0 || signal.aborted) return;
      const wake = new AbortController();
      this.wake = wake;
      this.repaced = false;
      const onStop = () => wake.abort();
      signal.addEventListener('abort', onStop, { once: true });
      try {
        await this.options.clock.sleep(Math.min(remaining, MAX_TIMEOUT_MS), wake.signal);
        return;
      } catch {
        // Woken by kick(), stop() or repace(): only a repace measures the wait again.
        if (!this.repaced || this.kicked || signal.aborted) return;
      } finally {
        signal.removeEventListener('abort', onStop);
        if (this.wake === wake) this.wake = undefined;
      }
    }
  }

  /** The loop ends itself (nothing active, credential rejected); a later start() or kick() begins a new one. */
  private endLoop(loop: AbortController): void {
    if (this.loop === loop) this.loop = undefined;
    loop.abort();
  }
}

function isCredentialRejected(error: unknown): boolean {
  return ApiError.is(error) && (error.status === 401 || error.status === 403);
}
