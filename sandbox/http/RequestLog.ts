// What reached the sandbox, for tests that assert on the wire ("exactly one token request", "the SAS URL never saw
// an Authorization header"). Bounded so a long interactive session does not grow without limit.
import type { ServiceName } from '../ServiceName';

export interface RecordedRequest {
  provider: ServiceName;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names, as received. */
  headers: Record<string, string | string[]>;
  /** Virtual epoch ms. */
  receivedAt: number;
  /** Response status; 0 until a response starts, and for resets. */
  status: number;
  /** Fault kinds played, joined with '+' (e.g. 'latency+status'). */
  fault?: string;
  requestId: string;
}

export const REQUEST_LOG_LIMIT = 10_000;

/** Fault kinds that answer a request themselves (a latency fault only delays it). */
const ANSWERING_FAULT = /(^|\+)(status|retry-after-seconds|retry-after-date|reset|malformed-json|stall-body)(\+|$)/;

/** Per service, since start or clear(): counted when each exchange ends, so they outlive the bounded log. */
export interface TrafficTally {
  requests: number;
  /** Exchanges that ended without a status (resets, clients that went away). */
  unanswered: number;
  byStatus: Record<string, number>;
  /** 429s the fault injector played. */
  injected429: number;
  /** 429s the service's own rate limiter answered: real overuse by the client. */
  overuse429: number;
}

export class RequestLog {
  private entries: RecordedRequest[] = [];
  private tallies = new Map<ServiceName, TrafficTally>();

  constructor(private readonly limit = REQUEST_LOG_LIMIT) {}

  /** Stores the entry and returns it; the server fills in status and fault as the exchange goes on. */
  record(entry: RecordedRequest): RecordedRequest {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  /** Counts an exchange once it has ended (status final). */
  settled(entry: RecordedRequest): void {
    let tally = this.tallies.get(entry.provider);
    if (!tally) {
      tally = { requests: 0, unanswered: 0, byStatus: {}, injected429: 0, overuse429: 0 };
      this.tallies.set(entry.provider, tally);
    }
    tally.requests += 1;
    if (entry.status === 0) tally.unanswered += 1;
    else tally.byStatus[entry.status] = (tally.byStatus[entry.status] ?? 0) + 1;
    if (entry.status === 429) {
      if (entry.fault && ANSWERING_FAULT.test(entry.fault)) tally.injected429 += 1;
      else tally.overuse429 += 1;
    }
  }

  tally(): Partial<Record<ServiceName, TrafficTally>> {
    return Object.fromEntries([...this.tallies].map(([service, t]) => [service, { ...t, byStatus: { ...t.byStatus } }]));
  }

  all(): RecordedRequest[] {
    return this.entries.map((entry) => ({ ...entry, query: { ...entry.query }, headers: { ...entry.headers } }));
  }

  clear(): void {
    this.entries = [];
    this.tallies.clear();
  }
}
