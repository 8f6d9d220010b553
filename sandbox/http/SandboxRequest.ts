// The request as route handlers see it: parsed path and query, route params, the request id, an AbortSignal that
// fires when the client goes away, and body readers with a size limit (a sandbox must not be knocked over by a
// runaway upload in a test).
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { HttpError } from './HttpError';

const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

export class SandboxRequest {
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  params: Record<string, string> = {};
  private body: Promise<Buffer> | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly requestId: string,
    readonly signal: AbortSignal,
  ) {
    this.method = (raw.method ?? 'GET').toUpperCase();
    const target = raw.url ?? '/';
    const q = target.indexOf('?');
    this.path = q < 0 ? target : target.slice(0, q);
    this.rawQuery = q < 0 ? '' : target.slice(q + 1);
    this.query = new URLSearchParams(this.rawQuery);
    this.headers = raw.headers;
  }

  /** First value of a header (names are case-insensitive). */
  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** The token of an `Authorization: Bearer <token>` header, if any. */
  bearerToken(): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(this.header('authorization') ?? '');
    return match?.[1];
  }

  /** The whole body (read once, cached); 413 when it exceeds `limit` bytes. */
  buffer(limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
    this.body ??= readBody(this.raw, limit);
    return this.body;
  }

  async text(limit?: number): Promise<string> {
    return (await this.buffer(limit)).toString('utf8');
  }

  /** JSON body; 400 in the service's style when it is not JSON. An empty body reads as undefined. */
  async json(limit?: number): Promise<unknown> {
    const text = await this.text(limit);
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(400, { message: 'Request body is not valid JSON' });
    }
  }

  /** `application/x-www-form-urlencoded` body. */
  async form(limit?: number): Promise<URLSearchParams> {
    return new URLSearchParams(await this.text(limit));
  }

  /** JSON or form body as a flat string record, for endpoints (like OAuth token) that accept both. */
  async fields(limit?: number): Promise<Record<string, string>> {
    const type = this.header('content-type') ?? '';
    if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(await this.form(limit));
    const body = await this.json(limit);
    if (body === undefined) return {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, { message: 'Request body must be a JSON object' });
    return Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : typeof v === 'number' ? [[k, String(v)]] : [])));
  }
}

function readBody(raw: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        raw.destroy();
        reject(new HttpError(413, { message: `Request body exceeds ${limit} bytes` }));
        return;
      }
      chunks.push(chunk);
    });
    raw.once('end', () => resolve(Buffer.concat(chunks)));
    raw.once('error', reject);
  });
}
