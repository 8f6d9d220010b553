// Plain node:http calls from the sandbox to its own storage backends (setup, seeding, checks). node:http rather
// than fetch: Shared Key signs exact header values, and fetch adds or rewrites some on its own.
import { request, type IncomingHttpHeaders } from 'node:http';

export interface InternalRequest {
  host: string;
  port: number;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface InternalResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function internalHttp(call: InternalRequest): Promise<InternalResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: call.host, port: call.port, method: call.method, path: call.path, headers: call.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(call.body);
  });
}
