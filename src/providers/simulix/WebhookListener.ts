import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Emitter, type Disposable, type Event } from '../../core/events/Emitter';
import type { Logger } from '../../core/log/Logger';
import { systemClock, type Clock } from '../../core/util/clock';
import { WebhookVerifier, type WebhookVerdict } from './webhookVerifier';

/** Only loopback: the receiver is for a local tunnel or the sandbox, never for the network. */
export const WEBHOOK_LISTENER_HOSTS = ['127.0.0.1'] as const;
/** A 10,000-agent `simulation.completed` carries every answer (about 4 MB); leave room, refuse anything absurd. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const SIMULIX_WEBHOOK_PATH = '/webhooks/simulix';

/** A verified, first-time delivery. */
export interface SimulixWebhookEvent {
  readonly deliveryId: string;
  readonly eventId?: string;
  /** `X-Simulix-Event` / the body's `type`: `simulation.completed` or `simulation.failed` (others pass through). */
  readonly eventType: string;
  readonly simulationId: string;
  readonly workflowId?: string;
  /** `data.status` (`completed`, `failed`) when present. */
  readonly status?: string;
  /** The body's `created` (unix seconds). */
  readonly created?: number;
  /** The body's `data`: what GET …/results returns (parse it with simulixResults). */
  readonly data: Record<string, unknown>;
}

/** Every delivery that was not accepted, for logs and tests: no secret, no signature, no body. */
export interface SimulixWebhookRejection {
  readonly outcome: Exclude<WebhookVerdict['outcome'], 'accepted'> | 'too-large' | 'not-found';
  readonly reason: string;
  readonly deliveryId?: string;
  readonly status: number;
}

export interface WebhookListenerOptions {
  /** Must be 127.0.0.1 (anything else is refused). Default 127.0.0.1. */
  host?: string;
  /** 0 = an ephemeral port. */
  port: number;
  /** The signing secret(s); see WebhookVerifier. */
  secrets: readonly string[];
  clock?: Clock;
  logger?: Logger;
  maxBodyBytes?: number;
  /** Only POSTs to this path are read; others answer 404. Default `/webhooks/simulix`; `'*'` accepts any path. */
  path?: string;
  rememberedDeliveries?: number;
}

/**
 * A local receiver for Simulix webhooks (node:http, no vscode): reads the raw body up to a size cap, verifies it, answers
 * 204 for accepted and duplicate deliveries (a 2xx stops Simulix's retries), 400 for a bad signature, a stale timestamp
 * or a malformed delivery, 413 for an oversized body; fires onDidReceive for accepted ones only. Rejections are logged
 * with their reason and delivery id, never the secret, the signature or the body.
 */
export class WebhookListener implements Disposable {
  private readonly receiveEmitter = new Emitter<SimulixWebhookEvent>();
  private readonly rejectEmitter = new Emitter<SimulixWebhookRejection>();
  readonly onDidReceive: Event<SimulixWebhookEvent> = this.receiveEmitter.event;
  readonly onDidReject: Event<SimulixWebhookRejection> = this.rejectEmitter.event;

  private readonly verifier: WebhookVerifier;
  private readonly host: string;
  private readonly maxBodyBytes: number;
  private readonly path: string;
  private server: Server | undefined;

