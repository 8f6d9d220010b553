import { ApiError } from '../../core/http/ApiError';
import type { JobStore } from '../../core/jobs/JobStore';
import type { PollOutcome } from '../../core/jobs/Poller';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import { systemClock, type Clock } from '../../core/util/clock';
import type { SimulixApi, SimulixSimulation } from './SimulixApi';
import { resultsAvailable, simulationToResource } from './simulixResources';
import type { SimulixWebhookEvent } from './WebhookListener';

/** What the source needs of SimulixApi. */
export type SimulixJobApi = Pick<SimulixApi, 'listSimulations' | 'getSimulation'>;

/** "polling faster than 1 req/2s wastes your rate-limit budget without faster results". */
export const SIMULIX_MIN_STATUS_INTERVAL_MS = 2_000;
/** The reference's Retry-After while queued or running; used when an answer carries none. */
export const SIMULIX_DEFAULT_STATUS_INTERVAL_MS = 5_000;

export interface SimulixJobSourceOptions {
  api: SimulixJobApi;
  store: JobStore;
  clock?: Clock;
  logger?: Logger;
  /** Simulations per list page (1–100). Default 50, the API's default. */
  pageSize?: number;
  /** How often the first page is listed again to find simulations started elsewhere. Default 30 s. */
  listIntervalMs?: number;
}

/**
 * Feeds the JobStore for one Simulix account. The list (cursor-paged, newest first) is read a page at a time: the first
 * page on the first poll and then every listIntervalMs (or at once after refresh()), further pages only when the user
 * asks (loadMore). Each simulation still in flight is asked about with GET /v1/simulations/{id}, never sooner than the
 * Retry-After its last answer carried and never more often than once every 2 s, until results are available; a
 * webhook (applyWebhook) ends the polling of its simulation at once. Give `poll` to a Poller.
 */
export class SimulixJobSource {
  private readonly clock: Clock;
  private readonly pageSize: number;
  private readonly listIntervalMs: number;
  /** Every simulation seen this session, by id (the API has no delete, so nothing falls out except on a 404). */
  private readonly latest = new Map<string, SimulixSimulation>();
  /** Earliest client-clock time the status of a simulation may be asked for again. */
  private readonly dueAt = new Map<string, number>();
  private lastListAt: number | undefined;
  private listForced = true;
  /** Where "load more" continues; only pages the user loaded move it past the first page. */
  private cursor: string | undefined;
  private more = false;
  private loadedExtraPages = false;

  constructor(private readonly options: SimulixJobSourceOptions) {
    this.clock = options.clock ?? systemClock;
    this.pageSize = Math.min(100, Math.max(1, Math.floor(options.pageSize ?? 50)));
    this.listIntervalMs = options.listIntervalMs ?? 30_000;
  }

  /** Whether the server said there are older simulations than those loaded ("Load more" node). */
  get hasMore(): boolean {
    return this.more;
  }

  /** One poll cycle: the first page when due, then every due in-flight simulation; `active` counts those still polled. */
  async poll(signal: AbortSignal): Promise<PollOutcome> {
    const before = this.snapshot();
    const now = this.clock.now();
    if (this.listForced || this.lastListAt === undefined || now - this.lastListAt >= this.listIntervalMs) await this.listFirstPage(signal);
    let failure: unknown;
    for (const simulation of [...this.latest.values()]) {
      signal.throwIfAborted();
      if (!this.needsPolling(simulation) || (this.dueAt.get(simulation.id) ?? 0) > this.clock.now()) continue;
      try {
        await this.checkStatus(simulation.id, signal);
      } catch (error) {
        // The credential or the key's budget is the problem: every other simulation would fail the same way.
        if (signal.aborted || (ApiError.is(error) && (error.status === 401 || error.status === 403 || error.status === 429))) {
          this.publish();
          throw error;
        }
        failure ??= error;
      }
    }
    const changed = this.publish() || before !== this.snapshot();
    if (failure !== undefined) throw failure;
    return { changed, active: this.activeCount() };
  }

  /** The next page of older simulations; resolves to how many were new. */
  async loadMore(signal: AbortSignal): Promise<number> {
    if (!this.more) return 0;
    const page = await this.options.api.listSimulations({ cursor: this.cursor, limit: this.pageSize }, signal);
    const added = this.merge(page.items);
    this.cursor = page.nextCursor ?? page.items[page.items.length - 1]?.id ?? this.cursor;
    this.more = page.hasMore && page.items.length > 0;
    this.loadedExtraPages = true;
    if (page.skipped > 0) this.options.logger?.warn(`Simulix: ${page.skipped} simulation record(s) could not be read and are not shown`);
    this.publish();
    return added;
  }

  /** The list is read again on the next poll (Refresh, or a webhook for a simulation not seen yet). */
  refresh(): void {
    this.listForced = true;
  }

