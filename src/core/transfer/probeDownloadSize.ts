import type { HttpClient } from '../http/HttpClient';

/**
 * The size of a file behind a presigned GET link that came without one: a GET for its first byte (a presigned GET
 * does not allow HEAD, its signature names the method), read from `Content-Range`, or `Content-Length` when the
 * server ignores the range. The body is not read. Undefined when the server says neither.
 */
export async function probeDownloadSize(http: HttpClient, url: string, signal: AbortSignal): Promise<number | undefined> {
  const response = await http.request({ method: 'GET', url, headers: { range: 'bytes=0-0' }, response: 'stream', authenticate: false, signal });
  response.body.destroy();
  return sizeFromHeaders(response.status, response.headers);
}

export function sizeFromHeaders(status: number, headers: Readonly<Record<string, string>>): number | undefined {
  const range = headers['content-range'];
  if (status === 206 && range) {
    const total = /\/(\d+)\s*$/.exec(range)?.[1];
    return total === undefined ? undefined : Number(total);
  }
  const length = headers['content-length'];
  return status === 200 && length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}
