// Webhook deliveries: "When you supply callback_url on POST, Simulix delivers simulation.completed or
// simulation.failed events to that URL on terminal state. Up to 5 attempts over ~14.6 hours on non-2xx responses
// (backoff: 1m, 5m, 30m, 2h, 12h)." One delivery per event, with one X-Simulix-Delivery-Id on every attempt (a
// receiver that already processed it drops the repeat); each attempt is signed when it is sent. The schedule runs on
// the virtual clock, but `t` is the wall clock's: a receiver checks the 5-minute tolerance against its own clock, and
// virtual time runs ahead of it by however far a test or demo has advanced (a 10,000-agent run alone is 9 minutes). The five backoffs add up to the 14.6 hours, so there are up to six sends: the first at the
// terminal instant and five retries, each measured from the start of the attempt before. Connection failures and
// timeouts count as non-2xx; 3xx are not followed. The sandbox only sends to loopback hosts (it never talks to the
// network beyond the machine): an attempt at another host fails without a connection and is retried like any other.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { VirtualClock } from '../../clock/VirtualClock';
import { signatureHeader, webhookSignature } from './signWebhook';
import type { SimulixIds } from './SimulixIds';
import { SIMULIX_POLICY as P } from './simulixPolicy';

export type EventType = 'simulation.completed' | 'simulation.failed';

export interface TransportReply {
  status: number;
  body: string;
}
/** Sends one POST; resolves with the receiver's answer, rejects on connection failure or timeout. */
export type WebhookTransport = (url: string, headers: Record<string, string>, body: string) => Promise<TransportReply>;

export interface DeliveryAttempt {
  attempt: number;
  kind: 'scheduled' | 'manual';
  /** Virtual ms when the attempt started. */
  at: number;
  /** The `t=` it was signed with. */
  timestamp: number;
  signature: string;
  /** Manual sends: what the control route asked for. */
  variant?: string;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  succeeded: boolean;
  /** Real ms the receiver took; null while in flight. */
  durationMs: number | null;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: EventType;
  simulationId: string;
  organizationId: string;
  url: string;
  /** The organisation's secret when the event was created (a later regeneration does not re-sign old deliveries). */
  secret: string;
  /** The exact bytes every attempt carries. */
  body: string;
  createdAt: number;
  attempts: DeliveryAttempt[];
  status: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: number | null;
  timer?: number;
}

export type SignatureVariant = 'valid' | 'tampered' | 'wrong_secret' | 'rotation';
export type BodyVariant = 'original' | 'reserialized';

export interface ManualSend {
  /** Unix seconds to sign with (default: now on the wall clock). */
  timestamp?: number;
  /** Instead of `timestamp`: this many seconds before the wall clock's now (360 = six minutes old). */
  ageSeconds?: number;
  signature?: SignatureVariant;
  body?: BodyVariant;
}

export interface SimulixWebhooksDeps {
  clock: VirtualClock;
  ids: SimulixIds;
  transport?: WebhookTransport;
  /** Epoch ms the `t=` timestamps are read from (default Date.now). */
  wallClock?: () => number;
  log?: (line: string) => void;
}

