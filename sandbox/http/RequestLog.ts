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

export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly limit = REQUEST_LOG_LIMIT) {}

  /** Stores the entry and returns it; the server fills in status and fault as the exchange goes on. */
  record(entry: RecordedRequest): RecordedRequest {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return entry;
  }

  all(): RecordedRequest[] {
    return this.entries.map((entry) => ({ ...entry, query: { ...entry.query }, headers: { ...entry.headers } }));
  }

  clear(): void {
    this.entries = [];
  }
}
