// Moves the sandbox's paused virtual clock for a chaos run: whenever nothing is working (no HTTP exchange in flight
// except those the sandbox holds in a latency fault) and the client waits on virtual time (a backoff, a Retry-After,
// a rate-limit wait, a poll interval), it jumps straight to the earliest pending timer. So a 2-second latency spike
// or a 30-second Retry-After costs no wall time, yet the client lives through it as time passing: its own sleeps,
// deadlines and rate limiter run on the same clock.
//
// In-flight exchanges are counted from undici's diagnostics channels (every HttpClient and fetch in this process goes
// through undici), held ones from the sandbox's fault injector, waiting sleeps from the clock handed to the client.
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Sandbox } from '../../../../sandbox/index';
import type { Clock } from '../../../../src/core/util/clock';

/** Consecutive quiet event-loop turns before time moves: lets a response that just ended reach its caller's next
 *  step (a new request, a sleep) first. */
const QUIET_TURNS = 4;

export class ClockDriver {
  private readonly inFlight = new Set<object>();
  private waiting = 0;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private busySince: number | undefined;
  /** Jumps made, and the virtual ms they covered. */
  advances = 0;
  advancedMs = 0;

  private readonly onCreate = (message: unknown) => this.inFlight.add((message as { request: object }).request);
  private readonly onEnd = (message: unknown) => this.inFlight.delete((message as { request: object }).request);

  constructor(private readonly sandbox: Sandbox) {}

  /** The clock to give the client: the sandbox's, with its sleeps counted so the driver knows the client waits. */
  readonly clock: Clock = {
    now: () => this.sandbox.clock.now(),
    sleep: async (ms: number, signal?: AbortSignal) => {
      this.waiting += 1;
      try {
        await this.sandbox.clock.sleep(ms, signal);
      } finally {
        this.waiting -= 1;
      }
    },
  };

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    diagnosticsChannel.subscribe('undici:request:create', this.onCreate);
    diagnosticsChannel.subscribe('undici:request:trailers', this.onEnd);
    diagnosticsChannel.subscribe('undici:request:error', this.onEnd);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    diagnosticsChannel.unsubscribe('undici:request:create', this.onCreate);
    diagnosticsChannel.unsubscribe('undici:request:trailers', this.onEnd);
    diagnosticsChannel.unsubscribe('undici:request:error', this.onEnd);
  }

  /** What the driver sees, for a message when a run hangs. */
  describe(): string {
    return `${this.inFlight.size} exchange(s) in flight, ${this.sandbox.faults.delayed} held by latency faults, ${this.waiting} client sleep(s), next timer ${this.nextTimerIn() ?? 'none'} ms away`;
  }

  private nextTimerIn(): number | undefined {
    const at = this.sandbox.clock.nextTimerAt();
    return at === undefined ? undefined : Math.max(0, at - this.sandbox.clock.now());
  }

  private idle(): boolean {
    const held = this.sandbox.faults.delayed;
    return this.inFlight.size <= held && (this.waiting > 0 || held > 0) && this.sandbox.clock.nextTimerAt() !== undefined;
  }

  private async run(): Promise<void> {
    let quiet = 0;
    while (!this.stopped) {
      if (!this.idle()) {
        quiet = 0;
        if (process.env.CHAOS_DRIVER_TRACE) {
          this.busySince ??= performance.now();
          if (performance.now() - this.busySince > 500) {
            console.log(`driver busy 500 ms: ${this.describe()} ${[...this.inFlight].map((r) => String((r as { path?: string }).path).slice(0, 60)).join(' ')}`);
            this.busySince = performance.now();
          }
        }
        // Work is under way (sockets, disk, the zip worker): yield to it without spinning a core.
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      this.busySince = undefined;
      if (++quiet < QUIET_TURNS) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      quiet = 0;
      const step = this.nextTimerIn();
      if (step === undefined) continue;
      this.advances += 1;
      this.advancedMs += step;
      this.sandbox.clock.advance(step);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
