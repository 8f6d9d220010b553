// The sandbox's notion of time. Job lifecycles, token expiry, rate-limit refill, Retry-After dates and presigned
// URL expiry all read this clock, so a test can run an hour-long job in a second (speed) or jump over it (advance)
// without touching the host's clock.
//
// virtual now = anchorVirtual + (real elapsed since anchorReal) × speed. Changing the speed or advancing re-anchors,
// so time never jumps backwards. Timers are kept in virtual time and fired in (due, creation) order; a single real
// setTimeout wakes us for the earliest one and is re-armed whenever speed or time changes.

/** Node turns a setTimeout above 2^31-1 ms into 1 ms (a tight loop); longer waits are re-armed in slices. */
export const MAX_REAL_TIMEOUT_MS = 2 ** 31 - 1;

export type TimerHandle = number;

interface Timer {
  readonly id: TimerHandle;
  readonly due: number;
  readonly callback: () => void;
}

export interface VirtualClockOptions {
  /** Virtual milliseconds per real millisecond; 0 pauses the clock (only advance() moves it). Default 1. */
  speed?: number;
  /** Virtual epoch ms at creation. Default Date.now(), so speed 1 tracks the wall clock. */
  startAt?: number;
  /** Monotonic real-time source in ms; injectable for tests. Default performance.now(). */
  realNow?: () => number;
}

export class VirtualClock {
  private anchorReal: number;
  private anchorVirtual: number;
  private currentSpeed: number;
  private readonly realNow: () => number;
  private readonly timers = new Map<TimerHandle, Timer>();
  private nextId = 1;
  private wakeUp: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(options: VirtualClockOptions = {}) {
    this.realNow = options.realNow ?? (() => performance.now());
    this.currentSpeed = checkSpeed(options.speed ?? 1);
    this.anchorReal = this.realNow();
    this.anchorVirtual = options.startAt ?? Date.now();
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return this.anchorVirtual + (this.realNow() - this.anchorReal) * this.currentSpeed;
  }

  get speed(): number {
    return this.currentSpeed;
  }

  set speed(value: number) {
    const speed = checkSpeed(value);
    this.reanchor();
    this.currentSpeed = speed;
    this.arm();
  }

  /** Jumps virtual time forward; timers that fall due fire synchronously, in virtual order, before this returns. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance() needs a finite, non-negative ms, got ${ms}`);
    this.reanchor();
    this.anchorVirtual += ms;
    this.fireDue();
    this.arm();
  }

  setTimer(callback: () => void, virtualMs: number): TimerHandle {
    if (this.disposed) throw new Error('VirtualClock is disposed');
    const delay = Number.isFinite(virtualMs) && virtualMs > 0 ? virtualMs : 0;
    const timer: Timer = { id: this.nextId++, due: this.now() + delay, callback };
    this.timers.set(timer.id, timer);
    this.arm();
    return timer.id;
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle === undefined || !this.timers.delete(handle)) return;
    this.arm();
  }

  /** Resolves after `ms` virtual milliseconds; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.clearTimer(handle);
        reject(abortReason(signal));
      };
      const handle = this.setTimer(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Virtual time of the earliest pending timer, or undefined: a test driving a paused clock jumps straight there. */
  nextTimerAt(): number | undefined {
    return this.earliest()?.due;
  }

  /** Number of pending timers; lets tests assert that nothing was left behind. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Drops every timer and the real wake-up; pending sleeps never settle. Called by Sandbox.close(). */
  dispose(): void {
    this.disposed = true;
    this.timers.clear();
    if (this.wakeUp) clearTimeout(this.wakeUp);
    this.wakeUp = undefined;
  }

  private reanchor(): void {
    const real = this.realNow();
    this.anchorVirtual += (real - this.anchorReal) * this.currentSpeed;
    this.anchorReal = real;
  }

  /** Fires due timers in (due, id) order. Timers created while firing wait for the next round, so a callback that
   *  re-schedules itself with delay 0 cannot starve the event loop. */
  private fireDue(): void {
    const limit = this.nextId;
    for (;;) {
      const next = this.earliest(limit);
      if (!next || next.due > this.now()) return;
      this.timers.delete(next.id);
      next.callback();
    }
  }

  private earliest(belowId = Infinity): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.id >= belowId) continue;
      if (!best || timer.due < best.due || (timer.due === best.due && timer.id < best.id)) best = timer;
    }
    return best;
  }

  private arm(): void {
    if (this.wakeUp) clearTimeout(this.wakeUp);
    this.wakeUp = undefined;
    const next = this.earliest();
    if (!next || this.disposed) return;
    if (this.currentSpeed === 0 && next.due > this.now()) return; // paused: only advance() can bring it due
    const realDelay = this.currentSpeed === 0 ? 0 : Math.max(0, (next.due - this.now()) / this.currentSpeed);
    this.wakeUp = setTimeout(() => {
      this.wakeUp = undefined;
      this.fireDue();
      this.arm();
    }, Math.min(Math.ceil(realDelay), MAX_REAL_TIMEOUT_MS));
  }
}

function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed < 0) throw new RangeError(`clock speed must be a finite number >= 0, got ${speed}`);
  return speed;
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
