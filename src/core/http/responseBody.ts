import { Readable } from 'node:stream';
import { MAX_TIMEOUT_MS } from '../util/clock';

export interface IdleTimeoutOptions {
  /** Longest silence between two chunks, in real milliseconds; 0 or Infinity disables the timer. */
  readonly idleMs: number;
  /** The error a stall fails with (a typed timeout ApiError). */
  readonly onIdle: () => Error;
  /** Turns any other failure of the source (reset, abort) into the caller's error type. */
  readonly mapError: (error: unknown) => Error;
}

/**
 * Wraps a response body so it fails with a timeout when the server goes quiet. The timer runs only while we are
 * waiting for the network, not while a slow consumer holds us back, and it uses a plain setTimeout: undici's own
 * bodyTimeout ticks in half-second steps, too coarse for "fails within the timeout plus 10 %".
 */
export function withIdleTimeout(source: Readable, options: IdleTimeoutOptions): Readable {
  const idleMs = Number.isFinite(options.idleMs) && options.idleMs > 0 ? Math.min(options.idleMs, MAX_TIMEOUT_MS) : 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    try {
      for (;;) {
        const next = await nextWithin(iterator, idleMs, () => {
          const error = options.onIdle();
          source.destroy(error);
          return error;
        });
        if (next.done) return;
        yield next.value;
      }
    } catch (error) {
      throw options.mapError(error);
    } finally {
      // Stops the socket when the consumer gives up early (Readable.from calls return() on destroy).
      if (!source.destroyed && !source.readableEnded) source.destroy();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

function nextWithin<T>(iterator: AsyncIterator<T>, idleMs: number, onIdle: () => Error): Promise<IteratorResult<T>> {
  if (idleMs === 0) return iterator.next();
  return new Promise<IteratorResult<T>>((resolve, reject) => {
    const timer = setTimeout(() => reject(onIdle()), idleMs);
    iterator.next().then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads a whole body into memory, refusing more than `maxBytes` (a misbehaving server must not exhaust memory). */
export async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > maxBytes) {
      stream.destroy();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads at most `maxBytes` for an error message and drops the rest; never throws. */
export async function readPrefix(stream: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buffer);
      size += buffer.length;
      if (size >= maxBytes) break;
    }
  } catch {
    // A broken error body still leaves us the status line and headers.
  } finally {
    if (!stream.destroyed) stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