  /** A POST answered: show the simulation now; its first status check waits for the usual interval. */
  track(simulation: SimulixSimulation): Resource {
    this.latest.set(simulation.id, stripSecret(simulation));
    this.dueAt.set(simulation.id, this.clock.now() + SIMULIX_DEFAULT_STATUS_INTERVAL_MS);
    const resource = simulationToResource(simulation);
    this.options.store.upsert(resource);
    return resource;
  }

  /**
   * A verified webhook: the simulation has ended, so it shows as finished at once and is not polled again. A simulation
   * this source has not seen yet is listed on the next poll. Returns the updated resource when known.
   */
  applyWebhook(event: Pick<SimulixWebhookEvent, 'simulationId' | 'eventType' | 'status' | 'created'>): Resource | undefined {
    const known = this.latest.get(event.simulationId);
    if (!known) {
      this.listForced = true;
      return undefined;
    }
    const status = event.status ?? (event.eventType === 'simulation.failed' ? 'failed' : event.eventType === 'simulation.completed' ? 'completed' : known.status);
    const at = event.created !== undefined ? new Date(event.created * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
    const updated: SimulixSimulation = {
      ...known,
      status,
      results_available: true,
      estimated_completion_time_seconds: 0,
      completed_at: status === 'completed' ? (known.completed_at ?? at) : known.completed_at,
      failed_at: status === 'failed' ? (known.failed_at ?? at) : known.failed_at,
    };
    this.latest.set(updated.id, updated);
    this.dueAt.delete(updated.id);
    const resource = simulationToResource(updated);
    this.options.store.upsert(resource);
    return resource;
  }

  /** Last record seen, for Show Details and the results explorer. */
  get(id: string): SimulixSimulation | undefined {
    return this.latest.get(id);
  }

  /** Milliseconds until the next status check is allowed for this simulation (0 = now; undefined = not polled). */
  msUntilNextCheck(id: string): number | undefined {
    const simulation = this.latest.get(id);
    if (!simulation || !this.needsPolling(simulation)) return undefined;
    return Math.max(0, (this.dueAt.get(id) ?? 0) - this.clock.now());
  }

  private async listFirstPage(signal: AbortSignal): Promise<void> {
    const page = await this.options.api.listSimulations({ limit: this.pageSize }, signal);
    this.lastListAt = this.clock.now();
    this.listForced = false;
    this.merge(page.items);
    if (!this.loadedExtraPages) {
      this.cursor = page.nextCursor ?? page.items[page.items.length - 1]?.id;
      this.more = page.hasMore && page.items.length > 0;
    }
    if (page.skipped > 0) this.options.logger?.warn(`Simulix: ${page.skipped} simulation record(s) could not be read and are not shown`);
  }

  private async checkStatus(id: string, signal: AbortSignal): Promise<void> {
    const askedAt = this.clock.now();
    try {
      // Sent once: the HTTP core's retry backoff starts under a second, closer than 2 s to this very request.
      const reading = await this.options.api.getSimulation(id, signal, { sendOnce: true });
      this.latest.set(id, stripSecret(reading.simulation));
      // Counted from when the question was asked: Retry-After is the gap between two requests.
      this.dueAt.set(id, askedAt + Math.max(SIMULIX_MIN_STATUS_INTERVAL_MS, reading.retryAfterMs ?? SIMULIX_DEFAULT_STATUS_INTERVAL_MS));
    } catch (error) {
      if (ApiError.is(error) && error.status === 404) {
        this.options.logger?.warn(`Simulix: simulation ${id} no longer exists; removed from the list`);
        this.latest.delete(id);
        this.dueAt.delete(id);
        return;
      }
      const retryAfter = ApiError.is(error) ? error.retryAfterMs : undefined;
      this.dueAt.set(id, this.clock.now() + Math.max(SIMULIX_MIN_STATUS_INTERVAL_MS, retryAfter ?? SIMULIX_DEFAULT_STATUS_INTERVAL_MS));
      throw error;
    }
  }

  private needsPolling(simulation: SimulixSimulation): boolean {
    return !resultsAvailable(simulation);
  }

  private activeCount(): number {
    let count = 0;
    for (const simulation of this.latest.values()) if (this.needsPolling(simulation)) count += 1;
    return count;
  }

  /** Adds or replaces; returns how many ids were new. */
  private merge(items: readonly SimulixSimulation[]): number {
    let added = 0;
    for (const item of items) {
      if (!this.latest.has(item.id)) added += 1;
      this.latest.set(item.id, stripSecret(item));
    }
    return added;
  }

  private publish(): boolean {
    const change = this.options.store.replaceAll('simulix', [...this.latest.values()].map(simulationToResource));
    return change.changed.length > 0 || change.removed.length > 0;
  }

  private snapshot(): string {
    return `${this.more}:${this.latest.size}`;
  }
}

/** The signing secret is the UI's to put in SecretStorage at once; it is never kept in a record or the store. */
function stripSecret(simulation: SimulixSimulation): SimulixSimulation {
  if (!('webhook_signing_secret' in simulation)) return simulation;
  const copy: Record<string, unknown> = { ...simulation };
  delete copy.webhook_signing_secret;
  return copy as SimulixSimulation;
}
