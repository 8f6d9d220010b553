import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

/** Base64 MD5 of a file (the form Content-MD5 and x-ms-blob-content-md5 take), read as a stream in one pass. */
export async function fileMd5Base64(filePath: string, signal: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  await pipeline(createReadStream(filePath), hash, { signal });
  return hash.digest('base64');
}
