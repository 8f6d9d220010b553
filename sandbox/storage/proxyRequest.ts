// Streams a request to a storage backend on an internal loopback port and the answer back, unchanged apart from
// hop-by-hop headers. The fronts use it after their checks, so clients see Azurite's and s3rver's real responses.
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { SandboxRequest } from '../http/SandboxRequest';
import type { SandboxResponse } from '../http/SandboxResponse';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'expect']);

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface ProxyOptions {
  /** Path and query to send upstream; default the request's own. */
  path?: string;
  headers?: IncomingHttpHeaders;
  /** Bytes already read from the request (see readMultipartHead), sent before the rest of the stream. */
  prefix?: Buffer;
}

export function proxyRequest(req: SandboxRequest, res: SandboxResponse, target: ProxyTarget, options: ProxyOptions = {}): Promise<void> {
  return new Promise((resolve) => {
    const upstream = httpRequest(
      { host: target.host, port: target.port, method: req.method, path: options.path ?? req.raw.url, headers: withoutHopByHop(options.headers ?? req.headers) },
      (answer) => {
        res.raw.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res.raw);
        answer.once('end', () => resolve());
        answer.once('error', () => {
          res.raw.destroy();
          resolve();
        });
      },
    );
    upstream.once('error', (error) => {
      // A backend may answer (e.g. 403) and close before the whole upload arrived; that answer stands.
      if (!res.sent) res.error({ status: 502, message: `storage backend unreachable: ${error.message}` });
      else if (!res.raw.writableEnded) res.raw.destroy();
      resolve();
    });
    req.signal.addEventListener('abort', () => upstream.destroy(), { once: true });
    if (options.prefix) upstream.write(options.prefix);
    req.raw.pipe(upstream);
  });
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}