  constructor(private readonly options: WebhookListenerOptions) {
    const host = options.host ?? '127.0.0.1';
    if (!(WEBHOOK_LISTENER_HOSTS as readonly string[]).includes(host)) {
      throw new Error(`The Simulix webhook listener binds to 127.0.0.1 only, not ${host}: expose it through a tunnel instead.`);
    }
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) throw new Error(`Not a port number: ${options.port}`);
    this.host = host;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
    this.path = options.path ?? SIMULIX_WEBHOOK_PATH;
    const clock = options.clock ?? systemClock;
    this.verifier = new WebhookVerifier({ secrets: options.secrets, now: () => clock.now(), rememberedDeliveries: options.rememberedDeliveries });
  }

  /** Binds and resolves with the URL to give Simulix as `callback_url` (e.g. `http://127.0.0.1:53412/webhooks/simulix`). */
  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((req, res) => this.handle(req, res));
    server.headersTimeout = 10_000;
    server.requestTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.options.logger?.info(`Simulix webhook listener on ${this.url}`);
    return this.url;
  }

  get address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  get url(): string {
    const address = this.address;
    if (!address) throw new Error('The webhook listener is not running');
    return `http://${this.host}:${address.port}${this.path === '*' ? SIMULIX_WEBHOOK_PATH : this.path}`;
  }

  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** A regenerated secret (keep the old one too while deliveries signed with it may still arrive). */
  setSecrets(secrets: readonly string[]): void {
    this.verifier.setSecrets(secrets);
  }

  /** Stops accepting, drops open connections and releases the port. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  dispose(): void {
    void this.close();
    this.receiveEmitter.dispose();
    this.rejectEmitter.dispose();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const pathname = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || (this.path !== '*' && pathname !== this.path)) {
      req.resume();
      this.reject(res, { outcome: 'not-found', reason: `${req.method ?? '?'} ${pathname} is not the webhook endpoint`, status: 404 });
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
      this.reject(res, { outcome: 'too-large', reason: `body of ${declared} bytes is over ${this.maxBodyBytes}`, status: 413 }, true);
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > this.maxBodyBytes) {
        aborted = true;
        this.reject(res, { outcome: 'too-large', reason: `body over ${this.maxBodyBytes} bytes`, status: 413 }, true);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (aborted) return;
      this.process(req, res, Buffer.concat(chunks, size));
    });
  }

  private process(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const deliveryIdHeader = header(req, 'x-simulix-delivery-id');
    const verdict = this.verifier.verify({ body, signatureHeader: header(req, 'x-simulix-signature'), deliveryIdHeader });
    const deliveryId = safeId(deliveryIdHeader);
    switch (verdict.outcome) {
      case 'accepted': {
        const event = toEvent(verdict.deliveryId, verdict.eventId, header(req, 'x-simulix-event'), verdict.event);
        if (!event) {
          this.reject(res, { outcome: 'malformed', reason: 'the event names no data.simulation_id', deliveryId, status: 400 });
          return;
        }
        this.options.logger?.info(`Simulix webhook ${event.eventType} for ${event.simulationId} accepted (delivery ${deliveryId})`);
        res.writeHead(204).end();
        this.receiveEmitter.fire(event);
        return;
      }
      case 'duplicate':
        this.options.logger?.info(`Simulix webhook delivery ${deliveryId} already processed; ignored`);
        res.writeHead(204).end();
        this.rejectEmitter.fire({ outcome: 'duplicate', reason: 'already processed', deliveryId, status: 204 });
        return;
      default:
        this.reject(res, { outcome: verdict.outcome, reason: verdict.reason, deliveryId, status: 400 });
    }
  }

  private reject(res: ServerResponse, rejection: SimulixWebhookRejection, closeConnection = false): void {
    this.options.logger?.warn(`Simulix webhook rejected (${rejection.outcome}, HTTP ${rejection.status}): ${rejection.reason}${rejection.deliveryId ? ` (delivery ${rejection.deliveryId})` : ''}`);
    if (!res.headersSent) {
      res.writeHead(rejection.status, { 'content-type': 'text/plain; charset=utf-8', ...(closeConnection ? { connection: 'close' } : {}) });
      res.end(`${rejection.outcome}\n`);
    }
    this.rejectEmitter.fire(rejection);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The delivery id as logged: only id-like characters, so a crafted header cannot forge log lines. */
function safeId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.replace(/[^A-Za-z0-9_.:-]/g, '?').slice(0, 80);
}

function toEvent(deliveryId: string, eventId: string | undefined, headerType: string | undefined, body: Record<string, unknown>): SimulixWebhookEvent | undefined {
  const data = body.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const record = data as Record<string, unknown>;
  if (typeof record.simulation_id !== 'string' || record.simulation_id === '') return undefined;
  // The body is signed, the header is not: the body's type wins.
  const eventType = typeof body.type === 'string' ? body.type : (headerType ?? 'unknown');
  return {
    deliveryId,
    eventId,
    eventType,
    simulationId: record.simulation_id,
    workflowId: typeof record.workflow_id === 'string' ? record.workflow_id : undefined,
    status: typeof record.status === 'string' ? record.status : undefined,
    created: typeof body.created === 'number' ? body.created : undefined,
    data: record,
  };
}
