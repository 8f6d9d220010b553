import { randomBytes } from 'node:crypto';

/**
 * The bytes around the file in a `multipart/form-data` body for an S3 presigned POST: every policy field first, then
 * the file part (S3 ignores fields after the file), then the closing delimiter. Built as a head and a tail so the file
 * itself can be streamed from disk between them and the exact Content-Length is known before a byte is sent (S3
 * refuses chunked POSTs).
 */
export interface MultipartFrame {
  readonly boundary: string;
  readonly head: Buffer;
  readonly tail: Buffer;
  readonly contentType: string;
}

export function multipartFrame(fields: Readonly<Record<string, string>>, file: { name: string; contentType: string }, boundary = newBoundary()): MultipartFrame {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(name)}"\r\n\r\n${value}\r\n`);
  }
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escapeQuoted(file.name)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`);
  return {
    boundary,
    head: Buffer.from(parts.join(''), 'utf8'),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Random, 30+ characters: a field value or file that contains it by chance is not a practical concern. */
export function newBoundary(): string {
  return `----SimCloudFormBoundary${randomBytes(12).toString('hex')}`;
}

/** The HTML form encoding of names: `"` and line breaks percent-encoded so a name cannot end its header early. */
function escapeQuoted(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
