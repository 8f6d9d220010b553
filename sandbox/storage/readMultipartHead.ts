// Reads a multipart/form-data upload only as far as the start of its `file` part. S3 requires the file to be the
// last field, so everything the policy check needs (key, policy, signature…) arrives first; the file itself is then
// streamed on untouched, so a large upload never sits in memory.
import type { IncomingMessage } from 'node:http';

export const MAX_HEAD_BYTES = 1024 * 1024;

export interface MultipartHead {
  /** Fields before the file, in order. */
  fields: [string, string][];
  /** Every byte read so far (fields and possibly the first file bytes); forward it before the rest of the stream. */
  head: Buffer;
  /** Offset in `head` where the file's content starts. */
  fileStart: number;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Resolves once the `file` part's headers are read (the stream is left paused), or undefined when the body ends
 *  or grows past MAX_HEAD_BYTES without one. */
export function readMultipartHead(req: IncomingMessage, boundary: string): Promise<MultipartHead | undefined> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const finish = (result: MultipartHead | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const parsed = parseUntilFile(head, boundary);
      if (parsed) finish({ ...parsed, head });
      else if (head.length > MAX_HEAD_BYTES) finish(undefined);
    };
    const onEnd = () => finish(undefined);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

function parseUntilFile(buffer: Buffer, boundary: string): { fields: [string, string][]; fileStart: number } | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  let position = buffer.indexOf(delimiter);
  if (position < 0) return undefined;
  const fields: [string, string][] = [];
  for (;;) {
    const headersStart = position + delimiter.length + 2; // skip CRLF after the delimiter
    const headersEnd = buffer.indexOf('\r\n\r\n', headersStart);
    if (headersEnd < 0) return undefined;
    const partHeaders = buffer.subarray(headersStart, headersEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(partHeaders)?.[1] ?? '';
    const contentStart = headersEnd + 4;
    if (name === 'file') return { fields, fileStart: contentStart };
    const next = buffer.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), contentStart);
    if (next < 0) return undefined;
    fields.push([name, buffer.subarray(contentStart, next).toString('utf8')]);
    position = next + 2;
  }
}

/** Size of the file part, assuming the closing delimiter `\r\n--boundary--\r\n` follows it (as every browser,
 *  undici FormData and curl write it). */
export function fileSizeFromContentLength(contentLength: number, fileStart: number, boundary: string): number {
  return contentLength - fileStart - Buffer.byteLength(`\r\n--${boundary}--\r\n`);
}
