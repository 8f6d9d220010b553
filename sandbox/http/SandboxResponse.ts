// Response helpers for route handlers. Errors go through the service's ErrorStyle so every service answers in its
// documented shape; the raw ServerResponse stays reachable for streaming handlers.
import type { ServerResponse } from 'node:http';
import type { ErrorDetails, ErrorStyle } from './ErrorStyle';

export type HeaderMap = Record<string, string | number | string[]>;

export class SandboxResponse {
  constructor(
    readonly raw: ServerResponse,
    private readonly style: ErrorStyle,
    readonly requestId: string,
  ) {}

  /** True once a response has started; a handler that returns without starting one gets a 500. */
  get sent(): boolean {
    return this.raw.headersSent || this.raw.writableEnded;
  }

  json(status: number, body: unknown, headers: HeaderMap = {}): void {
    this.send(status, JSON.stringify(body), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  }

  text(status: number, body: string, contentType = 'text/plain; charset=utf-8', headers: HeaderMap = {}): void {
    this.send(status, body, { 'Content-Type': contentType, ...headers });
  }

  empty(status: number, headers: HeaderMap = {}): void {
    this.raw.writeHead(status, headers);
    this.raw.end();
  }

  /** An error in this service's documented style (problem+json, Simulix envelope, `{error}`, XML…). */
  error(details: ErrorDetails, headers: HeaderMap = {}): void {
    const rendered = this.style.render(details, this.requestId);
    this.send(details.status, rendered.body, { 'Content-Type': rendered.contentType, ...rendered.headers, ...headers });
  }

  send(status: number, body: string | Buffer, headers: HeaderMap = {}): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.raw.writeHead(status, { ...headers, 'Content-Length': bytes.length });
    this.raw.end(bytes);
  }
}
