// One loopback HTTP server per service, so each provider has its own origin (the client binds credentials to
// origins). Every request gets a request id, lands in the RequestLog, passes the FaultInjector, then the Router.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VirtualClock } from '../clock/VirtualClock';
import type { FaultInjector } from '../faults/FaultInjector';
import { playFault } from '../faults/playFault';
import type { ServiceName } from '../ServiceName';
import type { ErrorStyle } from './ErrorStyle';
import { HttpError } from './HttpError';
import type { RecordedRequest, RequestLog } from './RequestLog';
import type { Router } from './Router';
import { SandboxRequest } from './SandboxRequest';
import { SandboxResponse } from './SandboxResponse';

export interface ServiceServerOptions {
  name: ServiceName | 'control';
  clock: VirtualClock;
  /** Absent for the control server: it is never faulted nor recorded. */
  faults?: FaultInjector;
  requests?: RequestLog;
  log: (line: string) => void;
}

/** Until serve() is called (ports must be known before routes and error styles that embed the origin). */
const STARTING: ErrorStyle = { render: () => ({ contentType: 'application/json', body: '{"error":"sandbox is starting"}' }) };

export class ServiceServer {
  readonly server: Server;
  private router: Router | undefined;
  private style: ErrorStyle = STARTING;

  constructor(private readonly options: ServiceServerOptions) {
    // Node's default 5 s keep-alive races a client in the same process whose event loop was busy for longer (a test
    // filtering 10,000 jobs): both timers fire at once and the client reuses a socket the server just closed
    // ("fetch failed" on the next call). Production fronts keep idle sockets about a minute.
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void this.handle(req, res));
  }

  get name(): ServiceName | 'control' {
    return this.options.name;
  }

  /** Starts answering with these routes and this error style. */
  serve(router: Router, style: ErrorStyle): void {
    this.router = router;
    this.style = style;
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and destroys open connections, including stalled bodies and keep-alive sockets. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(rawReq: IncomingMessage, rawRes: ServerResponse): Promise<void> {
    const { name, clock, faults } = this.options;
    const style = this.style;
    const requestId = `req_${randomBytes(12).toString('hex')}`;
    if (style.requestIdHeader) rawRes.setHeader(style.requestIdHeader, requestId);
    const aborter = new AbortController();
    rawRes.once('close', () => {
      if (!rawRes.writableFinished) aborter.abort(new Error('client went away'));
    });
    const req = new SandboxRequest(rawReq, requestId, aborter.signal);
    const res = new SandboxResponse(rawRes, style, requestId);
    const entry = this.record(req, rawRes);
    try {
      const steps = faults && name !== 'control' ? faults.decide(name, req.path, clock.now()) : [];
      for (const step of steps) {
        if (entry) entry.fault = entry.fault ? `${entry.fault}+${step.kind}` : step.kind;
        if (step.kind === 'latency') {
          faults?.holdStarted();
          try {
            await clock.sleep(step.ms, aborter.signal);
          } finally {
            faults?.holdEnded();
          }
          continue;
        }
        playFault(step, req, res, clock.now());
        return;
      }
      await this.route(req, res);
    } catch (error) {
      this.fail(req, res, error);
    }
  }

  private async route(req: SandboxRequest, res: SandboxResponse): Promise<void> {
    if (!this.router) throw new HttpError(503, { message: 'The sandbox is still starting' });
    const match = this.router.match(req.method, req.path);
    if (match.kind === 'not-found') throw new HttpError(404, { message: `No route for ${req.method} ${req.path}` });
    if (match.kind === 'method-not-allowed') throw new HttpError(405, { message: `${req.method} is not allowed on ${req.path}` }, { Allow: match.allowed.join(', ') });
    req.params = match.params;
    await match.handler(req, res);
    if (!res.sent && !req.signal.aborted) throw new Error(`handler for ${req.method} ${req.path} returned without responding`);
  }

  private fail(req: SandboxRequest, res: SandboxResponse, error: unknown): void {
    if (req.signal.aborted) return;
    if (res.sent) {
      res.raw.destroy();
      return;
    }
    if (HttpError.is(error)) {
      res.error(error.details, error.headers);
      return;
    }
    this.options.log(`[${this.options.name}] ${req.method} ${req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    res.error({ status: 500, message: 'Sandbox handler failed; see the sandbox log' });
  }

  /** The entry's status reads live from the response (a test may look before the socket's 'close'), and is frozen
   *  into a plain value once the exchange ends so the log does not keep responses alive. */
  private record(req: SandboxRequest, rawRes: ServerResponse): RecordedRequest | undefined {
    const { name, requests } = this.options;
    if (!requests || name === 'control') return undefined;
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers[key] = value;
    const entry = requests.record({
      provider: name,
      method: req.method,
      path: req.path,
      query: Object.fromEntries(req.query),
      headers,
      receivedAt: this.options.clock.now(),
      status: 0,
      requestId: req.requestId,
    });
    const status = () => (rawRes.headersSent ? rawRes.statusCode : 0);
    Object.defineProperty(entry, 'status', { get: status, enumerable: true, configurable: true });
    rawRes.once('close', () => {
      Object.defineProperty(entry, 'status', { value: status(), writable: true, enumerable: true });
      requests.settled(entry);
    });
    return entry;
  }
}
