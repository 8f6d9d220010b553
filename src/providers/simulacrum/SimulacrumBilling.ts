import { Emitter, type Disposable, type Event } from '../../core/events/Emitter';
import type { Logger } from '../../core/log/Logger';
import { systemClock, type Clock } from '../../core/util/clock';
import type { SimulacrumApi, SimulacrumBalance } from './SimulacrumApi';

export interface SimulacrumBillingOptions {
  api: SimulacrumApi;
  clock?: Clock;
  /** Fewest ms between two balance calls (the status bar needs no more; every call counts against 60/min). Default 60 s. */
  minIntervalMs?: number;
  logger?: Logger;
}

/**
 * The credit balance for the status bar. Refresh it after each poll cycle (`poller.onDidPoll`); it asks the API at
 * most once a minute and keeps the last known balance when a call fails.
 */
export class SimulacrumBilling implements Disposable {
  private readonly emitter = new Emitter<SimulacrumBalance>();
  readonly onDidChangeBalance: Event<SimulacrumBalance> = this.emitter.event;
  private readonly clock: Clock;
  private readonly minIntervalMs: number;
  private current: SimulacrumBalance | undefined;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<SimulacrumBalance | undefined> | undefined;

  constructor(private readonly options: SimulacrumBillingOptions) {
    this.clock = options.clock ?? systemClock;
    this.minIntervalMs = options.minIntervalMs ?? 60_000;
  }

  get balance(): SimulacrumBalance | undefined {
    return this.current;
  }

  /**
   * Fetches the balance unless one was asked for within the interval (`force` skips that check, e.g. after a
   * submission); concurrent calls share one request. Resolves to the latest known balance and never rejects: a
   * failure is logged and leaves the last balance in place, so a status bar refresh cannot surface an error.
   */
  refresh(signal: AbortSignal, options: { force?: boolean } = {}): Promise<SimulacrumBalance | undefined> {
    if (this.inFlight) return this.inFlight;
    if (!options.force && this.clock.now() - this.lastAttemptAt < this.minIntervalMs) return Promise.resolve(this.current);
    this.lastAttemptAt = this.clock.now();
    this.inFlight = this.fetch(signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** A balance another window of the same account read: shown here without asking again for a while. */
  adopt(balance: SimulacrumBalance): void {
    const changed = this.current?.credits !== balance.credits || this.current?.gpu_hours_remaining !== balance.gpu_hours_remaining;
    this.current = balance;
    this.lastAttemptAt = this.clock.now();
    if (changed) this.emitter.fire(balance);
  }

  /** Sign-out. */
  reset(): void {
    this.current = undefined;
    this.lastAttemptAt = Number.NEGATIVE_INFINITY;
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private async fetch(signal: AbortSignal): Promise<SimulacrumBalance | undefined> {
    try {
      const balance = await this.options.api.getBalance(signal);
      const changed = this.current?.credits !== balance.credits || this.current?.gpu_hours_remaining !== balance.gpu_hours_remaining;
      this.current = balance;
      if (changed) this.emitter.fire(balance);
    } catch (error) {
      this.options.logger?.debug('Simulacrum Labs: balance not refreshed', error);
    }
    return this.current;
  }
}