export class SimulixWebhooks {
  readonly deliveries: Delivery[] = [];
  private readonly transport: WebhookTransport;
  private readonly wallClock: () => number;
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: SimulixWebhooksDeps) {
    this.transport = deps.transport ?? loopbackTransport;
    this.wallClock = deps.wallClock ?? Date.now;
  }

  /** The `t=` of an attempt sent now. */
  timestampNow(): number {
    return Math.floor(this.wallClock() / 1000);
  }

  /** Creates the event's delivery and makes the first attempt now. */
  enqueue(input: { eventType: EventType; simulationId: string; organizationId: string; url: string; secret: string; created: number; data: string }): Delivery {
    const eventId = this.deps.ids.eventId();
    // The data object arrives serialised (results can be megabytes): the envelope is spliced around it.
    const body = `{"id":${JSON.stringify(eventId)},"type":${JSON.stringify(input.eventType)},"created":${Math.floor(input.created / 1000)},"data":${input.data}}`;
    const delivery: Delivery = {
      id: this.deps.ids.uuidv7(input.created),
      eventId,
      eventType: input.eventType,
      simulationId: input.simulationId,
      organizationId: input.organizationId,
      url: input.url,
      secret: input.secret,
      body,
      createdAt: input.created,
      attempts: [],
      status: 'pending',
      nextAttemptAt: this.deps.clock.now(),
    };
    this.deliveries.push(delivery);
    this.attemptScheduled(delivery);
    return delivery;
  }

  find(id: string): Delivery | undefined {
    return this.deliveries.find((d) => d.id === id);
  }

  /** Resolves once no attempt is on the wire (tests wait on it after advancing the clock). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** A send outside the schedule, for receivers' tests: the same delivery id and body (a replay), optionally an old
   *  timestamp, a broken signature or a re-serialised body. It never changes the delivery's status or schedule. */
  async sendManual(delivery: Delivery, options: ManualSend = {}): Promise<DeliveryAttempt> {
    const timestamp = options.timestamp ?? this.timestampNow() - (options.ageSeconds ?? 0);
    const variant = options.signature ?? 'valid';
    const bodyVariant = options.body ?? 'original';
    const body = bodyVariant === 'reserialized' ? JSON.stringify(JSON.parse(delivery.body), null, 2) : delivery.body;
    // The signature is always computed over the original bytes: a re-serialised body must then fail verification.
    const valid = webhookSignature(delivery.secret, timestamp, delivery.body);
    const signature =
      variant === 'valid'
        ? `t=${timestamp},v1=${valid}`
        : variant === 'tampered'
          ? `t=${timestamp},v1=${flipHex(valid)}`
          : variant === 'wrong_secret'
            ? signatureHeader(`${delivery.secret}-wrong`, timestamp, delivery.body)
            : `t=${timestamp},v1=${webhookSignature(`${delivery.secret}-retired`, timestamp, delivery.body)},v1=${valid}`;
    const label = [variant !== 'valid' ? variant : '', bodyVariant !== 'original' ? bodyVariant : '', options.timestamp !== undefined || options.ageSeconds ? `t=${timestamp}` : ''].filter(Boolean).join('+');
    return this.send(delivery, 'manual', timestamp, signature, body, label || 'replay');
  }

  private attemptScheduled(delivery: Delivery): void {
    delivery.timer = undefined;
    delivery.nextAttemptAt = null;
    const timestamp = this.timestampNow();
    void this.send(delivery, 'scheduled', timestamp, signatureHeader(delivery.secret, timestamp, delivery.body), delivery.body).then((attempt) => {
      if (attempt.succeeded) {
        delivery.status = 'succeeded';
        return;
      }
      const scheduled = delivery.attempts.filter((a) => a.kind === 'scheduled').length;
      const backoff = P.webhookBackoffMs[scheduled - 1];
      if (backoff === undefined || delivery.status === 'succeeded') {
        if (delivery.status !== 'succeeded') delivery.status = 'failed';
        return;
      }
      delivery.nextAttemptAt = attempt.at + backoff;
      try {
        delivery.timer = this.deps.clock.setTimer(() => this.attemptScheduled(delivery), delivery.nextAttemptAt - this.deps.clock.now());
      } catch {
        // The sandbox closed while the attempt was on the wire: nothing more to schedule.
      }
    });
  }

  private send(delivery: Delivery, kind: DeliveryAttempt['kind'], timestamp: number, signature: string, body: string, variant?: string): Promise<DeliveryAttempt> {
    const attempt: DeliveryAttempt = {
      attempt: delivery.attempts.length + 1,
      kind,
      at: this.deps.clock.now(),
      timestamp,
      signature,
      variant,
      responseStatus: null,
      responseBody: null,
      error: null,
      succeeded: false,
      durationMs: null,
    };
    delivery.attempts.push(attempt);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'Simulix-Webhooks/1.0 (sandbox)',
      'X-Simulix-Signature': signature,
      'X-Simulix-Event': delivery.eventType,
      'X-Simulix-Delivery-Id': delivery.id,
    };
    const started = performance.now();
    const work = this.transport(delivery.url, headers, body).then(
      (reply) => {
        attempt.responseStatus = reply.status;
        attempt.responseBody = reply.body.slice(0, P.webhookResponseKeepBytes);
        attempt.succeeded = reply.status >= 200 && reply.status < 300;
        if (!attempt.succeeded) attempt.error = `receiver answered ${reply.status}`;
      },
      (error: unknown) => {
        attempt.error = error instanceof Error ? error.message : String(error);
      },
    );
    const tracked = work.finally(() => {
      attempt.durationMs = Math.round(performance.now() - started);
      this.inFlight.delete(tracked);
      this.deps.log?.(`[simulix] webhook ${delivery.id} attempt ${attempt.attempt} (${kind}) → ${attempt.responseStatus ?? attempt.error}`);
    });
    this.inFlight.add(tracked);
    return tracked.then(() => attempt);
  }
}

function flipHex(hex: string): string {
  // Changes the last digit to a different value in any case, so a case-insensitive compare cannot accept it.
  const last = hex[hex.length - 1];
  return hex.slice(0, -1) + (last === '0' ? '1' : '0');
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.has(url.hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/** Plain node:http(s), no keep-alive (nothing lingers after the sandbox closes), no redirects, loopback only. */
export const loopbackTransport: WebhookTransport = (target, headers, body) =>
  new Promise((resolve, reject) => {
    const url = new URL(target);
    if (!isLoopbackUrl(url)) {
      reject(new Error(`not delivered: the sandbox sends webhooks to loopback hosts only (${url.hostname})`));
      return;
    }
    const payload = Buffer.from(body, 'utf8');
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', agent: false, headers: { ...headers, 'Content-Length': String(payload.length), Connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept < P.webhookResponseKeepBytes) chunks.push(chunk);
        kept += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(P.webhookTimeoutMs, () => req.destroy(new Error(`receiver did not answer within ${P.webhookTimeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
